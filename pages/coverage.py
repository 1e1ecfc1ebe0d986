"""Coverage page: what the index holds and everything it left out, with reasons."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pages.common import current_index, exempt_banner, index_dir


def main() -> None:
    index = current_index()
    exempt_banner(index)
    info = index.info()
    st.header("What is indexed")
    built = dt.datetime.fromisoformat(info.built_at).strftime("%-d %B %Y at %H:%M %Z").strip()
    st.markdown(f"Index folder `{index_dir()}`, built {built} with the model {info.model}, "
                f"from `{info.corpus_root}`.")
    st.markdown(f"**{info.documents}** documents, **{info.pages}** pages, **{info.chunks}** passages; "
                f"meetings from {info.first_date or 'unknown'} to {info.last_date or 'unknown'}.")
    left, right = st.columns(2)
    with left:
        st.subheader("Bodies")
        st.dataframe([{"body": b, "documents": n} for b, n in info.bodies.items()], hide_index=True)
    with right:
        st.subheader("Document types")
        st.dataframe([{"type": t, "documents": n} for t, n in info.doc_types.items()], hide_index=True)
    st.subheader(f"Skipped files ({len(info.skipped_files)})")
    if info.skipped_files:
        st.dataframe([{"file": p, "reason": r} for p, r in info.skipped_files], hide_index=True,
                     width="stretch")
    else:
        st.markdown("Every file found was read.")
    st.subheader(f"Withheld as exempt or confidential ({len(info.withheld_pages)} pages)")
    if info.withheld_pages:
        st.dataframe([{"file": p, "page": n, "marking": m} for p, n, m in info.withheld_pages], hide_index=True,
                     width="stretch")
    else:
        st.markdown("No page was marked exempt." if not info.include_exempt else
                    f"Built to include exempt material: {info.exempt_included} marked pages are indexed.")
    st.subheader(f"Pages without text ({len(info.skipped_pages)})")
    if info.skipped_pages:
        st.dataframe([{"file": p, "page": n, "reason": r} for p, n, r in info.skipped_pages], hide_index=True,
                     width="stretch")
    else:
        st.markdown("Every page had text.")
    st.subheader(f"Scanned pages read by OCR ({len(info.ocr_pages)})")
    if info.ocr_pages:
        st.markdown(f"Read by {info.ocr_engine}. Passages from these pages are marked OCR in the results.")
        st.dataframe([{"file": p, "page": n} for p, n in info.ocr_pages], hide_index=True, width="stretch")
    else:
        st.markdown("No page needed OCR." if info.ocr_engine or not info.skipped_pages else
                    "No OCR program was found when the index was built: scanned pages are listed above, unread.")
    st.subheader(f"Copies indexed once ({len(info.copies)})")
    if info.copies:
        st.dataframe([{"file": p, "indexed as": o, "same": s} for p, o, s in info.copies], hide_index=True,
                     width="stretch")
    else:
        st.markdown("No file repeats another.")


main()
