"""The load test: short runs against the demo index through the library and the running app."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

from indexer.cli import main
from indexer.measure.load import (
    RequestFailed,
    app_server,
    check_page,
    date_windows,
    fetch_page,
    load_app,
    questions_from,
)
from indexer.measure.stats import percentile

QUESTIONS = questions_from([REPO.parent / "shared" / "eval" / "dev_questions.jsonl",
                            REPO / "eval" / "realdata_questions.jsonl"])


def test_library_under_two_clients(tmp_path, demo_index, capsys):
    out = tmp_path / "load.json"
    code = main(["load", "--target", "api", "--clients", "2", "--seconds", "6",
                 "--index", str(demo_index.index_dir), "--out", str(out)])
    [result] = json.loads(out.read_text())
    assert result["target"] == "api" and result["clients"] == 2
    assert result["requests"] > 0, result
    assert result["errors"] == 0, result["error_messages"]
    assert code == 0
    assert result["throughput"] == round(result["requests"] / 6, 3) and result["p50_ms"] > 0
    assert "| api | 2 | 6 |" in capsys.readouterr().out


def test_app_under_two_clients(demo_index):
    # long enough for a page to finish on a busy machine (6 s saw none finish while other work ran)
    result = load_app(demo_index.index_dir, REPO / "app.py", QUESTIONS, clients=2, seconds=15)
    assert result.requests > 0, result
    assert result.errors == 0, result.error_messages


def test_a_page_that_raises_counts_as_an_error(tmp_path, demo_index):
    app = tmp_path / "app.py"
    app.write_text("import streamlit as st\nst.header('Answer')\nst.markdown('PDF p. 3')\n"
                   "raise ValueError('the page broke')\n")
    with app_server(demo_index.index_dir, app) as port:
        page = fetch_page(port, "q=homelessness", timeout=60)
    assert page.answered and page.citations == 1
    assert any("the page broke" in problem for problem in page.problems)
    with pytest.raises(RequestFailed, match="the page broke"):
        check_page(page)


def test_date_windows_differ_and_cover_the_meetings():
    window = date_windows("2020-10-21", "2021-02-03")
    seen = {window(n) for n in range(5000)}
    assert len(seen) == 5000
    assert all(start <= "2020-10-21" and end >= "2021-02-03" for start, end in seen)
    assert all(start >= "2020-01-01" and end <= "2021-12-31" for start, end in seen)


def test_one_percentile_for_every_measurement():
    assert percentile([40, 10, 30, 20], 50) == 25.0      # between the two middle values
    assert percentile([10, 20, 30, 40, 50], 95) == 48.0  # 95% of the way from the lowest to the highest
    assert percentile([7], 99) == 7 and percentile([], 50) is None
