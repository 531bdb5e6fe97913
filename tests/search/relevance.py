"""The labelled query set (relevance.json) and its mean reciprocal rank, for the test and the benchmark.

The first queries were written from the notices' own words; those with a "kind" are typed the
way villagers type (typo, colloquial, fragment, amount, voucher, mixed, punctuation).
An item with a "village" is a search of that village's own pages, with people's names (a name
in a list is findable only there); the others search the whole county.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from transparency.areas.models import Area, AreaLevel
from transparency.core.db import db
from transparency.search import service
from transparency.search.base import Filters

LABELLED = Path(__file__).with_name("relevance.json")
DEPTH = 10


def load_labelled() -> list[dict[str, str]]:
    return json.loads(LABELLED.read_text(encoding="utf-8"))


def labelled_sets() -> dict[str, list[dict[str, str]]]:
    """The original set (the notices' own words) and the villager-style set, by name."""
    labelled = load_labelled()
    return {
        "original": [item for item in labelled if "kind" not in item],
        "villager": [item for item in labelled if "kind" in item],
    }


def rank_of(app: Flask, query: str, expected_title: str, village: str | None = None) -> int | None:
    """1 for the top hit; None when the expected disclosure is not in the first DEPTH hits."""
    filters = Filters()
    if village is not None:
        found = db.session.scalar(select(Area.id).where(Area.name == village, Area.level == AreaLevel.VILLAGE))
        filters = Filters(village_id=found)
    outcome = service.search(app, query, filters, names=village is not None)
    titles = [result.hit.title for result in outcome.results[:DEPTH]]
    return titles.index(expected_title) + 1 if expected_title in titles else None


def mean_reciprocal_rank(app: Flask, labelled: list[dict[str, str]]) -> float:
    ranks = [rank_of(app, item["query"], item["expected"], item.get("village")) for item in labelled]
    return sum(1 / rank for rank in ranks if rank) / len(labelled)
