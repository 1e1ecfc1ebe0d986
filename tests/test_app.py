"""The Streamlit page, driven by streamlit.testing.AppTest against a real index."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO


@pytest.fixture
def app(monkeypatch, demo_index):
    monkeypatch.setenv("INDEX_DIR", str(demo_index.reader.index_dir))
    monkeypatch.chdir(REPO)
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=180)


def _markdown(app) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_question_shows_answer_and_cited_passages(app):
    app.run()
    assert not app.exception
    app.text_input(key="query").input("How many people were placed in accommodation during Everyone In?").run()
    assert not app.exception
    assert "60 people had been placed" in app.success[0].value
    captions = [c.value for c in app.caption]
    assert sum("PDF p" in c for c in captions) >= 10
    assert "**60** **people** had been **placed**" in _markdown(app) or "**placed**" in _markdown(app)
    assert app.query_params["q"] in ("How many people were placed in accommodation during Everyone In?",
                                   ["How many people were placed in accommodation during Everyone In?"])


def test_filters_and_modes(app):
    app.run()
    app.text_input(key="query").input("rough sleepers").run()
    app.radio(key="mode").set_value("Keyword").run()
    assert not app.exception
    assert app.query_params["mode"] in ("keyword", ["keyword"])
    app.text_input(key="to").input("2019-01-01").run()
    assert not app.exception
    assert any("No passages match" in i.value for i in app.info)
    app.text_input(key="to").input("not a date").run()
    assert not app.exception and "YYYY-MM-DD" in app.warning[0].value


@pytest.mark.parametrize("query", ["x" * 5000, "?!?! ...", "مجلس المدينة", "<script>alert(1)</script>",
                                   "[link](javascript:alert(1))"])
def test_odd_questions_never_break_the_page(app, query):
    app.run()
    app.text_input(key="query").input(query).run()
    assert not app.exception


def test_nothing_answers_says_so(app):
    app.run()
    app.text_input(key="query").input("What is the capital of Peru?").run()
    assert any("Nothing in the indexed papers answers this" in i.value for i in app.info)


def test_missing_index_says_how_to_build_one(monkeypatch, tmp_path):
    monkeypatch.setenv("INDEX_DIR", str(tmp_path / "missing"))
    monkeypatch.chdir(REPO)
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert "python -m indexer build" in app.error[0].value


def test_page_view_chart_and_grouping(app):
    app.run()
    app.text_input(key="query").input("Redwings treatment services").run()
    assert not app.exception
    app.checkbox(key="grouped").check().run()
    assert any("Meeting of 2020-10-21" in m.value for m in app.markdown)
    first_open = next(b for b in app.button if b.key and b.key.startswith("open_"))
    first_open.click().run()
    assert not app.exception
    assert any("PDF page" in h.value for h in app.subheader)
    assert app.get("image")
    app.button(key="page_next").click().run()
    assert not app.exception

