"""Property-based tests: any query text is handled, and the chunker keeps every word on a valid page range."""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indexer import BadQuery
from indexer.backends.fts import fts_query
from indexer.papers.chunking import MAX_WORDS, chunk_blocks
from indexer.papers.layout import TEXT, Page
from indexer.papers.structure import split_blocks

_FTS = sqlite3.connect(":memory:")
_FTS.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61 remove_diacritics 2')")
_FTS.execute("INSERT INTO t VALUES ('the board resolved that the budget be approved')")

HOSTILE = ['"unbalanced', 'NEAR(a b', "a* OR b*", "col:value", "-minus ^caret", "((((", "'; DROP TABLE chunks; --",
           "\x00\x07\x1b[31m", "مجلس المدينة قرر", "🏠 housing 🚫", "a" * 10_000, "AND OR NOT", '"" ""']


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
@example("NEAR(budget, approved)")
@example('"budget" AND')
def test_any_text_becomes_a_valid_fts5_query_or_none(text):
    match = fts_query(text)
    if match is not None:
        _FTS.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200)))
def test_any_text_searches_or_says_why(demo_index, text):
    for mode in ("keyword", "hybrid"):
        try:
            hits = demo_index.search(text, k=5, mode=mode, rerank=False)
        except BadQuery:
            assert not text.split(), "only an empty question is refused"
            continue
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1)) and len(hits) <= 5
        assert all(1 <= h.pdf_page <= h.pdf_page_end for h in hits)
        if mode == "keyword" and fts_query(text) is None:
            assert hits == []


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)
_LINE = st.lists(_WORD, min_size=1, max_size=30).map(lambda words: " ".join(words) + ".")
_PAGE = st.lists(_LINE, max_size=25).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PAGE, min_size=1, max_size=8))
def test_chunks_cover_every_word_on_valid_page_ranges(texts):
    pages = [Page(n, str(n), text, TEXT) for n, text in enumerate(texts, start=1)]
    chunks = chunk_blocks(split_blocks(pages, [None] * len(pages)))
    assert all(c.text.strip() for c in chunks), "no empty chunks"
    assert all(1 <= c.pdf_page <= c.pdf_page_end <= len(pages) for c in chunks)
    assert all(len(c.text.split()) <= MAX_WORDS for c in chunks)
    for number, text in enumerate(texts, start=1):
        for word in set(text.replace(".", " ").split()):
            assert any(word in c.text.replace(".", " ").split() and c.pdf_page <= number <= c.pdf_page_end
                       for c in chunks), (word, number)
