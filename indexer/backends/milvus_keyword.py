"""How keyword candidates from Milvus are ranked, and how search's filters are expressed for Milvus.

Keyword ranking is the embedded index's FTS5's. The passage's words and its context (title, body,
date, item, heading) are two BM25 fields; Milvus's best POOL passages in each for the question's
words are the candidates, and they are ranked here as FTS5's bm25() ranks them: the same phrases
and terms (fts.query_terms: quoted phrases required, references such as "24/00108" matched as
phrases, the commonest words left out beyond the budget), each column's hits weighed as
bm25(chunks_fts, TEXT_WEIGHT, CONTEXT_WEIGHT) weighs them, one length per passage, and the counts
FTS5 weighs a term by read from the catalog beside the manifest (the same build's passages).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..records import Filters
from . import fts
from .catalog import Catalog
from .milvus_sync import WORD_FIELDS, fit, quoted, quoted_list, words

PATH_LIST = 2_000              # a path prefix holding LIKE's wildcards is sent as at most this many exact paths
POOL = 500                     # keyword candidates from each field, ranked here (BENCHMARKS.md: 200 to 2000 measured)
BM25_K1, BM25_B = 1.2, 0.75    # FTS5's bm25() constants


def expression(filters: Filters, catalog: Catalog) -> tuple[str | None, bool]:
    """(Milvus filter expression, whether its path clause may pass more than the filters do); None: nothing passes.

    Body: part of a name, case-insensitive, which Milvus's LIKE is not, so the matching bodies are
    found in the catalog and sent by name. Dates: a passage without a date passes no date filter."""
    clauses, loose = [], False
    if filters.body:
        bodies = catalog.bodies_like(filters.body)
        if not bodies:
            return None, False
        clauses.append(f"body in {quoted_list(fit(b, 1024) for b in bodies)}")
    if filters.doc_type:
        clauses.append(f"doc_type in {quoted_list(filters.doc_type)}")
    if filters.date_from or filters.date_to:
        clauses.append('meeting_date != ""')
    if filters.date_from:
        clauses.append(f"meeting_date >= {quoted(filters.date_from)}")
    if filters.date_to:
        clauses.append(f"meeting_date <= {quoted(filters.date_to)}")
    if filters.path:
        paths = catalog.paths_under(filters.path) if any(c in p for p in filters.path for c in "%_") else None
        if paths is not None and len(paths) <= PATH_LIST:   # LIKE has no escape for % and _ in every Milvus
            if not paths:
                return None, False
            clauses.append(f"path in {quoted_list(paths)}")
        else:
            clauses.append("(" + " or ".join(f"path like {quoted(p + '%')}" for p in filters.path) + ")")
            loose = paths is not None
    return " and ".join(clauses), loose


def holding(phrase: str) -> str:
    """A filter passing the passages whose text or context holds the phrase's stems (LIKE on the joined stems,
    which passes a few more, "plan" in "planet": the ranking counts the phrase exactly)."""
    pattern = quoted(f"%{words(phrase)}%")
    return "(" + " or ".join(f"{field} like {pattern}" for field in WORD_FIELDS) + ")"


def bm25(candidates: dict[int, tuple[list[str], list[str]]], phrases: list[str], terms: list[str],
         rows_matching: Callable[[str], int], rows: int, average: float) -> list[tuple[int, float]]:
    """The candidates FTS5 would match, scored as bm25(chunks_fts, TEXT_WEIGHT, CONTEXT_WEIGHT) scores them, best first.

    candidates: chunk id -> the stems of its text and of its context, in order; phrases and terms as
    fts.query_terms reads the query (the terms within the budget); rows_matching(term): the passages of the
    whole build matching it; rows, average: the build's passages and their average length in stems."""
    # FTS5 scores each phrase of the MATCH expression: '"p" AND ("p" OR "t" ...)' scores p twice.
    scored = [*phrases, *(phrases[:1] if terms else []), *terms]
    stems = {term: fts.tokens(term) for term in scored}
    idf = {term: _idf(rows, rows_matching(term)) for term in stems}
    ranked = []
    for chunk, (text, context) in candidates.items():
        found = {term: (_occurrences(text, held), _occurrences(context, held)) for term, held in stems.items()}
        if not all(sum(found[p]) for p in phrases) or not any(sum(hits) for hits in found.values()):
            continue
        norm = BM25_K1 * (1 - BM25_B + BM25_B * (len(text) + len(context)) / (average or 1.0))
        score = 0.0
        for term in scored:
            weighed = fts.TEXT_WEIGHT * found[term][0] + fts.CONTEXT_WEIGHT * found[term][1]
            score += idf[term] * weighed * (BM25_K1 + 1) / (weighed + norm)
        ranked.append((chunk, score))
    return sorted(ranked, key=lambda pair: (-pair[1], pair[0]))


def _idf(rows: int, matching: int) -> float:
    idf = math.log((rows - matching + 0.5) / (matching + 0.5))
    return idf if idf > 0 else 1e-6   # as FTS5: a term in most passages still counts, a little


def _occurrences(stems: list[str], phrase: list[str]) -> int:
    """How often the phrase's stems stand together, in order, among the passage's."""
    if len(phrase) == 1:
        return stems.count(phrase[0])
    count, at = 0, -1
    while True:
        try:
            at = stems.index(phrase[0], at + 1)
        except ValueError:
            return count
        count += stems[at:at + len(phrase)] == phrase


def stems_of(held: str) -> list[str]:
    """A field's stems, split on single spaces: a word stemmed to nothing (the s of "council's") keeps its place,
    as FTS5 keeps the s, so that phrases and lengths count as FTS5 counts them."""
    return held.split(" ") if held else []
