"""Saved searches and their alerts: kept beside the index through rebuilds, new papers matched after each build,
an Atom feed per search; through the library and the real CLI, on a real index with the real models."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO, make_pdf

from indexer import build_index, open_index
from indexer.errors import BadQuery
from indexer.sources.alerts import ALERT_FROM, latest_alerts, read_seen, start_from, update_alerts
from indexer.sources.watch import SavedSearches, UnknownSearch, saved_search, searches_folder

ATOM = "{http://www.w3.org/2005/Atom}"
ENV = {"HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}

FIRST = {
    "cabinet_minutes_2024-03-14.pdf": [
        "Cabinet\nMinutes of the meeting held on 14 March 2024\n\n"
        "4. Highways maintenance\nThe Cabinet Member reported on the pothole repair programme.\n"
        "RESOLVED: That the highways maintenance plan 2024-25 be approved.",
    ],
}
LATER = {
    "cabinet_minutes_2024-06-20.pdf": [
        "Cabinet\nMinutes of the meeting held on 20 June 2024\n\n"
        "5. Homelessness and rough sleeping\nThe Director of Housing reported that 41 people were sleeping rough "
        "in the borough in May and that 230 households were in temporary accommodation.\n"
        "RESOLVED: That the Homelessness and Rough Sleeping Strategy 2024-2029 be adopted.",
        "Cabinet\n20 June 2024\n\n6. Library opening hours\nThe Cabinet noted the consultation on library opening "
        "hours, which closes on 30 July.",
    ],
}


def write(corpus: Path, papers: dict[str, list[str]]) -> None:
    for name, pages in papers.items():
        make_pdf(corpus / name, pages, title=name.rsplit(".", 1)[0].replace("_", " "))


@pytest.fixture
def first_build(tmp_path, embedder):
    corpus, index_dir = tmp_path / "papers", tmp_path / "index"
    write(corpus, FIRST)
    build_index(corpus, index_dir, embedder=embedder)
    return corpus, index_dir


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", *args], cwd=REPO, env=ENV, capture_output=True,
                          text=True, timeout=300)


def test_a_saved_search_is_checked_as_typed():
    search = saved_search(" Rough  sleeping ", "rough sleepers housed", "keyword", ["Cabinet"], None, "2024-01-01",
                          None, None, ["housing@council.gov.uk"])
    assert (search.name, search.mode, search.body, search.date_from) == ("Rough sleeping", "keyword", ["Cabinet"],
                                                                         "2024-01-01")
    assert search.filters().body == ("Cabinet",)
    assert search.describe() == '"rough sleepers housed" (keyword; body Cabinet; from 2024-01-01)'
    for bad in (dict(name=""), dict(query="  "), dict(mode="fuzzy"), dict(date_from="14/03/2024"),
                dict(email=["not an address"]), dict(name="x" * 81)):
        arguments = {"name": "n", "query": "q", **bad}
        with pytest.raises(BadQuery):
            saved_search(**arguments)


def test_saved_searches_are_kept_beside_the_index_through_rebuilds(first_build, embedder):
    corpus, index_dir = first_build
    saved = SavedSearches(index_dir)
    assert saved.folder == searches_folder(index_dir) == index_dir.parent / "index.searches"
    saved.add(saved_search("homelessness", "homelessness and rough sleeping", email=["a@council.gov.uk"]))
    with pytest.raises(BadQuery, match="exists"):
        saved.add(saved_search("Homelessness", "something else"))
    saved.add(saved_search("Homelessness", "rough sleepers"), replace=True)
    write(corpus, LATER)
    build_index(corpus, index_dir, embedder=embedder)
    assert [(s.name, s.query) for s in SavedSearches(index_dir).all()] == [("Homelessness", "rough sleepers")]
    assert not (index_dir / "searches.json").exists() and (saved.folder / "searches.json").is_file()
    assert SavedSearches(index_dir).remove("homelessness").name == "Homelessness"
    with pytest.raises(UnknownSearch, match="none is saved"):
        SavedSearches(index_dir).get("homelessness")


def test_new_papers_matching_a_saved_search_are_its_alerts(first_build, embedder):
    corpus, index_dir = first_build
    saved = SavedSearches(index_dir)
    saved.add(saved_search("homelessness", "homelessness and rough sleeping"))
    saved.add(saved_search("potholes", "pothole repairs on the highways"))
    saved.add(saved_search("parking", "car parking charges"))
    index = open_index(index_dir, embedder)
    first = update_alerts(index, saved)          # the first look: the starting point, nothing is new
    assert first.first_look and "starting point" in first.summary()
    assert latest_alerts(index_dir) is None

    write(corpus, LATER)
    build_index(corpus, index_dir, embedder=embedder)
    run = update_alerts(index, saved)
    found = {s.name: s for s in run.searches}
    assert run.since is not None and run.new_passages >= 1
    homelessness = found["homelessness"]
    assert homelessness.passages and all(a.score >= ALERT_FROM for a in homelessness.passages)
    assert all(a.doc_path == "cabinet_minutes_2024-06-20.pdf" for a in homelessness.passages)  # only what is new
    assert any("Rough Sleeping Strategy 2024-2029 be adopted" in d.text for d in homelessness.decisions)
    decision = homelessness.decisions[0]
    assert decision.meeting_date == "2024-06-20" and decision.pdf_page == 1
    assert decision.link.startswith("http://localhost:8501/page?doc=cabinet_minutes_2024-06-20.pdf&p=1&passage=")
    assert not found["potholes"], "the pothole minutes were indexed before: nothing new matches"
    assert not found["parking"]
    assert f"New since {run.since_words()}" in run.summary() and "homelessness: " in run.summary()
    assert latest_alerts(index_dir).searches[0].passages[0].passage_id == homelessness.passages[0].passage_id

    again = update_alerts(index, saved)          # nothing built since: nothing new, the alerts stay
    assert again.new_passages == 0 and latest_alerts(index_dir).since == run.since
    assert again.summary().startswith("Nothing new since")
    index.close()


def test_each_saved_search_has_an_atom_feed_that_keeps_earlier_entries(first_build, embedder):
    corpus, index_dir = first_build
    saved = SavedSearches(index_dir)
    saved.add(saved_search("homelessness", "homelessness and rough sleeping"))
    index = open_index(index_dir, embedder)
    start_from(index, saved)
    write(corpus, LATER)
    build_index(corpus, index_dir, embedder=embedder)
    update_alerts(index, saved)
    feed_path = saved.folder / "feeds" / "homelessness.atom"
    first = ET.parse(feed_path).getroot()
    assert first.tag == f"{ATOM}feed" and first.findtext(f"{ATOM}title") == "Board Papers Search: homelessness"
    assert first.find(f"{ATOM}link").get("href") == \
        "http://localhost:8501/?q=homelessness+and+rough+sleeping&mode=hybrid", "the app's Search page, run"
    entries = first.findall(f"{ATOM}entry")
    assert entries and all(e.findtext(f"{ATOM}id") and e.find(f"{ATOM}link").get("href").startswith("http")
                           for e in entries)
    assert any("Rough Sleeping Strategy" in e.findtext(f"{ATOM}summary") for e in entries)

    write(corpus, {"cabinet_minutes_2024-09-12.pdf": [
        "Cabinet\nMinutes of the meeting held on 12 September 2024\n\n7. Homelessness winter plan\n"
        "The Cabinet considered the plan to prevent homelessness and rough sleeping this winter.\n"
        "RESOLVED: That the winter shelter plan for people sleeping rough be approved and 20 emergency beds opened."]})
    build_index(corpus, index_dir, embedder=embedder)
    update_alerts(index, saved)
    index.close()
    later = ET.parse(feed_path).getroot().findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in later]
    assert len(ids) == len(set(ids)) and len(later) > len(entries)
    assert "winter shelter" in later[0].findtext(f"{ATOM}summary"), "the newest entries come first"
    assert {e.findtext(f"{ATOM}id") for e in entries} <= set(ids), "earlier entries are kept"


def test_watch_commands_on_the_command_line(first_build):
    corpus, index_dir = first_build
    added = cli("watch", "add", "rough sleeping", "homelessness and rough sleeping", "--index", str(index_dir),
                "--body", "Cabinet", "--email", "housing@council.gov.uk")
    assert added.returncode == 0, added.stderr
    assert "Saved 'rough sleeping'" in added.stdout and "next build" in added.stdout
    assert read_seen(searches_folder(index_dir))[0] is not None   # the starting point is recorded at once
    bad = cli("watch", "add", "x", "y", "--index", str(index_dir), "--email", "nobody")
    assert bad.returncode == 1 and "is not an e-mail address" in bad.stderr
    listed = cli("watch", "list", "--index", str(index_dir))
    assert "rough sleeping: \"homelessness and rough sleeping\" (body Cabinet) -> housing@council.gov.uk" in listed.stdout
    assert "no alerts yet" in listed.stdout

    write(corpus, LATER)
    built = cli("build", str(corpus), "--index", str(index_dir), "--quiet")
    assert built.returncode == 0, built.stderr
    assert "New since" in built.stdout and "rough sleeping: " in built.stdout
    shown = cli("watch", "show", "rough sleeping", "--index", str(index_dir))
    assert "Decision [" in shown.stdout and "Rough Sleeping Strategy 2024-2029" in shown.stdout
    assert "/page?doc=cabinet_minutes_2024-06-20.pdf&p=1" in shown.stdout
    assert json.loads((searches_folder(index_dir) / "alerts.json").read_text())["searches"][0]["passages"]
    removed = cli("watch", "remove", "rough sleeping", "--index", str(index_dir))
    assert removed.returncode == 0 and not (searches_folder(index_dir) / "feeds" / "rough-sleeping.atom").exists()
    missing = cli("watch", "show", "rough sleeping", "--index", str(index_dir))
    assert missing.returncode == 1 and "no saved search is called 'rough sleeping'" in missing.stderr
