"""The three levels of the area hierarchy: county (县) → township (乡镇) → village (村).

A vocabulary rather than a model: places (`areas`) are built from it and people (`accounts`)
are bound by it, and neither may import the other.
"""

from __future__ import annotations

import enum

from transparency.core.translations import lazy_gettext as _l


class AreaLevel(enum.StrEnum):
    COUNTY = "county"  # 县
    TOWNSHIP = "township"  # 乡镇
    VILLAGE = "village"  # 村

    @property
    def label(self) -> str:
        return str(AREA_LEVEL_LABELS[self])


AREA_LEVEL_LABELS = {AreaLevel.COUNTY: _l("县"), AreaLevel.TOWNSHIP: _l("乡镇"), AreaLevel.VILLAGE: _l("村")}
