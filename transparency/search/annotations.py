"""Pinyin annotations that scrapers and OCR leave in the text: 服務(wù)型, 党组织（dǎng zǔ zhī）.

The bracket splits the word for the segmenter, so it is cut out before segmentation. What is
cut out is only a bracket right after a Chinese character whose content is pinyin syllables
(with tone marks, tone digits or none), so (GPS), （一） or (2025) stay. The offsets of the
cleaned text map back to the original, so highlights land on what the page really says.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# A bracket after a Chinese character, holding letters (tone-marked ones included), digits 1-5 and spaces.
_BRACKET = re.compile(
    r"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]\s*([a-zA-ZüÜāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ1-5' ]{1,60}?)\s*[)）]"
)


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable.lower().replace("ü", "v"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("v", "u").rstrip("12345")


@cache
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (zhong, lv → lu …), from pypinyin's character readings."""
    from pypinyin.pinyin_dict import pinyin_dict

    return frozenset(_toneless(reading) for readings in pinyin_dict.values() for reading in readings.split(","))


def _is_pinyin(text: str) -> bool:
    words = [w for w in re.split(r"[\s'1-5]+", text.lower()) if w]
    if not words:
        return False
    known = syllables()
    for word in words:
        # Syllables may be written apart (dǎng zǔ) or together (dǎngzǔ): split greedily, longest first.
        plain, position = _toneless(word), 0
        while position < len(plain):
            for size in range(min(6, len(plain) - position), 0, -1):
                if plain[position : position + size] in known:
                    position += size
                    break
            else:
                return False
    return True


def strip_annotations(text: str) -> tuple[str, list[int] | None]:
    """The text without pinyin annotations, and for each kept character its offset in `text`
    (None when nothing was cut, the usual case)."""
    if "(" not in text and "（" not in text:
        return text, None
    kept: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _BRACKET.finditer(text):
        if not _is_pinyin(match.group(1)):
            continue
        kept.append(text[position : match.start()])
        offsets.extend(range(position, match.start()))
        position = match.end()
    if not offsets and position == 0:
        return text, None
    kept.append(text[position:])
    offsets.extend(range(position, len(text)))
    offsets.append(len(text))  # where the end of the cleaned text falls
    return "".join(kept), offsets
