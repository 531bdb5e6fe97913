"""`transparency import FILE`: historical disclosures, published directly by an administrator.

The file is JSON (many disclosures, each with its versions; docs/data-format.md) or one CSV/XLSX
table in the template's layout with 村代码, 公开类别, 周期, 期间开始, 期间结束 lines above it.
Everything is checked before anything is written; then all of it is written in one
transaction, or none of it. The JSON reader is import_json.py, the table reader
import_table.py, the checks both share import_checks.py.

Raises: ImportRefused.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.dataio.import_json import read_json
from transparency.dataio.import_specs import DisclosureSpec, ImportRefused, Progress
from transparency.dataio.import_table import read_table_file
from transparency.dataio.reading import UnreadableFile, sniff
from transparency.disclosures import services
from transparency.disclosures.models import Disclosure


def read_import_file(session: Session, data: bytes, *, progress: Progress | None = None) -> list[DisclosureSpec]:
    """Every disclosure in the file, fully checked. Raises ImportRefused listing every problem."""
    if len(data) > current_app.config["MAX_IMPORT_BYTES"]:
        raise ImportRefused([_("文件超过 %(size)s MB", size=current_app.config["MAX_IMPORT_BYTES"] // 1048576)])
    if data.lstrip()[:1] in (b"{", b"["):
        return read_json(session, data, progress)
    try:
        sniff(data)
    except UnreadableFile as error:
        raise ImportRefused([str(error)]) from None
    return [read_table_file(session, data, progress)]


def load(
    session: Session, *, actor: Account, specs: list[DisclosureSpec], progress: Progress | None = None
) -> list[Disclosure]:
    """Write every checked disclosure as published. The caller commits once, or rolls back on any error.

    Raises ImportRefused (a disclosure the publication checks refuse; nothing is kept then).
    """
    loaded = []
    for spec in specs:
        try:
            disclosure = services.publish_historical(
                session,
                actor=actor,
                village=spec.village,
                category=spec.category,
                period_kind=spec.period_kind,
                period_start=spec.period_start,
                period_end=spec.period_end,
                versions=[(v.content, v.correction_reason, v.published_at) for v in spec.versions],
            )
        except services.CannotSubmit as error:
            raise ImportRefused([f"{spec.label}：{problem}" for problem in error.problems]) from None
        loaded.append(disclosure)
        if progress:
            progress(spec.row_count + len(spec.versions))
    return loaded
