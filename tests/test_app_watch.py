"""The app's saved searches, alerts and page view by address, driven by AppTest against real indexes."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import ALERT_QUESTION, app_for, page_text

from indexer.sources.alerts import latest_alerts
from indexer.sources.watch import SavedSearches

QUESTION = "What did the board resolve on homelessness?"
PACK = "hwt-2020-10-21-public-reports-pack.pdf"


@pytest.fixture
def own_index(demo_index, tmp_path):
    """A copy of the demo index, so that the searches saved beside it are this test's alone."""
    copy = tmp_path / "index"
    shutil.copytree(demo_index.index_dir, copy)
    return copy


def _page_app(monkeypatch, index_dir, **params):
    app = app_for(index_dir, monkeypatch)
    for name, value in params.items():
        app.query_params[name] = value
    return app.switch_page("ui/page.py").run()


def _param(app, name):
    value = app.query_params.get(name)
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _warning(app) -> str:
    return app.warning[0].value.replace("\\", "") if app.warning else ""


def _headings(app) -> list[str]:
    return [m.value.replace("\\", "") for m in app.markdown if m.value.startswith("### ")]


def test_saving_a_search_keeps_its_mode_and_filters(monkeypatch, own_index):
    app = app_for(own_index, monkeypatch).run()
    assert not app.exception
    app.text_input(key="query").input(QUESTION).run()
    app.radio(key="mode").set_value("Keyword").run()
    app.multiselect(key="body").set_value(["Health and Wellbeing Together"]).run()
    app.date_input(key="from").set_value(dt.date(2020, 1, 1)).run()
    assert app.text_input(key="save_name").value == "What did the board resolve on homelessness"
    app.text_input(key="save_name").input("Homelessness decisions")
    app.text_input(key="save_email").input("clerk@council.gov.uk, chair@council.gov.uk")
    app.button(key="save_submit").click().run()
    assert not app.exception and not app.warning
    assert "alerts come with the papers the next build adds" in app.success[0].value.replace("\\", "")
    [saved] = SavedSearches(own_index).all()
    assert (saved.name, saved.query, saved.mode) == ("Homelessness decisions", QUESTION, "keyword")
    assert saved.body == ["Health and Wellbeing Together"] and saved.date_from == "2020-01-01" and not saved.date_to
    assert saved.email == ["clerk@council.gov.uk", "chair@council.gov.uk"]
    assert (SavedSearches(own_index).folder / "seen.txt").read_text().startswith("# built ")   # alerts start here
    assert any(e.label == "Saved searches (1)" for e in app.expander)


def test_a_bad_address_or_a_taken_name_is_refused_and_nothing_is_saved(monkeypatch, own_index):
    app = app_for(own_index, monkeypatch, query=QUESTION).run()
    app.text_input(key="save_email").input("clerk at council")
    app.button(key="save_submit").click().run()
    assert not app.exception and not any(box.value.startswith("Saved") for box in app.success)   # only the answer
    assert "is not an e-mail address" in app.warning[0].value.replace("\\", "")
    assert SavedSearches(own_index).all() == []
    app.text_input(key="save_email").input("")
    app.button(key="save_submit").click().run()
    assert len(SavedSearches(own_index).all()) == 1
    app.button(key="save_submit").click().run()
    assert "exists" in app.warning[0].value and len(SavedSearches(own_index).all()) == 1


def test_alerts_say_what_is_new_and_link_to_each_page(monkeypatch, alerts_index):
    [found] = latest_alerts(alerts_index).searches
    app = app_for(alerts_index, monkeypatch).run()
    assert not app.exception
    [badge] = [e for e in app.expander if e.label.startswith("New since")]
    assert badge.label.endswith(f"for **homeless**: {found.counts()}") and found.counts().startswith("1 passage")
    text = page_text(app)
    alert = found.passages[0]
    assert alert.citation in text and "Rough Sleeping Strategy 2025-2030" in text
    links = [link.proto for link in app.get("page_link")]
    assert all(link.page == "page" and not link.external for link in links), links   # relative: any host
    assert any(f"doc={alert.doc_path}" in link.query_string and f"passage={alert.passage_id}" in link.query_string
               for link in links), links
    app.button(key="alert_run_homeless").click().run()
    assert not app.exception
    assert app.text_input(key="query").value == ALERT_QUESTION
    assert app.subheader[0].value == "Answer"


def test_a_saved_search_runs_from_the_sidebar_and_can_be_removed(monkeypatch, own_index):
    app = app_for(own_index, monkeypatch, query=QUESTION).run()
    app.multiselect(key="body").set_value(["Health and Wellbeing Together"]).run()
    app.button(key="save_submit").click().run()
    app.text_input(key="query").input("").run()
    app.multiselect(key="body").set_value([]).run()
    slug = SavedSearches(own_index).all()[0].slug
    app.button(key=f"saved_run_{slug}").click().run()
    assert not app.exception
    assert app.text_input(key="query").value == QUESTION
    assert app.multiselect(key="body").value == ["Health and Wellbeing Together"]
    app.button(key=f"saved_remove_{slug}").click().run()
    assert not app.exception and SavedSearches(own_index).all() == []
    assert not any(e.label.startswith("Saved searches") for e in app.expander)


def test_the_page_address_opens_the_page_with_the_passage_marked(monkeypatch, alerts_index):
    alert = latest_alerts(alerts_index).searches[0].passages[0]
    assert (alert.doc_path, alert.pdf_page) == ("cabinet_minutes_2025.pdf", 1)
    app = _page_app(monkeypatch, alerts_index, doc=alert.doc_path, p="1", passage=alert.passage_id)
    assert not app.exception
    assert _headings(app) == ["### Cabinet minutes 11 March 2025: PDF page 1 of 2"]
    assert alert.citation in app.caption[0].value.replace("\\", "")
    marked = app.info[0].value.replace("\\", "")   # the passage, marked on its page
    assert " ".join(alert.text.split()[:5]) in marked
    assert app.get("image")
    app.button(key="page_next").click().run()
    assert _headings(app) == ["### Cabinet minutes 11 March 2025: PDF page 2 of 2"]
    assert _param(app, "p") == "2"   # the address follows the page shown
    assert "Rough Sleeping Strategy 2025-2030 be adopted" in app.info[0].value.replace("\\", "")   # the rest of it
    app.button(key="page_back").click().run()
    assert _headings(app) == ["### Cabinet minutes 11 March 2025: PDF page 1 of 2"] and _param(app, "p") == "1"


def test_a_page_address_the_index_lacks_says_so(monkeypatch, alerts_index):
    app = _page_app(monkeypatch, alerts_index, doc="minutes_removed_since.pdf", p="3")
    assert not app.exception
    assert "minutes_removed_since.pdf, is not in the index" in _warning(app)
    app = _page_app(monkeypatch, alerts_index, doc="cabinet_minutes_2025.pdf", p="9")
    assert "names page 9 of cabinet_minutes_2025.pdf, which has 2 pages" in _warning(app)
    app = _page_app(monkeypatch, alerts_index, doc="../../etc/passwd", p="1")
    assert not app.exception and app.warning and not app.get("download_button")
    app = _page_app(monkeypatch, alerts_index, doc="cabinet_minutes_2025.pdf", p="two")
    assert "page number" in _warning(app)
    app = _page_app(monkeypatch, alerts_index)
    assert not app.exception and "Open it from a search" in app.info[0].value


def test_a_link_to_a_passage_since_changed_still_opens_its_page(monkeypatch, alerts_index):
    app = _page_app(monkeypatch, alerts_index, doc="cabinet_minutes_2025.pdf", p="2", passage="0123456789abcdef-2-gone")
    assert not app.exception
    assert _headings(app) == ["### Cabinet minutes 11 March 2025: PDF page 2 of 2"]
    assert "no longer in the index" in app.caption[0].value and not app.info
