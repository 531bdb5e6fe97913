"""Spreadsheet cells as the texts a clerk would have typed, shared by every kind of import."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def cell_at(cells: tuple[Any, ...], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def cell_text(value: Any) -> str:
    """A cell as the text a clerk would have typed in the web form."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        # 1579.8 stays 1579.8; a float artefact like 0.30000000000000004 is refused by the parser.
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value).strip()
