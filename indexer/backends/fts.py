"""Keyword search text -> SQLite FTS5 MATCH expressions (BM25 ranks them in catalog.py).

User text never reaches FTS5 as syntax: words become quoted terms joined by OR
(BM25 rewards passages matching more and rarer terms), and "quoted phrases" the
user writes become phrases every hit must contain. Names, numbers and references
such as "£150,000" or "24/00108" are matched as phrases of their parts.

BM25 must score every passage that holds any of the words, so in a large index a
common word ("council", in four passages of ten) costs more than everything else.
Words are therefore taken rarest first, and the most common are left out once the
passages to score pass POSTINGS_BUDGET; their low weight barely changes the order.
Below a few tens of thousands of passages every word is kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from ..text import STOP_WORDS

POSTINGS_BUDGET = 30_000   # passages one keyword query may score (about 40 ms on two cores)

# Column weights for bm25(): the passage itself, then its document title, item and heading.
TEXT_WEIGHT, CONTEXT_WEIGHT = 1.0, 0.4

_PHRASE = re.compile(r'"([^"]*)"')
_TERM = re.compile(r"[£$€#]?\w(?:[\w'’.,/&-]*\w)?%?")


def fts_query(text: str, postings: Callable[[str], int] | None = None) -> str | None:
    """A safe FTS5 MATCH expression for free text, or None when nothing searchable is left.

    postings(term) -> passages holding it; given, the commonest words beyond the budget are dropped.
    """
    phrases, terms = query_terms(text)
    if postings is not None:
        terms = within_budget(terms, postings)
    required = " AND ".join(quote(p) for p in phrases)
    if not terms:
        return required or None
    if not required:
        return " OR ".join(quote(t) for t in terms)
    # Every phrase must match; the other words only rank (the OR group always holds via a phrase).
    return f"{required} AND ({' OR '.join(quote(t) for t in [phrases[0], *terms])})"


def query_terms(text: str) -> tuple[list[str], list[str]]:
    """(the phrases quoted in free text, each of which a hit must hold; its other terms, once each, in order),
    stop words and single letters left out. A term of several tokens ("24/00108") is matched as their phrase."""
    phrases = [p for p in (" ".join(_TERM.findall(raw)) for raw in _PHRASE.findall(text)) if p]
    terms = []
    for term in _TERM.findall(_PHRASE.sub(" ", text)):
        if term.lower() in STOP_WORDS or (len(term) == 1 and not term.isdigit()):
            continue
        if term not in terms:
            terms.append(term)
    return phrases, terms


def within_budget(terms: list[str], postings: Callable[[str], int]) -> list[str]:
    """The terms, rarest first, while their passages fit the budget (the rarest is always kept); in query order."""
    kept, spent = set(), 0
    for cost, term in sorted((postings(t), t) for t in terms):
        if kept and spent + cost > POSTINGS_BUDGET:
            break
        kept.add(term)
        spent += cost
    return [t for t in terms if t in kept]


def tokens(term: str) -> list[str]:
    """The index's tokens for a term: unicode61 (lower case, no diacritics) then the Porter stemmer."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", term.lower()) if not unicodedata.combining(c))
    return [_stem(word) for word in re.findall(r"\w+", plain)]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _porter().stemWord(word)


@lru_cache(maxsize=1)
def _porter():
    import snowballstemmer

    return snowballstemmer.stemmer("porter")


def any_term(text: str) -> str | None:
    terms = [t for t in _TERM.findall(text) if t.lower() not in STOP_WORDS]
    return " OR ".join(quote(t) for t in terms) or None


def quote(term: str) -> str:
    """term as one FTS5 string: the phrase of its tokens."""
    return '"' + term.replace('"', '""') + '"'
