"""The Streamlit app, driven by streamlit.testing.AppTest against a real index."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import app_for, make_pdf, page_text

QUESTION = "How many people were placed into accommodation or with family during Everyone In?"


@pytest.fixture
def app(monkeypatch, demo_index):
    return app_for(demo_index.index_dir, monkeypatch)


@pytest.fixture(scope="module")
def years_app_index(tmp_path_factory, embedder):
    """Cabinet minutes from three years, each resolving on rough sleeping."""
    from indexer import build_index

    corpus = tmp_path_factory.mktemp("years")
    for year, count in (("2019", 12), ("2021", 30), ("2023", 45)):
        make_pdf(corpus / f"cabinet_minutes_{year}.pdf", [
            f"Cabinet\nMinutes of the meeting held on 14 March {year}\n\n"
            f"1. Rough sleeping update\nThe report said {count} rough sleepers were housed this year.\n"
            f"RESOLVED: That the rough sleeping plan for {year} be approved.",
        ], title=f"Cabinet minutes 14 March {year}")
    build_index(corpus, corpus / "index", embedder=embedder)
    return corpus / "index"


@pytest.fixture
def years_app(monkeypatch, years_app_index):
    return app_for(years_app_index, monkeypatch)


def _param(app, name):
    value = app.query_params.get(name)
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def test_question_shows_answer_and_cited_passages(app):
    app.run()
    assert not app.exception
    app.text_input(key="query").input(QUESTION).run()
    assert not app.exception
    assert "60 people had been placed" in app.success[0].value
    text = page_text(app)
    assert "Health and Wellbeing Together - 21 October 2020" in text
    assert text.count("PDF p") >= 11   # the answer's citation and one per passage on the first page
    assert "**placed**" in text
    assert _param(app, "q") == QUESTION


def test_filters_and_modes(app):
    app.run()
    app.text_input(key="query").input("rough sleepers").run()
    app.radio(key="mode").set_value("Keyword").run()
    assert not app.exception
    assert _param(app, "mode") == "keyword"
    assert app.multiselect(key="type").options == ["reports pack"]
    app.date_input(key="to").set_value(dt.date(2020, 10, 1)).run()
    assert not app.exception
    assert _param(app, "to") == "2020-10-01"
    text = page_text(app)   # the October pack's minutes of July pass on the July date; nothing else does
    assert "2020-07-08" in text and "2020-10-21 ·" not in text
    app.date_input(key="to").set_value(dt.date(2020, 7, 1)).run()
    assert any("No passages match" in i.value for i in app.info)
    app.date_input(key="from").set_value(dt.date(2020, 10, 21)).run()
    assert any("after the 'Meetings to' date" in w.value for w in app.warning)
    app.date_input(key="to").set_value(dt.date(2020, 10, 21)).run()
    assert not app.exception and "PDF p." in page_text(app)


def test_a_shared_address_restores_the_search(app):
    app.query_params.update({"q": "rough sleepers", "mode": "dense", "type": "reports pack",
                             "from": "2020-10-21", "page": "2"})
    app.run()
    assert not app.exception
    assert app.text_input(key="query").value == "rough sleepers"
    assert app.radio(key="mode").value == "Semantic"
    assert app.multiselect(key="type").value == ["reports pack"]
    assert app.date_input(key="from").value == dt.date(2020, 10, 21)
    assert app.radio(key="results_page").value == 2
    assert "**11." in page_text(app)  # the second page starts at the 11th passage


@pytest.mark.parametrize("query", ["x" * 5000, "?!?! ...", "مجلس المدينة", "<script>alert(1)</script>",
                                   "[link](javascript:alert(1))", 'NEAR("a" b) OR * ^x:-', "   "])
def test_odd_questions_never_break_the_page(app, query):
    app.run()
    app.text_input(key="query").input(query).run()
    assert not app.exception
    assert "<script>" not in "\n".join(m.value for m in app.markdown).replace("\\<script\\>", "")


def test_nothing_answers_says_so(app):
    app.run()
    app.text_input(key="query").input("What is the capital of Peru?").run()
    assert any("Nothing in the indexed papers answers this" in i.value and "2020" in i.value for i in app.info)


def test_not_sure_the_app_points_to_the_likeliest_sentence_without_stating_it(app, monkeypatch):
    from indexer.find import answer as answering

    monkeypatch.setattr(answering, "SURE_FROM", 1.01)   # no answer is that likely
    monkeypatch.setattr(answering, "HIGH_FROM", 1.02)
    app.run()
    app.text_input(key="query").input("Who presented the Outbreak Control Plan to the board?").run()
    assert not app.exception and not app.success   # nothing is stated as the answer
    assert any(i.value == "Not sure: the closest passages are below." for i in app.info)
    closest = [m.value for m in app.markdown if m.value.startswith("Closest to an answer, to check on the page:")]
    assert len(closest) == 1 and "John Denley" in closest[0]
    assert any(c.value.startswith("From ") and "PDF p" in c.value and "below)" in c.value for c in app.caption)


def test_page_view_and_paging_through_pages(app):
    app.run()
    app.text_input(key="query").input("Redwings treatment services").run()
    assert not app.exception
    first_open = next(b for b in app.button if b.key and b.key.startswith("open_"))
    first_open.click().run()
    assert not app.exception
    opened = [m.value for m in app.markdown if m.value.startswith("#### ") and "PDF page" in m.value]
    assert opened and "Public reports pack" in opened[0] and "of 72" in opened[0]
    assert app.get("image")
    app.button(key="page_next").click().run()
    assert not app.exception
    assert [m.value for m in app.markdown if m.value.startswith("#### ") and "PDF page" in m.value] != opened
    app.button(key="page_close").click().run()
    assert not any("PDF page" in m.value for m in app.markdown if m.value.startswith("#### "))


def test_chart_across_the_years_and_grouping_by_meeting(years_app):
    years_app.run()
    years_app.text_input(key="query").input("How many rough sleepers were housed?").run()
    assert not years_app.exception
    chart = years_app.get("arrow_vega_lite_chart") or years_app.get("vega_lite_chart")
    assert chart
    years_app.checkbox(key="grouped").check().run()
    meetings = [m.value for m in years_app.markdown if m.value.startswith("#### Meeting of")]
    assert meetings == ["#### Meeting of 2023-03-14", "#### Meeting of 2021-03-14", "#### Meeting of 2019-03-14"]
    assert _param(years_app, "group") == "1"


def _decision_dates(app) -> list[str]:
    return [m.value.split("**")[1] for m in app.markdown if m.value.startswith("**") and " · " in m.value]


def test_decisions_page_filters_history_and_exports(years_app):
    years_app.run()
    years_app.switch_page("ui/decisions.py").run()
    assert not years_app.exception
    assert _decision_dates(years_app) == ["14 March 2023", "14 March 2021", "14 March 2019"]
    text = page_text(years_app)
    assert "That the rough sleeping plan for 2021 be approved." in text   # in full, not cut in a cell
    assert "Outcome: **approved**" in text and all("PDF p. 1" in c.value for c in years_app.caption)
    assert len(years_app.get("download_button")) == 2   # CSV and JSON
    years_app.date_input(key="decision_to").set_value(dt.date(2022, 1, 1)).run()
    assert _decision_dates(years_app) == ["14 March 2021", "14 March 2019"]
    years_app.date_input(key="decision_to").set_value(dt.date(2025, 1, 1)).run()
    years_app.text_input(key="decision_query").input("rough sleeping plan").run()
    assert not years_app.exception and "most relevant first" in years_app.subheader[0].value
    years_app.toggle(key="decision_history").set_value(True).run()
    assert "oldest first" in years_app.subheader[0].value
    assert _decision_dates(years_app) == ["14 March 2019", "14 March 2021", "14 March 2023"]
    years_app.multiselect(key="decision_outcome").set_value(["noted"]).run()
    assert any("No decisions match" in i.value for i in years_app.info)


def test_decisions_page_opens_the_page_of_a_decision(years_app):
    years_app.run()
    years_app.switch_page("ui/decisions.py").run()
    opener = next(b for b in years_app.button if b.key and b.key.startswith("open_decision_"))
    opener.click().run()
    assert not years_app.exception
    assert any(m.value.startswith("#### ") and "PDF page 1" in m.value for m in years_app.markdown)


def test_decisions_csv_holds_what_is_shown():
    from ui.common import csv_text

    rows = [{"date": "2021-03-14", "decision": 'That the "plan", as amended, be approved.'}]
    assert csv_text(rows) == 'date,decision\r\n2021-03-14,"That the ""plan"", as amended, be approved."\r\n'


def test_many_pages_of_decisions_are_chosen_by_number_and_a_few_from_a_row():
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from ui.common import page_of

        count = st.session_state.get("count", 6468)
        st.write(f"page {page_of(count, 20, 'decision_page')}")

    many = AppTest.from_function(script).run()
    assert not many.radio and many.number_input[0].label == "Page (1 to 324)"
    many.number_input[0].set_value(324).run()
    assert many.markdown[-1].value == "page 324"
    many.session_state["count"] = 300   # filtered to 15 pages: the page asked for is clamped to the last
    many.run()
    assert many.number_input[0].label == "Page (1 to 15)" and many.markdown[-1].value == "page 15"
    few = AppTest.from_function(script)
    few.session_state["count"] = 45
    few.run()
    assert not few.number_input and list(few.radio[0].options) == ["1", "2", "3"]
    few.radio[0].set_value(3).run()
    assert few.markdown[-1].value == "page 3"


def test_coverage_page_lists_what_is_indexed(app):
    app.run()
    app.switch_page("ui/coverage.py").run()
    assert not app.exception
    text = page_text(app)
    assert "**1** documents, **72** pages" in text and "e5-small-v2" in text
    assert [s.value for s in app.subheader][-5:] == ["Skipped files (0)", "Withheld as exempt or confidential (0 pages)",
                                                     "Pages without text (0)", "Scanned pages read by OCR (0)",
                                                     "Copies indexed once (0)"]
    assert app.dataframe[0].value["body"][0] == "Health and Wellbeing Together"


def test_missing_index_says_how_to_build_one(monkeypatch, tmp_path):
    app = app_for(tmp_path / "missing", monkeypatch).run()
    assert not app.exception
    assert "python -m indexer build" in app.error[0].value


def test_corrupt_index_is_named_with_the_rebuild_command(monkeypatch, demo_index, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(demo_index.index_dir, broken)
    (broken / "index.sqlite").write_bytes(b"this is not a database" * 100)
    app = app_for(broken, monkeypatch).run()
    assert not app.exception
    assert "index.sqlite" in app.error[0].value and "python -m indexer build" in app.error[0].value


def test_sidebar_points_the_app_at_another_folder(app, tmp_path):
    app.run()
    app.text_input(key="index_dir").input(str(tmp_path / "elsewhere")).run()
    assert not app.exception
    assert "elsewhere" in app.error[0].value and "python -m indexer build" in app.error[0].value


def test_grouped_by_meeting_each_meeting_lists_its_best_passage_first(app):
    app.query_params["q"] = QUESTION
    app.query_params["group"] = "1"
    app.run()
    assert not app.exception
    ranks = [int(m.value.split(".", 1)[0].strip("*")) for m in app.markdown if m.value.startswith("**") and
             m.value[2:3].isdigit()]
    assert len(ranks) == 10 and ranks == sorted(ranks)  # one meeting in the demo: ranks 1..10 in order


def test_grouping_and_counts_by_meeting():
    from indexer.find.results import by_meeting, per_meeting
    from indexer.records import Hit

    def hit(rank, date):
        return Hit(rank, 10.0 - rank, "text", "a.pdf", "A", "minutes", "Cabinet", date, 1, 1, None, None, rank)

    hits = [hit(1, "2021-03-14"), hit(2, "2023-03-14"), hit(3, "2021-03-14"), hit(4, None), hit(5, "2023-03-14")]
    assert [(h.meeting_date, h.rank) for h in by_meeting(hits)] == [
        ("2023-03-14", 2), ("2023-03-14", 5), ("2021-03-14", 1), ("2021-03-14", 3), (None, 4)]
    assert per_meeting(hits) == {"2021-03-14": 2, "2023-03-14": 2, "undated": 1}


def test_a_body_name_is_shown_as_text(tmp_path, monkeypatch, embedder):
    from indexer import build_index

    corpus = tmp_path / "corpus"
    make_pdf(corpus / "minutes.pdf", ["Cabinet minutes: the rough sleeping plan was approved."])
    (corpus / "metadata.csv").write_text("path,body,doc_type\nminutes.pdf,**Loud** [Board](javascript:x),minutes\n")
    build_index(corpus, tmp_path / "index", embedder=embedder)
    app = app_for(tmp_path / "index", monkeypatch, query="rough sleeping plan")
    app.run()
    assert not app.exception
    details = [m.value for m in app.markdown if r"PDF p\. 1" in m.value and "match" in m.value]   # shown as text too
    assert details and all(r"\*\*Loud\*\* \[Board\]\(javascript:x\)" in d for d in details)


def _captions(app) -> str:
    return "\n".join(c.value for c in app.caption).replace("\\", "")


def test_the_app_says_where_a_question_steers_and_can_undo_it(years_app):
    years_app.run()
    years_app.text_input(key="query").input("What did Cabinet approve on rough sleeping in March 2021?").run()
    assert not years_app.exception
    assert "Looking first at: **Cabinet, March 2021**" in _captions(years_app)
    assert "plan for 2021 be approved" in years_app.success[0].value
    years_app.button(key="steer_off").click().run()
    assert "Searching everywhere alike, not first at: Cabinet, March 2021" in _captions(years_app)
    assert _param(years_app, "everywhere") == "1"
    years_app.button(key="steer_on").click().run()
    assert "Looking first at: **Cabinet, March 2021**" in _captions(years_app)


def test_before_any_question_the_app_says_what_is_indexed_and_offers_examples(app):
    app.run()
    assert not app.exception
    text = page_text(app)
    assert "**1** documents (72 pages) from **1** body, meetings of 2020: Health and Wellbeing Together (1)." in text
    examples = [b for b in app.button if b.key and b.key.startswith("example_")]
    assert len(examples) == 3 and all(b.label.startswith("What did Health and Wellbeing Together decide on")
                                      for b in examples)
    examples[0].click().run()
    assert not app.exception
    assert app.text_input(key="query").value == examples[0].label and app.success


def test_a_passage_links_to_the_council_site_only_by_http():
    from ui.common import web_address

    assert web_address("https://democracy.kent.gov.uk/documents/s1/Report (final).pdf") == \
        "https://democracy.kent.gov.uk/documents/s1/Report%20%28final%29.pdf"
    assert web_address("javascript:alert(1)") is None and web_address("file:///etc/passwd") is None
    assert web_address(None) is None


def test_a_title_shown_in_bold_has_no_space_or_line_break_inside_its_asterisks():
    from ui.common import strong

    assert strong("Draft Minutes 12 April 2016 Wereham Village ", lead="1. ") == \
        "**1. Draft Minutes 12 April 2016 Wereham Village**"
    assert strong(" Minutes of the\n**Board** ") == r"**Minutes of the \*\*Board\*\***"


def test_a_web_address_in_a_paper_is_shown_as_written_and_nothing_else_as_markdown():
    from ui.common import escaped

    text = "a proposal (http://example.org/2010/opening-up_accounts/). The *draft* # 3.5"
    assert escaped(text) == r"a proposal \(<http://example.org/2010/opening-up_accounts/>\)\. The \*draft\* \# 3\.5"
    assert escaped("javascript:alert(1)") == r"javascript:alert\(1\)"
