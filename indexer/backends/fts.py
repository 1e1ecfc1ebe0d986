"""Keyword retrieval: SQLite FTS5 with BM25 ranking over chunk text.

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
import sqlite3
import unicodedata
from collections.abc import Callable
from functools import lru_cache

POSTINGS_BUDGET = 30_000   # passages one keyword query may score (about 40 ms on two cores)

# Column weights for bm25(): the passage itself, then its document title, item and heading.
TEXT_WEIGHT, CONTEXT_WEIGHT = 1.0, 0.4

_PHRASE = re.compile(r'"([^"]*)"')
_TERM = re.compile(r"[£$€#]?\w(?:[\w'’.,/&-]*\w)?%?")
_STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
ours out over own same she should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom whose why will with would
you your yours tell show give find many much know anything something
""".split())


def fts_query(text: str, postings: Callable[[str], int] | None = None) -> str | None:
    """A safe FTS5 MATCH expression for free text, or None when nothing searchable is left.

    postings(term) -> passages holding it; given, the commonest words beyond the budget are dropped.
    """
    phrases = [p for p in (" ".join(_TERM.findall(raw)) for raw in _PHRASE.findall(text)) if p]
    rest = _PHRASE.sub(" ", text)
    terms = []
    for term in _TERM.findall(rest):
        if term.lower() in _STOPWORDS or (len(term) == 1 and not term.isdigit()):
            continue
        if term not in terms:
            terms.append(term)
    if postings is not None:
        terms = _within_budget(terms, postings)
    required = " AND ".join(_quote(p) for p in phrases)
    if not terms:
        return required or None
    if not required:
        return " OR ".join(_quote(t) for t in terms)
    # Every phrase must match; the other words only rank (the OR group always holds via a phrase).
    return f"{required} AND ({' OR '.join(_quote(t) for t in [phrases[0], *terms])})"


def keyword_search(db: sqlite3.Connection, query: str, limit: int, where: str = "1",
                   params: list | None = None) -> list[tuple[int, float]]:
    """(chunk id, BM25 score; higher is better), best first, within the filter `where` on documents d."""
    match = fts_query(query, postings_counter(db, "chunks_fts"))
    if match is None:
        return []
    rank = f"bm25(chunks_fts, {TEXT_WEIGHT}, {CONTEXT_WEIGHT})"
    if where == "1":  # no filter: no need to look up each matching passage's document
        sql = f"SELECT rowid, {rank} AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?"
    else:
        sql = (f"SELECT f.rowid, {rank} AS rank FROM chunks_fts f JOIN chunks c ON c.id = f.rowid"
               f" JOIN documents d ON d.id = c.doc_id WHERE chunks_fts MATCH ? AND {where} ORDER BY rank LIMIT ?")
    rows = db.execute(sql, [match, *(params or []), limit]).fetchall()
    return [(row[0], -row[1]) for row in rows]


def attach_vocabularies(db: sqlite3.Connection) -> None:
    """Read-only views of the FTS5 term counts (temporary tables: the index file is not written)."""
    for table in ("chunks_fts", "decisions_fts"):
        db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab USING fts5vocab(main, {table}, 'row')")


def postings_counter(db: sqlite3.Connection, table: str) -> Callable[[str], int]:
    """term -> how many rows of the FTS5 table hold it (summed over its tokens), from the index's vocabulary."""

    def count(term: str) -> int:
        total = 0
        for token in _tokens(term):
            row = db.execute(f"SELECT doc FROM temp.{table}_vocab WHERE term = ?", (token,)).fetchone()
            total += row[0] if row else 0
        return total

    return count


def _within_budget(terms: list[str], postings: Callable[[str], int]) -> list[str]:
    """The terms, rarest first, while their passages fit the budget (the rarest is always kept); in query order."""
    kept, spent = set(), 0
    for cost, term in sorted((postings(t), t) for t in terms):
        if kept and spent + cost > POSTINGS_BUDGET:
            break
        kept.add(term)
        spent += cost
    return [t for t in terms if t in kept]


def _tokens(term: str) -> list[str]:
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


def snippet(db: sqlite3.Connection, query: str, chunk_id: int, mark: tuple[str, str] = ("**", "**"),
            words: int = 40) -> str | None:
    """The passage's best-matching stretch with the query's terms marked, or None when none match."""
    match = _any_term(query)
    if match is None:
        return None
    row = db.execute(
        "SELECT snippet(chunks_fts, 0, ?, ?, ' … ', ?) FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid = ?",
        [mark[0], mark[1], words, match, chunk_id],
    ).fetchone()
    return row[0] if row else None


def _any_term(text: str) -> str | None:
    terms = [t for t in _TERM.findall(text) if t.lower() not in _STOPWORDS]
    return " OR ".join(_quote(t) for t in terms) or None


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'
