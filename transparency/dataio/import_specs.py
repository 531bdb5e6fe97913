"""What an administrator's import has read and checked, before anything is written; and why it refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _

from transparency.areas.models import Area
from transparency.disclosures.content import DraftContent
from transparency.disclosures.models import Category, PeriodKind

MAX_PROBLEMS = 200
Progress = Callable[[int], None]


class ImportRefused(Exception):
    """Nothing was imported; `problems` says why, each naming the disclosure, version and row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class VersionSpec:
    content: DraftContent
    correction_reason: str | None
    published_at: dt.datetime


@dataclass
class DisclosureSpec:
    village: Area
    category: Category
    period_kind: PeriodKind
    period_start: dt.date
    period_end: dt.date
    versions: list[VersionSpec] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.village.name}（{self.village.code}）{self.category.label} {self.period_start}—{self.period_end}"

    @property
    def row_count(self) -> int:
        return sum(
            len(v.content.ledger_rows) + len(v.content.subsidy_rows) + len(v.content.compensation_rows)
            for v in self.versions
        )


class ImportProblems:
    """Every problem found, the first MAX_PROBLEMS of them kept to show."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.count = 0

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(message)

    def refuse_if_any(self) -> None:
        if self.count:
            more = self.count - len(self.items)
            if more:
                self.items.append(_("……另有 %(count)s 处问题没有列出", count=more))
            raise ImportRefused(self.items)
