"""Horizontal bar charts as data plus geometry; templates/charts/_bars.html draws them as SVG.

Horizontal bars suit a phone held upright: each row's name gets its own line at full width,
the bar and its amount sit underneath, and nothing needs a legend to be read. The geometry is
in SVG user units; the picture scales to the width of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from transparency.core.templating import page_yuan

WIDTH = 360
# Large type for elderly readers: on a 375 px phone one unit is a little less than a pixel.
FONT_SIZE = 18
VALUE_FONT_SIZE = 16
LABEL_HEIGHT = 26
BAR_HEIGHT = 20
BAR_GAP = 4
ROW_GAP = 12
LEGEND_HEIGHT = 32
VALUE_ROOM = 140  # room right of the longest bar for "¥12,345,678.90"
# A printed page is wider than a phone: the same type size, more room for the bars.
PRINT_WIDTH = 600
MIN_VISIBLE_BAR = 2  # a small but non-zero amount still shows as a sliver


@dataclass(frozen=True)
class Series:
    label: str
    colour: str


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int, ...]  # fen, one per series


@dataclass(frozen=True)
class PlacedBar:
    series: Series
    value: int
    y: int
    width: int

    @property
    def height(self) -> int:
        return BAR_HEIGHT

    @property
    def text(self) -> str:
        return page_yuan(self.value)  # CN¥ on an English page

    @property
    def text_x(self) -> int:
        return self.width + 6

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4

    @property
    def font_size(self) -> int:
        return VALUE_FONT_SIZE


@dataclass(frozen=True)
class PlacedRow:
    label: str
    short_label: str
    label_y: int
    bars: tuple[PlacedBar, ...]


@dataclass(frozen=True)
class LegendItem:
    series: Series
    x: int


@dataclass(frozen=True)
class BarChart:
    """A titled chart: one row per period, account or programme; one bar per series in a row."""

    key: str  # unique on the page: ties the <title> and <desc> to the picture
    title: str
    description: str
    series: tuple[Series, ...]
    rows: tuple[Row, ...]
    width: int = WIDTH  # SVG units; the picture is scaled to its box, so this sets the type size

    @property
    def max_label_chars(self) -> int:
        """A CJK character is about one em wide; SVG text does not wrap."""
        return self.width // FONT_SIZE - 1

    @property
    def font_size(self) -> int:
        return FONT_SIZE

    @property
    def largest(self) -> int:
        return max((value for row in self.rows for value in row.values), default=0)

    @property
    def legend(self) -> tuple[LegendItem, ...]:
        if len(self.series) < 2:
            return ()
        return tuple(LegendItem(series, index * 120) for index, series in enumerate(self.series))

    @property
    def legend_text_y(self) -> int:
        return FONT_SIZE + 2

    @property
    def placed_rows(self) -> tuple[PlacedRow, ...]:
        scale = (self.width - VALUE_ROOM) / self.largest if self.largest > 0 else 0
        placed = []
        y = LEGEND_HEIGHT if self.legend else 0
        for row in self.rows:
            label_y = y + FONT_SIZE
            y += LABEL_HEIGHT
            bars = []
            for series, value in zip(self.series, row.values, strict=True):
                width = round(value * scale)
                if value > 0:
                    width = max(width, MIN_VISIBLE_BAR)
                bars.append(PlacedBar(series, value, y, width))
                y += BAR_HEIGHT + BAR_GAP
            placed.append(PlacedRow(row.label, shorten(row.label, self.max_label_chars), label_y, tuple(bars)))
            y += ROW_GAP
        return tuple(placed)

    @property
    def height(self) -> int:
        per_row = LABEL_HEIGHT + len(self.series) * (BAR_HEIGHT + BAR_GAP) + ROW_GAP
        return (LEGEND_HEIGHT if self.legend else 0) + len(self.rows) * per_row


def shorten(label: str, limit: int) -> str:
    """A long programme name is cut to `limit` characters; its full text stays in the table."""
    return label if len(label) <= limit else label[: limit - 1] + "…"
