"""A paper published twice (the same file, or the same text in a new file) is indexed once, with every path."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import REPO, app_for, make_pdf, page_text

from indexer import build_index, open_index
from indexer.index.copies import IDENTICAL, SAME_TEXT
from indexer.index.plan import index_status

MINUTES = [
    "Finance Committee\nMinutes of the meeting held on 3 March 2016\n\n"
    "4. Allotment rents\nMembers considered the report on allotment rents for the coming year.\n"
    "RESOLVED: That allotment rents rise by five per cent from 1 October 2016.",
]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    original = make_pdf(folder / "2016" / "finance-minutes-2016-03-03.pdf", MINUTES)
    (folder / "archive").mkdir()
    shutil.copy(original, folder / "archive" / "finance-minutes-copy.pdf")
    make_pdf(folder / "republished" / "finance-minutes-march.pdf", MINUTES, title="Finance minutes (re-published)")
    make_pdf(folder / "other.pdf", ["Planning Committee\nMinutes of 5 May 2016\n\n"
                                    "2. Tree preservation order on the oak at Mill Lane was confirmed."])
    assert (folder / "republished" / "finance-minutes-march.pdf").read_bytes() != original.read_bytes()
    return folder


def test_copies_are_indexed_once_with_all_their_paths(corpus, tmp_path, embedder):
    report = build_index(corpus, tmp_path / "index", embedder=embedder)
    assert report.documents == 2
    assert report.copies == [
        ("archive/finance-minutes-copy.pdf", "2016/finance-minutes-2016-03-03.pdf", IDENTICAL),
        ("republished/finance-minutes-march.pdf", "2016/finance-minutes-2016-03-03.pdf", SAME_TEXT),
    ]
    index = open_index(tmp_path / "index", embedder)
    hits = index.search("allotment rents", k=5)
    assert [h.doc_path for h in hits].count("2016/finance-minutes-2016-03-03.pdf") == len(
        [h for h in hits if "allotment" in h.text])
    assert hits[0].copies == ["archive/finance-minutes-copy.pdf", "republished/finance-minutes-march.pdf"]
    assert len(index.decisions("allotment rents")) == 1
    assert [c[0] for c in index.info().copies] == [c[0] for c in report.copies]
    assert index_status(corpus, tmp_path / "index") == "current"

    again = build_index(corpus, tmp_path / "index", embedder=embedder)
    assert (again.embedded_files, again.reused_files, again.copies) == (0, 2, report.copies)


def test_when_the_original_goes_a_copy_takes_its_place(corpus, tmp_path, embedder):
    build_index(corpus, tmp_path / "index", embedder=embedder)
    (corpus / "2016" / "finance-minutes-2016-03-03.pdf").unlink()
    report = build_index(corpus, tmp_path / "index", embedder=embedder)
    assert report.removed_files == ["2016/finance-minutes-2016-03-03.pdf"]
    assert report.copies == [("republished/finance-minutes-march.pdf", "archive/finance-minutes-copy.pdf", SAME_TEXT)]
    hit = open_index(tmp_path / "index", embedder).search("allotment rents", k=1)[0]
    assert hit.doc_path == "archive/finance-minutes-copy.pdf"
    assert hit.copies == ["republished/finance-minutes-march.pdf"]


def test_info_lists_the_copies(corpus, tmp_path, embedder):
    build_index(corpus, tmp_path / "index", embedder=embedder)
    done = subprocess.run([sys.executable, "-m", "indexer", "info", str(tmp_path / "index")],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Copies indexed once: 2" in done.stdout
    assert "archive/finance-minutes-copy.pdf: identical file as 2016/finance-minutes-2016-03-03.pdf" in done.stdout


def test_the_app_shows_the_other_paths(corpus, tmp_path, embedder, monkeypatch):
    build_index(corpus, tmp_path / "index", embedder=embedder)
    app = app_for(tmp_path / "index", monkeypatch, "allotment rents").run()
    assert not app.exception
    assert "Also published as: archive/finance-minutes-copy.pdf; republished/" in page_text(app)
