"""Relevance over the demo county: each labelled query's expected disclosure ranks first (and MRR ≥ 0.9)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import BASE_CONFIG
from tests.databases import scratch_database
from tests.search.conftest import BACKENDS
from tests.search.relevance import labelled_sets, load_labelled, mean_reciprocal_rank, rank_of
from transparency import create_app
from transparency.core.db import db
from transparency.demo.loader import load_demo_county

LABELLED = load_labelled()
# One worker runs the whole module: the demo county is loaded once per backend.
pytestmark = pytest.mark.xdist_group("search_relevance")


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request, database_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo county, loaded once; its index is built by the outbox after the loader's commit."""
    workdir = tmp_path_factory.mktemp("relevance")
    with scratch_database(database_template, workdir) as url:
        app = create_app({**BASE_CONFIG, "DATABASE_URL": url, "SEARCH_BACKEND": request.param})
        app.instance_path = str(workdir / "instance")
        try:
            with app.app_context():
                load_demo_county(db.session, echo=lambda *_: None)
                db.session.commit()
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()


def test_the_labelled_set_is_large_enough():
    sets = labelled_sets()
    assert len(sets["original"]) >= 30 and len(sets["villager"]) >= 30
    assert len({item["query"] for item in LABELLED}) == len(LABELLED)
    kinds = {item["kind"] for item in sets["villager"]}
    assert kinds == {"typo", "colloquial", "fragment", "amount", "voucher", "mixed", "punctuation"}


@pytest.mark.parametrize("item", LABELLED, ids=[item["query"] for item in LABELLED])
def test_the_expected_notice_ranks_first(demo, item):
    with demo.app_context():
        assert rank_of(demo, item["query"], item["expected"], item.get("village")) == 1


@pytest.mark.parametrize("name", ["original", "villager"])
def test_mean_reciprocal_rank_is_at_least_0_9(demo, name):
    with demo.app_context():
        assert mean_reciprocal_rank(demo, labelled_sets()[name]) >= 0.9
