"""Saved searches and their alerts, as the Search page shows them: what is new since the last build for
each saved search, a form to save the search on screen, and the list of saved searches.

The searches and alerts live beside the index (indexer.sources.watch, indexer.sources.alerts); a build
finds the alerts, and this module only lays them out."""

from __future__ import annotations

import re

import streamlit as st

from indexer import BadQuery, IndexerError
from indexer.sources.alerts import Alert, latest_alerts, start_from
from indexer.sources.watch import SavedSearch, SavedSearches, UnknownSearch, saved_search
from ui.common import MODES, escaped, index_dir, picked_date, strong

EXCERPT = 320       # characters of an alert's text shown under its citation
NAME_WORDS = 8      # a saved search is named after the first words of its question


def show_alerts(info) -> None:
    """For each saved search with alerts: 'New since 3 December 2026 for homeless: 3 passages, 1 decision',
    opening onto each alert with a link to its page, and a button to run the search."""
    run = latest_alerts(index_dir())
    if run is None or run.first_look:
        return
    saved = {search.name: search for search in _saved()}
    for found in run.searches:
        search = saved.get(found.name)
        if not found or search is None:   # nothing new, or removed since
            continue
        label = f"New since {run.since_words()} for {strong(found.name)}: {found.counts()}"
        with st.expander(label, icon=":material/notifications:"):
            st.caption(f"Saved search: {escaped(found.query)}")
            for alert in found.decisions + found.passages:
                show_alert(alert)
            st.button("Run this search", key=f"alert_run_{search.slug}", on_click=run_saved, args=(search, info))


def show_alert(alert: Alert) -> None:
    with st.container(border=True):
        outcome = f" · outcome: {escaped(alert.outcome)}" if alert.outcome else ""
        st.markdown(f"**{alert.kind.capitalize()}** · {escaped(alert.citation)}{outcome}")
        st.markdown(escaped(excerpt(alert.text)))
        st.page_link("ui/page.py", label="Open the page", icon=":material/description:",
                     query_params={"doc": alert.doc_path, "p": str(alert.pdf_page),
                                   **({"passage": alert.passage_id} if alert.passage_id else {})})


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The text on one line, cut at a word near `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def default_name(query: str) -> str:
    """'What did the board resolve on homelessness?' -> 'What did the board resolve on homelessness'."""
    words = re.sub(r"[^\w\s'-]", " ", query).split()
    return " ".join(words[:NAME_WORDS])[:80]


def save_form(index, query: str, mode: str, bodies: list, types: list, date_from: str | None,
              date_to: str | None) -> None:
    """'Save this search': a name and e-mail addresses; the alerts start with the next build."""
    if st.session_state.get("save_for") != query:   # a new question: name the search after it
        st.session_state.save_for = query
        st.session_state.save_name = default_name(query)
    with st.popover("Save this search", icon=":material/bookmark_add:"):
        st.caption("A saved search is run on the papers each build adds; what matches it shows here as alerts "
                   "(and in its feed, and by e-mail when addresses are given).")
        with st.form("save_search", border=False):
            name = st.text_input("Name", key="save_name", max_chars=80)
            emails = st.text_input("E-mail the alerts to (optional)", key="save_email",
                                   placeholder="name@council.gov.uk, another@council.gov.uk")
            submitted = st.form_submit_button("Save", key="save_submit", type="primary")
        if submitted:
            save(index, name, query, mode, bodies, types, date_from, date_to, emails)


def save(index, name: str, query: str, mode: str, bodies: list, types: list, date_from: str | None,
         date_to: str | None, emails: str) -> None:
    addresses = [a.strip() for a in re.split(r"[,;]", emails) if a.strip()]
    try:
        search = saved_search(name, query, mode, bodies, types, date_from, date_to, email=addresses)
        saved = SavedSearches(index_dir())
        saved.add(search)
        start_from(index, saved)
    except BadQuery as exc:
        st.warning(f"Not saved: {escaped(str(exc))}.")
        return
    except IndexerError as exc:
        st.error(f"Not saved: {escaped(str(exc))}")
        return
    mailed = f", and by e-mail to {escaped(', '.join(addresses))}" if addresses else ""
    st.success(f"Saved {strong(search.name)}: {escaped(search.describe())}. Its alerts come with the papers "
               f"the next build adds: at the top of this page{mailed}.")


def saved_list(info) -> None:
    """The saved searches in the sidebar, each to run again or remove."""
    searches = _saved()
    if not searches:
        return
    with st.sidebar.expander(f"Saved searches ({len(searches)})", icon=":material/bookmarks:"):
        for search in searches:
            st.markdown(f"{strong(search.name)}  \n{escaped(search.describe())}"
                        + (f"  \nE-mailed to {escaped(', '.join(search.email))}" if search.email else ""))
            run, remove = st.columns(2)
            run.button("Run", key=f"saved_run_{search.slug}", on_click=run_saved, args=(search, info),
                       help="Put this search in the search box")
            remove.button("Remove", key=f"saved_remove_{search.slug}", on_click=remove_saved, args=(search.name,),
                          help="Stop its alerts and delete its feed")


def run_saved(search: SavedSearch, info) -> None:
    """Fill the Search page's question, mode and filters with the saved search's (a button's callback)."""
    labels = {mode: label for label, mode in MODES.items()}
    st.session_state.query = search.query
    st.session_state.mode = labels.get(search.mode, "Hybrid")
    st.session_state.body = [body for body in search.body if body in info.bodies]
    st.session_state.type = [kind for kind in info.doc_types if kind.lower() in search.doc_type]
    st.session_state["from"] = picked_date(info, search.date_from)
    st.session_state["to"] = picked_date(info, search.date_to)


def remove_saved(name: str) -> None:
    try:
        SavedSearches(index_dir()).remove(name)
    except UnknownSearch:   # removed elsewhere meanwhile
        return


def _saved() -> list[SavedSearch]:
    try:
        return SavedSearches(index_dir()).all()
    except IndexerError as exc:
        st.warning(f"The saved searches could not be read: {escaped(str(exc))}")
        return []
