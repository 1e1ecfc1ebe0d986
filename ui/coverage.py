"""Coverage page: what the index holds and everything it left out, with reasons."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ui.common import current_index, exempt_banner, index_dir


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
    st.subheader("Formats")
    st.dataframe([{"format": name, "files indexed": files, "pages": pages, "passages": passages, "files skipped": skipped}
                  for name, (files, pages, passages, skipped) in info.formats.items()], hide_index=True)
    listed(f"Skipped files ({len(info.skipped_files)})",
           [{"file": p, "reason": r} for p, r in info.skipped_files], "Every file found was read.")
    listed(f"Withheld as exempt or confidential ({len(info.withheld_pages)} pages)",
           [{"file": p, "page": n, "marking": m} for p, n, m in info.withheld_pages],
           "No page was marked exempt." if not info.include_exempt else
           f"Built to include exempt material: {info.exempt_included} marked pages are indexed.")
    listed(f"Pages without text ({len(info.skipped_pages)})",
           [{"file": p, "page": n, "reason": r} for p, n, r in info.skipped_pages], "Every page had text.")
    listed(f"Scanned pages read by OCR ({len(info.ocr_pages)})",
           [{"file": p, "page": n} for p, n in info.ocr_pages],
           "No page needed OCR." if info.ocr_engine or not info.skipped_pages else
           "No OCR program was found when the index was built: scanned pages are listed above, unread.",
           note=f"Read by {info.ocr_engine}. Passages from these pages are marked OCR in the results.")
    listed(f"Copies indexed once ({len(info.copies)})",
           [{"file": p, "indexed as": o, "same": s} for p, o, s in info.copies], "No file repeats another.")


def listed(title: str, rows: list[dict], empty: str, note: str | None = None) -> None:
    """A section: its title, then its rows as a table (after the note, if any), or a sentence when there are none."""
    st.subheader(title)
    if not rows:
        st.markdown(empty)
        return
    if note:
        st.markdown(note)
    st.dataframe(rows, hide_index=True, width="stretch")


main()
