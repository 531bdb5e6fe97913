"""The labelled query set (relevance.json) and its mean reciprocal rank, for the test and the benchmark.

The first queries were written from the notices' own words; those with a "kind" are typed the
way villagers type (typo, colloquial, fragment, amount, voucher, mixed, punctuation)."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

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


def rank_of(app: Flask, query: str, expected_title: str) -> int | None:
    """1 for the top hit; None when the expected disclosure is not in the first DEPTH hits."""
    outcome = service.search(app, query, Filters())
    titles = [result.hit.title for result in outcome.results[:DEPTH]]
    return titles.index(expected_title) + 1 if expected_title in titles else None


def mean_reciprocal_rank(app: Flask, labelled: list[dict[str, str]]) -> float:
    ranks = [rank_of(app, item["query"], item["expected"]) for item in labelled]
    return sum(1 / rank for rank in ranks if rank) / len(labelled)
