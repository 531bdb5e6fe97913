"""Published disclosures as JSON: for the API, the JSON download and the full public dump.

The shape is the one `transparency import` reads (docs/data-format.md): money as yuan
strings with two decimals ("1579.80"), areas and headcounts as decimal strings ("1.2"),
dates as ISO 8601. Public output masks ID numbers exactly as the public page does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from transparency.areas.models import Area, AreaLevel
from transparency.core.hosts import public_url
from transparency.core.personal_data import mask_id_number
from transparency.dataio.layouts import LAYOUTS, Layout
from transparency.dataio.writing import HUNDREDTHS_KEYS, MONEY_KEYS, hundredths, table_rows, yuan
from transparency.disclosures.models import Disclosure, DisclosureVersion
from transparency.disclosures.periods import period_label

FORMAT = "cunwu-gongkai/1"
# Row keys in JSON where the column's internal name says how it is stored.
JSON_KEYS = {"basis_hundredths": "basis", "area_hundredths": "area"}
TABLE_KEYS = {"finance": "ledger", "subsidy": "subsidies", "land_compensation": "compensation"}


def json_key(key: str) -> str:
    return JSON_KEYS.get(key, key)


def json_value(key: str, value: Any, *, public: bool = True) -> Any:
    if value is None:
        return None
    if key == "id_number":
        return mask_id_number(value) if public else value
    if key in MONEY_KEYS:
        return str(yuan(value))
    if key in HUNDREDTHS_KEYS:
        return str(hundredths(value))
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def area_ref(area: Area) -> dict[str, Any]:
    return {"code": area.code, "name": area.name, "level": str(area.level)}


def area_tree(areas: Iterable[Area]) -> list[dict[str, Any]]:
    """Counties with their townships and villages (children ordered by code)."""

    def node(area: Area) -> dict[str, Any]:
        item = area_ref(area)
        if area.level is not AreaLevel.VILLAGE:
            item["children"] = [node(child) for child in area.children]
        return item

    return [node(area) for area in areas]


def disclosure_summary(disclosure: Disclosure) -> dict[str, Any]:
    """What a list shows: where, what, which period, when first published, the current version.
    Reads only those attributes, so the API's lists pass their plain rows of the same shape."""
    village = disclosure.village
    current = disclosure.current
    return {
        "id": disclosure.id,
        "village": area_ref(village),
        "township": area_ref(village.parent) if village.parent else None,
        "category": str(disclosure.category),
        "category_label": disclosure.category.label,
        "period": period_document(disclosure),
        "first_published_at": json_value("at", disclosure.first_published_at),
        "current_version": current.number if current else None,
        "title": current.title if current else None,
        "url": public_url("disclosures.show", disclosure_id=disclosure.id),
    }


def period_document(disclosure: Disclosure) -> dict[str, Any]:
    return {
        "kind": str(disclosure.period_kind),
        "start": disclosure.period_start.isoformat(),
        "end": disclosure.period_end.isoformat(),
        "label": period_label(disclosure.period_kind, disclosure.period_start),
    }


def version_ref(version: DisclosureVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "title": version.title,
        "published_at": json_value("at", version.published_at),
        "correction_reason": version.correction_reason,
        "url": public_url("disclosures.version", disclosure_id=version.disclosure_id, number=version.number),
    }


def version_content(version: DisclosureVersion, *, public: bool = True) -> dict[str, Any]:
    """A version's text, fields and rows, in the import format."""
    item: dict[str, Any] = {
        "number": version.number,
        "title": version.title,
        "body": version.body,
        "published_at": json_value("at", version.published_at),
        "correction_reason": version.correction_reason,
    }
    layout = LAYOUTS.get(version.disclosure.category)
    if layout is None:
        return item
    for field in layout.fields:
        item[field.key] = json_value(field.key, getattr(version, field.key))
    if layout.has_program_totals:
        item["program_totals"] = [
            {"program": t.program, "declared_total": json_value("declared_total", t.declared_total)}
            for t in version.subsidy_totals
        ]
    item[TABLE_KEYS[str(layout.category)]] = _rows(version, layout, public=public)
    return item


def _rows(version: DisclosureVersion, layout: Layout, *, public: bool) -> list[dict[str, Any]]:
    return [
        {json_key(c.key): json_value(c.key, getattr(row, c.key), public=public) for c in layout.published_columns}
        for row in table_rows(version, layout)
    ]


def version_document(version: DisclosureVersion) -> dict[str, Any]:
    """One published version with the disclosure it belongs to (the JSON download, the API)."""
    return {"disclosure": disclosure_summary(version.disclosure), **version_content(version)}


def disclosure_dump(disclosure: Disclosure) -> dict[str, Any]:
    """A disclosure with all its published versions, in the import format (public: IDs masked)."""
    return {
        "village": disclosure.village.code,
        "category": str(disclosure.category),
        "period": {
            "kind": str(disclosure.period_kind),
            "start": disclosure.period_start.isoformat(),
            "end": disclosure.period_end.isoformat(),
        },
        "versions": [version_content(v) for v in disclosure.published_versions],
    }
