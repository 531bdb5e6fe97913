"""Never a 500 from an integer typed into a request (issue 12, point 7).

The route walk takes the routes from the url_map and the query parameters from the registry that
`core/integers.QueryInt` keeps, so a new route or a newly declared parameter is walked too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from wtforms import IntegerField

from tests.conftest import Browser, login_as, running_app
from tests.core.helpers import real_ids
from transparency.core import forms as core_forms
from transparency.core.integers import QUERY_INTEGERS, BadInteger, parse_int
from transparency.core.security import PUBLIC
from transparency.core.text import clean_text

HOSTILE = ["²", "١٢", "1e3", "-0", "999999999999999999999", "+1", " 1", "1_000", "9" * 5000]
WALKED = [*HOSTILE[:5], "9" * 5000]  # the issue's five, and one past int()'s digit limit
PACKAGE = Path(__file__).resolve().parents[2] / "transparency"


@pytest.mark.parametrize("text", HOSTILE)
def test_parse_int_refuses_everything_but_ascii_digits_with_a_chinese_message(app, text):
    with app.test_request_context(), pytest.raises(BadInteger, match="整数"):
        parse_int(text, low=0, high=10**30)


def test_parse_int_reads_ascii_digits_within_bounds(app):
    with app.test_request_context():
        assert parse_int("0012", low=1, high=12) == 12
        with pytest.raises(BadInteger):
            parse_int("13", low=1, high=12)


def test_the_registry_holds_every_integer_query_parameter():
    assert {"page", "limit", "year", "after", "disclosure"} <= set(QUERY_INTEGERS)


@pytest.fixture
def walk_app(database_url: str, tmp_path) -> Iterator[Flask]:
    with running_app(database_url, tmp_path, RATELIMIT_ENABLED=False) as application:
        yield application


def _path_values(world, ids) -> dict[str, str]:
    return {
        "disclosure_id": str(ids["disclosure_id"]),
        "number": "1",
        "attachment_id": str(ids["attachment_id"]),
        "matter_id": str(ids["matter_id"]),
        "photo_id": str(ids["photo_id"]),
        "version_id": str(ids["version_id"]),
        "account_id": str(world.accounts["clerk_a"].id),
        "active": "1",
        "category": "finance",
        "fmt": "csv",
        "filename": "style.css",
    }


def _urls(app: Flask, world, ids) -> Iterator[tuple[str, str, str]]:
    """(endpoint, url, who) for every GET route, its path filled with real values."""
    values = _path_values(world, ids)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        access = getattr(view, "access", None)
        who = (
            "anonymous"
            if access == PUBLIC
            else "admin"
            if rule.endpoint.startswith("admin.")
            else ("county-inspector" if rule.endpoint.startswith("inspection.") else "clerk-a")
        )
        code = world.township.code if rule.rule.startswith(("/t/",)) else world.village_a.code
        url = rule.rule
        for argument in rule.arguments:
            value = code if argument == "code" else values[argument]
            url = url.replace(f"<{argument}>", value)
            for converter in ("int", "any(csv, xlsx, json)", "path"):
                url = url.replace(f"<{converter}:{argument}>", value)
        yield rule.endpoint, url, who
        for argument, converter in rule._converters.items():  # hostile values in integer path parts
            if type(converter).__name__ == "DatabaseId":
                for text in HOSTILE[:5]:
                    yield rule.endpoint, url.replace(values[argument], quote(text), 1), who


def test_hostile_integers_in_every_parameter_of_every_route_never_answer_500(walk_app, world):
    app = walk_app
    ids = real_ids(app, world)
    browsers = {"anonymous": Browser(app.test_client())}
    for username in ("clerk-a", "county-inspector", "admin"):
        browsers[username] = login_as(app, username)
    failures = []
    walked = 0
    for endpoint, url, who in _urls(app, world, ids):
        for name in QUERY_INTEGERS:
            for text in WALKED:
                separator = "&" if "?" in url else "?"
                response = browsers[who].get(f"{url}{separator}{name}={quote(text)}")
                response.close()  # a streamed export is finished with, not left to the collector
                walked += 1
                if response.status_code >= 500:
                    failures.append((endpoint, url, name, text, response.status_code))
    assert walked > 1000  # every GET route x every declared name x every value
    assert failures == []


def test_forms_take_integers_only_through_the_one_helper():
    """No form field parses integers with WTForms' `int()` (which accepts '١٢'): IntegerText does."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in ("IntegerField", "DecimalField"):
                offenders.append(f"{path.name}:{node.lineno} {node.id}")
            if isinstance(node, ast.keyword) and node.arg == "coerce" and getattr(node.value, "id", "") == "int":
                offenders.append(f"{path.name}:{node.lineno} coerce=int")
            if isinstance(node, ast.Attribute) and node.attr == "isdigit" and path.name != "integers.py":
                offenders.append(f"{path.name}:{node.lineno} .isdigit()")
    assert offenders == []
    assert IntegerField is not core_forms.IntegerText


@pytest.mark.parametrize("text", [t for t in HOSTILE if t == t.strip()])  # form text is trimmed first
def test_a_hostile_integer_in_a_form_field_is_a_form_error_that_keeps_what_was_typed(app, text):
    from transparency.complaints.forms import ExtensionForm

    with app.test_request_context(method="POST", data={"days": text, "reason": "等材料"}):
        form = ExtensionForm(meta={"csrf": False})
        assert not form.validate()
        assert "整数" in " ".join(form.days.errors)
        assert form.days._value() == clean_text(text)  # what was typed is shown again
