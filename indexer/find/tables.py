"""How a passage's long table line is read: whole, and in the part the question names.

A paper that prints a table's rows run together (a budget sheet, a warrants report, a capital summary)
gives one "sentence" of hundreds of words, of which the cross-encoder reads only the first tokens. Such a
line is read again as its headings and the row the question asks about.
"""

from __future__ import annotations

from .rerank import best_windows, word_stem

_UNIT_WORDS = 80      # a table line read as one sentence longer than this is also read in its best part,
_TABLE_HEADING = 12   # after its first words, its headings
_TABLE_ANCHOR = 8     # words: the part starts where the stretch of this many holding most of the question's words does


def read_in_parts(units: list[str], weights: dict[str, float]) -> list[str]:
    """The units, and after one longer than _UNIT_WORDS that reads as a table line that line in its part the
    question names (_table_part): the cross-encoder reads only the first tokens of the whole. A long sentence
    of prose is read whole only: cut to a stretch, it lost the clause that answered."""
    read = []
    for unit in units:
        read += [unit, *_table_part(unit, weights)] if long_table(unit) else [unit]
    return read


def _table_part(unit: str, weights: dict[str, float]) -> list[str]:
    """A long table line read as its headings and the row the question names: the stretch of _UNIT_WORDS // 2
    words holding most of the question's words that the headings (its first _TABLE_HEADING words) do not,
    from where its best few words start ('TINTERN COMMUNITY COUNCIL - BUDGET 2015/16 2016/17 ITEM Budget Spent
    ... … Projects 6,000 7,695 8,000 9,080 ...'); a row near the top is read from the top, headings and all.
    Chosen by all the question's words, the stretch was the headings themselves whenever the question named
    the table, or one that ended on the row asked about."""
    words = unit.split()
    heading, rest = " ".join(words[:_TABLE_HEADING]), words[_TABLE_HEADING:]
    named = {word_stem(word) for word in words[:_TABLE_HEADING]}
    beyond = {term: weight for term, weight in weights.items() if term not in named}
    # the best stretch, started where the row named begins (its best few words), not where a stretch ending on it would
    region = _located(rest, best_windows(" ".join(rest), beyond or weights, _UNIT_WORDS // 2, 1)[0])
    stretch = rest[region:region + _UNIT_WORDS // 2]
    start = region + _located(stretch, best_windows(" ".join(stretch), beyond or weights, _TABLE_ANCHOR, 1)[0])
    if _TABLE_HEADING + start <= _UNIT_WORDS // 2:   # near the top: read from the top, headings and all
        return [" ".join(words[:_TABLE_HEADING + start + _UNIT_WORDS // 2])]
    return [f"{heading} … {' '.join(rest[start:start + _UNIT_WORDS // 2])}"]


def _located(words: list[str], stretch: str) -> int:
    """Where a stretch of these words (as best_windows gives it) starts among them; 0 if it is not found."""
    wanted = stretch.split()
    return next((n for n in range(len(words)) if words[n:n + len(wanted)] == wanted), 0)


def long_table(text: str) -> bool:
    """Whether a unit is longer than _UNIT_WORDS and reads as table rows run together: a figure or a cell
    mark in a fifth of its words or more."""
    words = text.split()
    return (len(words) > _UNIT_WORDS
            and sum(1 for word in words if any(c.isdigit() or c in "$£€|%" for c in word)) >= len(words) / 5)
