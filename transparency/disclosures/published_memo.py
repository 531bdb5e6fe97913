"""What a published version shows, worked out once per process: its tables, totals and charts.

Published is permanent (immutability.py): a published version's rows, balances and rates never
change, so the HTML of its tables and the figures of its charts are a function of the version
and of the page's language alone. A public page that misses the page cache (another address,
another query string, a new token elsewhere on the page) takes them from here instead of loading
every row again. What may change around a published version is never kept: the carry-over check
against the previous ledger, its correction reason (a redaction), its provenance.

Kept only for published versions and public output (masked, no ID numbers revealed); staff pages
of drafts always render afresh. Keyed by the version's id *and* its publication moment, so that a
database restored from an older backup, which may give a later version the same id, never meets
an entry of the version that id named before. Each application keeps its own memo (tests run many
against databases with the same ids); the least recently used entries go past a size budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from flask import Flask, current_app

from transparency.core.public_output import is_public_output
from transparency.core.translations import current_locale
from transparency.disclosures.models import DisclosureVersion, VersionStatus

Kept = TypeVar("Kept")
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
OBJECT_BYTES = 1024  # what an entry that is not text is counted as


class Memo:
    """A thread-safe least-recently-used dict, its text values counted by length."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers serve several requests at once

    def get(self, key: Hashable) -> object | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: object) -> None:
        size = len(value) if isinstance(value, str) else OBJECT_BYTES
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._entries[key] = (value, size)
            self.size += size
            while self.size > self.max_bytes:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self.size -= dropped


def kept_for_version(version: DisclosureVersion, part: str, compute: Callable[[], Kept], *, by_language: bool) -> Kept:
    """`compute()` for `part` of a published `version` on a public page, worked out once; afresh
    for anything else. `by_language`: the value holds text of the page's language."""
    return kept_for_versions([version], part, compute, by_language=by_language)


def kept_for_versions(
    versions: Sequence[DisclosureVersion], part: str, compute: Callable[[], Kept], *, by_language: bool
) -> Kept:
    """`kept_for_version` of what several published versions show together (a village's charts)."""
    memo: Memo | None = current_app.extensions.get("published_memo")
    if (
        memo is None
        or any(version.status is not VersionStatus.PUBLISHED for version in versions)
        or not is_public_output()
    ):
        return compute()
    shown = tuple((version.id, version.published_at) for version in versions)
    key = (shown, part, str(current_locale()) if by_language else None)
    found = memo.get(key)
    if found is None:
        found = compute()
        memo.put(key, found)
    return found  # type: ignore[return-value]


def kept_html(version: DisclosureVersion, part: str, render: Callable[..., Any], *args: Any) -> Any:
    """For templates: the macro `render(version, *args)`, rendered once per published version,
    part and language (`{{ kept_html(version, "ledger-rows", ledger_rows) }}`)."""
    return kept_for_version(version, f"{part}:{args!r}", lambda: render(version, *args), by_language=True)


def init_app(app: Flask) -> None:
    """PUBLISHED_MEMO_MAX_BYTES (per process; 0 turns the memo off)."""
    max_bytes = int(app.config.get("PUBLISHED_MEMO_MAX_BYTES", DEFAULT_MAX_BYTES))
    if max_bytes > 0:
        app.extensions["published_memo"] = Memo(max_bytes)
    app.jinja_env.globals["kept_html"] = kept_html
