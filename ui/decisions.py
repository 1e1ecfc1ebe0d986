"""Decisions page: every decision in the minutes, whole and readable, with its outcome, vote, page and the
recommendation it answered; the recommendations to those meetings that were not taken; filterable, a
topic's history oldest first, exportable as CSV and JSON."""

from __future__ import annotations

import json

import streamlit as st

from indexer import BadQuery
from indexer.find.decisions import decision_history, resolution_text, vote_summary, whole
from indexer.find.recommendations import compare, not_taken, word_diff
from indexer.papers.metadata import long_date
from indexer.papers.outcomes import OUTCOMES
from indexer.records import make_filters
from ui.common import csv_text, current_index, date_range, escaped, exempt_banner, page_of
from ui.pageview import show_page

PAGE_SIZE = 20   # resolutions shown at a time (each is set beside its recommendation)


def main() -> None:
    index = current_index()
    exempt_banner(index)
    info = index.info()
    st.header("Decisions")
    with st.sidebar:
        st.markdown("**Filters**")
        bodies = st.multiselect("Body", list(info.bodies), key="decision_body")
        outcomes = st.multiselect("Outcome", list(OUTCOMES), key="decision_outcome")
        date_from, date_to = date_range(info, key="decision_")
    text = st.text_input("Decisions about (leave empty for all)", key="decision_query",
                         placeholder="e.g. homelessness, care strategy, budget").strip()
    history = st.toggle("History: every meeting's decisions on this, oldest first", key="decision_history",
                        help="Type a topic to see the precedent line across meetings and years.")
    if history and not text:
        st.info("Type a topic above to see its decisions across meetings and years, oldest first.")
    filters = make_filters(bodies, None, date_from, date_to)
    try:
        if history and text:
            records = decision_history(index, text, filters, outcome=tuple(outcomes))
        else:
            records = index.decisions(text or None, filters, outcome=tuple(outcomes))
    except BadQuery as exc:
        st.warning(str(exc))
        return
    groups = _groups(index, records, history)
    order = "oldest first" if history and text else "most relevant first" if text else "newest first"
    st.subheader(f"{len(groups)} decisions, {order}")
    if not groups:
        st.info("No decisions match. Decisions are taken from minutes; try fewer words, another outcome or a wider "
                "date range.")
        return
    rows = [_row(part) for parts in groups for part in parts]
    left, right = st.columns(2)
    left.download_button("Download these decisions (CSV)", csv_text(rows), file_name="decisions.csv", mime="text/csv",
                         key="decisions_csv")
    right.download_button("Download these decisions (JSON)", "\n".join(json.dumps(p.to_json(), ensure_ascii=False)
                                                                         for parts in groups for p in parts),
                          file_name="decisions.jsonl", mime="application/json", key="decisions_json")
    page = page_of(len(groups), PAGE_SIZE, "decision_page")
    shown = groups[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    if len(groups) > PAGE_SIZE:
        st.caption(f"Showing {(page - 1) * PAGE_SIZE + 1}-{(page - 1) * PAGE_SIZE + len(shown)} of {len(groups)}")
    for parts in shown:
        show_decision(index, parts)
    skipped = [found for date in sorted({parts[0].meeting_date for parts in shown if parts[0].meeting_date})
               for found in not_taken(index, date)]
    if skipped:
        st.subheader(f"Recommended to these meetings, not taken ({len(skipped)})")
    for found in skipped:
        show_not_taken(index, found)


def _groups(index, records, history: bool) -> list:
    if history:   # already whole, in date order
        grouped: dict[int, list] = {}
        for record in records:
            grouped.setdefault(record.group, []).append(record)
        return list(grouped.values())
    return whole(index, records)


def _row(part) -> dict:
    return {"date": part.meeting_date, "body": part.body, "item": part.item, "part": part.part + 1,
            "decision": " ".join(part.text.split()), "outcome": part.outcome, "vote": vote_summary(part.vote),
            "moved_by": part.moved_by, "seconded_by": part.seconded_by, "owner": part.owner,
            "document": part.doc_path, "page": part.location, "group": part.group}


def show_decision(index, parts: list) -> None:
    first = parts[0]
    with st.container(border=True):
        when = long_date(first.meeting_date) or "undated"
        st.markdown(f"**{escaped(when)}** · {escaped(first.body or first.doc_title)}"
                    + (f" · {escaped(first.item)}" if first.item else ""))
        for part in parts:
            st.markdown(escaped(" ".join(part.text.split())))
        how = [f"Outcome: **{first.outcome}**"]
        if vote_summary(first.vote):
            how.append(f"vote: {escaped(vote_summary(first.vote))}")
        if first.moved_by:
            how.append(f"moved by {escaped(first.moved_by)}"
                       + (f", seconded by {escaped(first.seconded_by)}" if first.seconded_by else ""))
        if first.owner:
            how.append(f"for {escaped(first.owner)} to act")
        st.markdown(" · ".join(how))
        pages = sorted({p.location for p in parts})
        st.caption(f"{first.doc_title}, {', '.join(pages)}" + (" (read by OCR)" if first.ocr else ""))
        comparison = compare(index, parts)
        if comparison is not None:
            show_comparison(comparison, parts)
        page_opener(index, f"decision_{first.group}", "Open the page", first.doc_path, first.pdf_page,
                    first.location, first.text)


def show_not_taken(index, found) -> None:
    """A report's recommendation that the minutes of its meeting list without resolving (recommendations.py)."""
    rec, item = found.recommendation, found.minutes
    with st.container(border=True):
        st.markdown(f"**{escaped(long_date(rec.meeting_date) or 'undated')}** · {escaped(item.body or rec.body or '')}"
                    f" · {escaped(item.item)}")
        st.markdown(f"Recommended, **{found.status}**: the minutes list the item with no resolution under it.")
        st.markdown(f"**The recommendation** ({escaped(rec.doc_title)}, {escaped(rec.location)}): {escaped(rec.text)}")
        st.caption(f"{escaped(item.doc_title)}, {escaped(item.location)}")
        page_opener(index, f"not_taken_{item.doc_path}_{item.pdf_page}_{rec.doc_path}", "Open the minutes at the item",
                    item.doc_path, item.pdf_page, item.location, item.item)


def page_opener(index, key: str, label: str, doc_path: str, pdf_page: int, location: str, highlight: str) -> None:
    """A button opening the page view there, or the page view itself once this button opened it."""
    opened = st.session_state.get("view")
    if opened and opened[2] == key:
        show_page(index, opened[0], opened[1], highlight)
    elif st.button(label, key=f"open_{key}", help=f"{doc_path}, {location}"):
        st.session_state.view = (doc_path, pdf_page, key)
        st.rerun()


def show_comparison(comparison, parts: list) -> None:
    rec = comparison.recommendation
    with st.expander(f"Recommended: {comparison.status} (from {rec.doc_title}, {rec.location})"):
        st.markdown(f"**The recommendation** ({escaped(rec.doc_title)}, {escaped(rec.location)}):")
        st.markdown(escaped(rec.text))
        if comparison.status in ("adopted as recommended", "worded differently"):
            if comparison.status == "worded differently":
                st.caption("The two are worded too differently to compare word by word; read both.")
            return
        st.markdown("**Word by word** (~~recommended, not resolved~~, **resolved, not recommended**):")
        runs = word_diff(rec.text, resolution_text(parts))
        st.markdown(" ".join(f"~~{escaped(t)}~~" if op == "-" else f"**{escaped(t)}**" if op == "+" else escaped(t)
                             for op, t in runs))


main()
