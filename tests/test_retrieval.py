"""Keyword, dense and hybrid retrieval over one real index; fusion; phrases; filters in every mode."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest
from conftest import REPO, make_pdf

from indexer import build_index, open_index
from indexer.find.focus import Focus
from indexer.find.rerank import Reranker, best_windows
from indexer.find.search import (RERANK_DEPTH, _read_also, _with_leaders, prefer_focus, reciprocal_rank_fusion,
                                 rerank_hits, second_window, with_first_stage)
from indexer.records import Hit


def test_reciprocal_rank_fusion_rewards_agreement():
    dense = [(1, 0.9), (2, 0.8), (3, 0.7)]
    keyword = [(3, 12.0), (4, 11.0), (1, 10.0)]
    fused = [chunk_id for chunk_id, _ in reciprocal_rank_fusion([dense, keyword])]
    assert fused[:2] == [1, 3]  # in both lists, near the top of each
    assert set(fused) == {1, 2, 3, 4}
    assert reciprocal_rank_fusion([[], []]) == []


def test_the_leaders_of_a_retriever_are_read_by_the_cross_encoder_whatever_their_fused_rank():
    fused = [(n, 1.0 / (n + 1)) for n in range(40)]
    dense_best = [(33, 0.9), (2, 0.8)]       # 33 matched no words, so fusion sank it
    ranked = _with_leaders(fused, [dense_best, [(25, 7.0)]])
    read = [chunk_id for chunk_id, _ in ranked[:RERANK_DEPTH]]
    assert 33 in read and 25 in read and 2 in read
    assert sorted(chunk_id for chunk_id, _ in ranked) == list(range(40))   # nothing lost or doubled
    assert read[:RERANK_DEPTH - 2] == list(range(RERANK_DEPTH - 2))       # the fused order is kept otherwise
    assert _with_leaders(fused, [[(3, 1.0)]]) == fused


def test_the_named_meetings_passages_are_read_beside_the_others_not_instead():
    fused = [(n, 1.0 / (n + 1)) for n in range(40)]
    ranked, reading = _read_also(fused, [(30, 0.9), (3, 0.8), (35, 0.7)])    # 3 is read already
    assert reading == RERANK_DEPTH + 2
    assert [chunk_id for chunk_id, _ in ranked[:reading]] == [*range(RERANK_DEPTH), 30, 35]
    assert sorted(chunk_id for chunk_id, _ in ranked) == list(range(40))   # nothing lost or doubled
    assert _read_also(fused, []) == (fused, RERANK_DEPTH) and _read_also(fused, [(2, 1.0)]) == (fused, RERANK_DEPTH)


def _reranked(chunk_id: int, score: float) -> Hit:
    return Hit(rank=0, score=score, text="", doc_path="a.pdf", doc_title="A", doc_type="minutes", body=None,
               meeting_date=None, pdf_page=1, pdf_page_end=1, page_label=None, item=None, chunk_id=chunk_id,
               reranked=True)


def test_a_near_tie_of_the_cross_encoder_goes_to_the_passage_the_retrievers_ranked_higher():
    first_stage = [(n, 1.0 / (n + 1)) for n in range(1, 41)]      # chunk 1 first ... chunk 40 last
    near_tie = with_first_stage([_reranked(12, 6.3), _reranked(1, 6.1)], [first_stage])
    assert [hit.chunk_id for hit in near_tie] == [1, 12] and [hit.rank for hit in near_tie] == [1, 2]
    clear_lead = with_first_stage([_reranked(12, 7.5), _reranked(1, 6.1)], [first_stage])
    assert [hit.chunk_id for hit in clear_lead] == [12, 1]
    assert clear_lead[1].score == 6.1                               # the first-stage leader loses nothing
    unranked = with_first_stage([_reranked(99, 6.1), _reranked(40, 6.1)], [first_stage])
    assert [hit.chunk_id for hit in unranked] == [40, 99]           # not in the first stage: placed past its end
    dense_leader = with_first_stage([_reranked(12, 6.1), _reranked(40, 6.2)], [first_stage, [(40, 0.9)]])
    assert [hit.chunk_id for hit in dense_leader] == [40, 12]       # read for its dense place, judged by it


def test_a_passage_of_the_month_a_question_names_outranks_another_years_a_little_higher():
    june_2023, june_2024 = _minutes_passage(1, "2023-06-14", "4. Consent", "x"), _minutes_passage(2, "2024-06-12", "4. Consent", "x")
    june = Focus(month="2023-06")
    near = prefer_focus([replace(june_2024, score=6.0), replace(june_2023, score=5.5)], june)
    assert [hit.chunk_id for hit in near] == [1, 2] and [hit.rank for hit in near] == [1, 2]
    assert near[0].score == 5.5                                     # its score stays the cross-encoder's
    far = prefer_focus([replace(june_2024, score=8.0), replace(june_2023, score=5.5)], june)
    assert [hit.chunk_id for hit in far] == [2, 1]                   # a clear lead still wins
    other_body = prefer_focus([replace(june_2024, score=6.0), replace(june_2023, score=5.5)],
                              Focus(bodies=("Cabinet",), month="2023-06"))
    assert [hit.chunk_id for hit in other_body] == [2, 1]            # inside the focus means body and month


def test_the_passages_of_the_month_a_question_names_are_found_within_it(demo_index):
    from indexer.find.search import MEETING_READ, inside_month
    from indexer.records import make_filters

    build = demo_index.build
    question = "What did the board hear about the outbreak control plan?"
    vector = demo_index.models.embedder(build.manifest.model).encode_queries([question])
    july = inside_month(build, vector, question, Focus(month="2020-07"), make_filters())
    assert july and len(july) <= 2 * MEETING_READ     # the best few of each retriever
    # the minutes of 8 July 2020 carried in the October pack are the month's passages
    assert all(hit.meeting_date.startswith("2020-07") for hit in build.hits(july))
    assert inside_month(build, vector, question, Focus(month="2019-07"), make_filters()) == []
    # the reader's own filters still hold
    assert inside_month(build, vector, question, Focus(month="2020-07"), make_filters(date_from="2020-10-01")) == []


def test_a_table_read_as_one_line_is_read_where_the_question_matches():
    rows = " ".join(f"Fund {n} - $ {n},000.00" for n in range(60))    # 300 words, no sentence or line break
    text = f"Purchase orders and transfers. {rows} CARES Act - $ 6,546,500.00 Regional Transit - $ 804,114.00"
    best = best_windows(text, {"cares": 2.0, "act": 1.0}, words=80, count=1)[0]
    assert "CARES Act - $ 6,546,500.00" in best


def test_in_prose_a_window_starts_where_a_sentence_does():
    def sentence(n: int, word: str) -> str:
        words = ["filler"] * 28
        words[23] = word
        return f"Sentence {n} " + " ".join(words) + "."
    # 'cares' ends sentence 5 and 'act' sentence 7: only a window starting inside sentence 5 would hold both
    text = " ".join(sentence(n, {5: "cares", 7: "act"}.get(n, "filler")) for n in range(10))
    best = best_windows(text, {"cares": 2.0, "act": 1.0}, words=80, count=1)[0]
    assert best.startswith("Sentence ") and "cares" in best


def test_a_leaders_second_stretch_is_the_best_by_the_words_its_heading_does_not_show():
    """Every stretch of a report shares its title's words; read again, a leader is read where the rest of the
    question is (here 80 words and more from any mention of the title)."""
    def sentence(words: str) -> str:
        return " ".join((words.split() + ["filler"] * 27)[:27]) + "."
    titled = sentence("The Integrated Care Strategy delivery plan sets the direction")
    asked = sentence("Around 80% of the influences on health lie beyond the reach of the NHS")
    text = " ".join([titled] * 3 + [sentence("")] * 3 + [asked] + [sentence("")] * 3 + [titled] * 3)
    weights = {"integ": 2.0, "care": 1.0, "strat": 1.5, "influ": 2.5, "nhs": 1.5}
    read = best_windows(text, weights, words=80, count=2)
    assert all("influences" not in window for window in read)    # the title's words win both places
    head = "Kent County Council 30 January 2025: Adoption of the Integrated Care Strategy delivery plan"
    assert "influences on health" in second_window(text, read, weights, head)
    # nothing asked beyond the heading: the second best stretch by all the words
    assert second_window(text, read, {"integ": 2.0, "strat": 1.5}, head) == read[1]


def _minutes_passage(chunk_id: int, meeting_date: str, item: str, text: str) -> Hit:
    return Hit(rank=0, score=0.0, text=f"{item}\n{text}", doc_path="minutes.md", doc_title="Board Meeting Minutes",
               doc_type="minutes", body="FOWD", meeting_date=meeting_date, pdf_page=1, pdf_page_end=1,
               page_label=None, item=item, chunk_id=chunk_id)


def test_a_body_the_question_spells_out_heads_its_passages_as_the_question_names_it():
    """'Fair Oaks Water District' in the question: the passage of FOWD's minutes that answers must not lose
    to one that merely spells the name out."""
    budget = _minutes_passage(
        1, "2024-10-28", "III. Discussion and possible action on proposed 2025 FOWD annual budget",
        "The General Manager presented the completed budget document; no changes were asked for. Director "
        "Sarkovich moved to approve the proposed 2025 FOWD Annual Budget. Director Marx seconded the motion. "
        "Motion carried with the following votes: Babcock - aye, Dolby - aye.")
    report = _minutes_passage(
        2, "2025-03-17", "VI.2. Accept and file the Fair Oaks Water District's Annual Financial Report",
        "President Sarkovich moved to approve the file of the Fair Oaks Water District's Annual Comprehensive "
        "Financial Report for the year ended December 31, 2024 as amended. Director Petersen seconded the motion. "
        "Motion carried with the following votes: Babcock - aye.")
    question, reranker = "Did the Fair Oaks Water District board adopt its budget for 2025?", Reranker()
    as_indexed = rerank_hits(reranker, question, [report, budget], {})
    as_asked = rerank_hits(reranker, question, [report, budget], {}, names={"FOWD": "Fair Oaks Water District"})
    assert [hit.chunk_id for hit in as_indexed] == [2, 1]    # read under 'FOWD', the spelled-out name wins
    assert [hit.chunk_id for hit in as_asked] == [1, 2]


@pytest.mark.parametrize("text, found", [
    ('NEAR(a b', None), ('"unbalanced', None), ("* OR : ^ -", None), ("'; DROP TABLE chunks; --", None),
    ("a" * 10_000, None), ("\x00\x01 ctrl", None), ("مرحبا بالعالم", None), ("(((", None), ("AND OR NOT", None),
    ("😀 housing 🏠", "hous"), ('"rough sleepers', "rough sleep"), ("homeless* OR:", "homeless"),
])
def test_any_text_makes_a_safe_match_expression(text, found, demo_index):
    """Operators and punctuation are never syntax: only the words match, as words."""
    import re

    words = {w.lower()[:4] for w in re.findall(r"\w+", text) if len(w) > 1} - {"and", "or", "not"}
    hits = demo_index.search(text, k=3, mode="keyword", rerank=False)
    assert all(any(w in h.text.lower() for w in words) for h in hits)  # each hit holds one of the words
    if found:
        assert hits and found in hits[0].text.lower()


@pytest.fixture(scope="module")
def council(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("council")
    make_pdf(root / "corpus" / "cabinet" / "2024-03-01" / "Minutes.pdf", [
        "Cabinet minutes. Decision 24/00108: the grant of £150,000 to the Redwings hostel was approved.",
        "The cabinet discussed the forward plan for libraries and noted the library opening hours.",
    ])
    make_pdf(root / "corpus" / "scrutiny" / "2022-06-01" / "Report.pdf", [
        "Scrutiny report on homelessness: rough sleepers were housed in hotels during the pandemic.",
        "The library plan forward was delayed; opening hours for libraries were not reviewed.",
    ])
    build_index(root / "corpus", root / "index", embedder=embedder)
    return open_index(root / "index", embedder)


def test_names_numbers_and_references_match_in_keyword_mode(council):
    for query in ("£150,000", "24/00108", "Redwings"):
        hits = council.search(query, k=3, mode="keyword")
        assert hits and hits[0].doc_path == "cabinet/2024-03-01/Minutes.pdf", query


def test_exact_phrase_must_match(council):
    hits = council.search('"forward plan" libraries', k=5, mode="keyword")
    assert [h.doc_path for h in hits] == ["cabinet/2024-03-01/Minutes.pdf"]
    loose = council.search("forward plan libraries", k=5, mode="keyword")
    assert len({h.doc_path for h in loose}) == 2


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "dense"])
def test_filters_hold_in_every_mode(council, mode):
    hits = council.search("libraries opening hours", k=5, mode=mode, body="scrutiny")
    assert hits and {h.body for h in hits} == {"Scrutiny"}
    hits = council.search("libraries opening hours", k=5, mode=mode, date_from="2023-01-01")
    assert hits and {h.meeting_date for h in hits} == {"2024-03-01"}


def test_hybrid_finds_what_either_retriever_finds(council):
    keyword_only = council.search("24/00108", k=1, mode="keyword")[0]
    hybrid = [h.chunk_id for h in council.search("24/00108", k=3, mode="hybrid")]
    assert keyword_only.chunk_id in hybrid


def test_snippet_marks_query_words(council):
    hit = council.search("Redwings grant", k=1, mode="keyword")[0]
    assert "**Redwings**" in council.snippet("Redwings grant", hit)


def test_cli_modes_and_rerank(council):
    out = subprocess.run(
        [sys.executable, "-m", "indexer", "search", str(council.index_dir), "rough sleepers housed",
         "--mode", "keyword", "--rerank", "--json", "-k", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    ).stdout.splitlines()
    hits = [json.loads(line) for line in out]
    assert hits[0]["doc_path"] == "scrutiny/2022-06-01/Report.pdf"
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))


def test_path_filter_and_module_level_api(council):
    from indexer import ask, search

    hits = search(council, "libraries opening hours", k=5, path="scrutiny/")
    assert hits and {h.doc_path for h in hits} == {"scrutiny/2022-06-01/Report.pdf"}
    answer = ask(council.index_dir, "How much was the grant to the Redwings hostel?", path="cabinet")
    assert answer.text and "£150,000" in answer.text


def test_common_words_are_left_out_of_a_keyword_query_beyond_the_budget(monkeypatch):
    from indexer.backends import fts as keyword

    counts = {"council": 400_000, "rough": 2_000, "sleepers": 1_500, "housed": 90_000}
    assert keyword.within_budget(list(counts), counts.get) == ["rough", "sleepers"]
    monkeypatch.setattr(keyword, "POSTINGS_BUDGET", 10)
    assert keyword.within_budget(list(counts), counts.get) == ["sleepers"]  # the rarest is always kept
    assert keyword.fts_query('council "rough sleepers" housed', counts.get) == '"rough sleepers" AND ("rough sleepers" OR "housed")'


def test_word_counts_come_from_the_index_vocabulary(demo_index):
    count = demo_index.build.catalog.term_counter("chunks_fts")
    assert count("sleepers") == count("sleeper") > 0       # the Porter stem, as FTS5 indexes it
    assert count("Homelessness") == count("homelessness") > 0
    assert count("xylophone") == 0
    assert count("24/00108") == count("24") + count("00108")


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "dense"])
def test_a_date_filter_holds_for_passages_that_hold_decisions(demo_index, mode):
    """The pack of 21 October 2020 prints the minutes of 8 July 2020: those decisions, and the passages of
    those minutes, are dated 8 July and pass a filter that ends before the pack's date."""
    from indexer.records import make_filters

    assert demo_index.decisions("forward plan", make_filters(date_to="2020-09-01"))
    hits = demo_index.search("What did the board resolve on the forward plan?", k=5, mode=mode, date_to="2020-09-01")
    assert hits and all(h.meeting_date == "2020-07-08" for h in hits)
    assert any("Forward Plan 2020 – 2021 be noted" in h.text for h in hits)