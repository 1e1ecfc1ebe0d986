"""Decisions page: every resolution in the minutes, filterable, newest first, exportable as CSV."""

from __future__ import annotations

import streamlit as st

from indexer import BadQuery
from indexer.records import make_filters
from ui.common import csv_text, current_index, date_range, exempt_banner


def main() -> None:
    index = current_index()
    exempt_banner(index)
    info = index.info()
    st.header("Decisions")
    with st.sidebar:
        st.markdown("**Filters**")
        bodies = st.multiselect("Body", list(info.bodies), key="decision_body")
        date_from, date_to = date_range(info, key="decision_")
    text = st.text_input("Decisions about (leave empty for all)", key="decision_query",
                         placeholder="e.g. homelessness, care strategy, budget")
    try:
        records = index.decisions(text.strip() or None, make_filters(bodies, None, date_from, date_to))
    except BadQuery as exc:
        st.warning(str(exc))
        return
    rows = [{"date": r.meeting_date, "body": r.body, "item": r.item, "decision": r.text, "document": r.doc_path,
             "citation": r.location + (" (read by OCR)" if r.ocr else "")}
            for r in records]
    order = "most relevant first" if text.strip() else "newest first"
    st.subheader(f"{len(rows)} decisions, {order}")
    if not rows:
        st.info("No decisions match. Decisions are taken from minutes; try fewer words or a wider date range.")
        return
    st.dataframe(rows, width="stretch", hide_index=True, row_height=70, height=min(720, 40 + 70 * len(rows)),
                 column_order=["date", "decision", "body", "item", "citation", "document"],
                 column_config={"date": st.column_config.TextColumn(width=90),
                                "decision": st.column_config.TextColumn(width=480),
                                "body": st.column_config.TextColumn(width=140),
                                "item": st.column_config.TextColumn(width=180)})
    st.download_button("Download these decisions (CSV)", csv_text(rows), file_name="decisions.csv",
                       mime="text/csv", key="decisions_csv")


main()
