"""Did you mean: a word the index lacks, corrected from the index's own vocabulary.

Candidates are the word with one character replaced, one dropped or two swapped, kept when
they are dictionary words (jieba's) AND words of the index; the best reads the same in pinyin
(补尝 and 补偿 are both bu chang), then differs least in tones, then is the most common.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from functools import cache

from transparency.search.analysis import segmenter
from transparency.search.query import is_phrase_candidate

MAX_CANDIDATES = 400


def _common(character: str) -> bool:
    try:
        character.encode("gb2312")  # the 6,763 characters of everyday use
    except UnicodeEncodeError:
        return False
    return True


@cache
def _readings() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Each character's readings (tones aside), and each reading's everyday characters."""
    from pypinyin.pinyin_dict import pinyin_dict

    readings: dict[str, tuple[str, ...]] = {}
    characters: dict[str, list[str]] = {}
    for code, spelled in pinyin_dict.items():
        character = chr(code)
        plain = tuple(dict.fromkeys(_toneless(reading) for reading in spelled.split(",")))
        readings[character] = plain
        if _common(character):
            for reading in plain:
                characters.setdefault(reading, []).append(character)
    return readings, {reading: "".join(chars) for reading, chars in characters.items()}


def _homophones(character: str) -> str:
    readings, characters = _readings()
    return "".join(characters.get(reading, "") for reading in readings.get(character, ()))


def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading.replace("ü", "v"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _edits(word: str) -> list[str]:
    """Same-sounding replacements of one character, then one character dropped or two swapped."""
    found: dict[str, None] = {}
    for i, character in enumerate(word):
        for other in _homophones(character):
            found[word[:i] + other + word[i + 1 :]] = None
    for i in range(len(word) - 1):
        found[word[:i] + word[i + 1] + word[i] + word[i + 2 :]] = None
        if len(word) > 2:
            found[word[:i] + word[i + 1 :]] = None
    if len(word) > 2:
        found[word[:-1]] = None
    found.pop(word, None)
    frequency = segmenter().dt.FREQ.get
    # Short words: only dictionary words, or 补尝 would find 补常; long ones are rarely in the dictionary.
    known = [c for c in found if len(c) > 3 or frequency(c)]
    return known[:MAX_CANDIDATES]


def _closeness(word: str, candidate: str) -> tuple[int, int]:
    """(syllables that differ, tones that differ): lower is closer."""
    from pypinyin import Style, lazy_pinyin  # its phrase list is large: loaded by warm_up, or here

    plain = lazy_pinyin(word, style=Style.NORMAL), lazy_pinyin(candidate, style=Style.NORMAL)
    toned = lazy_pinyin(word, style=Style.TONE3), lazy_pinyin(candidate, style=Style.TONE3)
    differ = sum(a != b for a, b in zip(*plain, strict=False)) + abs(len(plain[0]) - len(plain[1]))
    return differ, sum(a != b for a, b in zip(*toned, strict=False))


def correct(word: str, frequencies: Callable[[Sequence[str]], Mapping[str, int]]) -> str | None:
    """The index word `word` was most likely meant to be, or None."""
    if not is_phrase_candidate(word):
        return None
    candidates = _edits(word)
    counts = frequencies(candidates) if candidates else {}
    present = [c for c in candidates if counts.get(c)]
    if not present:
        return None
    return min(present, key=lambda c: (*_closeness(word, c), -counts[c], c))
