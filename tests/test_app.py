"""The Streamlit page, driven by streamlit.testing.AppTest against a real index."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO


@pytest.fixture
def app(monkeypatch, demo_index):
    monkeypatch.setenv("INDEX_DIR", str(demo_index.reader.index_dir))
    monkeypatch.chdir(REPO)
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=120)


def test_question_shows_cited_passages(app):
    app.run()
    assert not app.exception
    app.text_input(key="query").input("How many people were placed in accommodation during Everyone In?").run()
    assert not app.exception
    captions = [c.value for c in app.caption]
    assert captions and all("PDF p" in c for c in captions)
    assert any("60 people had been placed" in t.value for t in app.text)


def test_missing_index_says_how_to_build_one(monkeypatch, tmp_path):
    monkeypatch.setenv("INDEX_DIR", str(tmp_path / "missing"))
    monkeypatch.chdir(REPO)
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert "python -m indexer build" in app.error[0].value
