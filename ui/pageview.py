"""The page view the pages share: the cited page under its passage, with the file to download."""

from __future__ import annotations

import streamlit as st

from indexer import IndexerError
from indexer.find.pageview import page_view, paragraphs, render_png
from ui.common import escaped


@st.cache_data(max_entries=64, show_spinner=False)
def page_image(file: str, pdf_page: int) -> bytes:
    return render_png(file, pdf_page)


def show_page(index, doc_path: str, pdf_page: int, passage: str | None = None, *, state: str = "view",
              closable: bool = True, heading: int = 4) -> None:
    """The cited page, opened under its passage: the page image (PDFs, office files) or its text with
    the passage marked (text files), the file to download, the pages either side.

    The previous and next buttons move st.session_state[state], (doc_path, pdf_page, what opened it),
    which the calling page reads to draw the page again; a page that is only a page view (ui/page.py) has
    nothing to close back to, and its own heading level for the page's title."""
    try:
        view = page_view(index, doc_path, pdf_page)
    except IndexerError as exc:
        st.warning(str(exc))
        return
    where = page_words(view)
    st.markdown(f"{'#' * heading} {escaped(view.title)}: {where}")
    back, forward, download, close = st.columns(4)
    if back.button("Previous page", disabled=pdf_page <= 1, key="page_back"):
        st.session_state[state] = (doc_path, pdf_page - 1, st.session_state[state][2])
        st.rerun()
    if forward.button("Next page", disabled=pdf_page >= view.page_count, key="page_next"):
        st.session_state[state] = (doc_path, pdf_page + 1, st.session_state[state][2])
        st.rerun()
    kind = view.file.suffix.lstrip(".").upper() or "file"
    download.download_button(f"Download the {kind}", view.file.read_bytes(), file_name=view.file.name,
                             mime=view.mime, key="page_download")
    if closable and close.button("Close the page", key="page_close"):
        st.session_state.pop(state, None)
        st.rerun()
    if view.image_pdf is None:
        with st.container(height=700, border=True):
            show_text(view, passage)
        return
    picture, words = st.columns([3, 2])
    converted = "" if view.image_pdf == view.file else " (converted to PDF for viewing)"
    picture.image(page_image(str(view.image_pdf), pdf_page), caption=f"{doc_path}{converted}, {where}")
    with words.container(height=900, border=False):
        show_text(view, passage)


def page_words(view) -> str:
    """'PDF page 19 of 40 - printed Page 17', 'page 3 of 9', 'the whole text (no page breaks)'."""
    if view.unit == "section":
        return "the whole text (the file marks no pages)"
    printed = f" - printed Page {view.page_label}" if view.page_label and view.page_label != str(view.pdf_page) else ""
    return f"{'PDF page' if view.unit == 'pdf' else 'page'} {view.pdf_page} of {view.page_count}{printed}"


def show_text(view, passage: str | None) -> None:
    """The page's words, the cited passage marked; a long page only around the passage."""
    before, inside, after, cut = view.marked(passage)
    if cut:
        st.caption("Part of a long page, around the passage; download the file for all of it.")
    for paragraph in paragraphs(before):
        st.markdown(escaped(paragraph))
    if inside:
        st.info(" ".join(escaped(p) for p in paragraphs(inside)), icon=":material/format_quote:")
    for paragraph in paragraphs(after):
        st.markdown(escaped(paragraph))
    if not (before.strip() or inside or after.strip()):
        st.markdown("(no text on this page)")
