"""Page view by address: `page?doc=PATH&p=N&passage=ID` opens that page of a paper with the passage marked.

Alerts, their feeds and the e-mailed digests link here (indexer.sources.alerts.page_link). The passage
id is the same in every build, so a link made before a rebuild still finds its passage."""

from __future__ import annotations

import re

import streamlit as st

from indexer import IndexerError
from ui.common import current_index, escaped, exempt_banner, write_url
from ui.pageview import show_page

STATE = "linked_view"   # (doc path, PDF page, passage id) shown now; the previous/next buttons move it


def main() -> None:
    index = current_index()
    exempt_banner(index)
    st.header("Page view")
    params = st.query_params
    doc, page, passage_id = params.get("doc", ""), params.get("p", "1"), params.get("passage", "")
    if not doc:
        st.info("This page shows one page of a paper. Open it from a search, a decision or an alert.")
        st.page_link("ui/search.py", label="Search the papers", icon=":material/search:")
        return
    if not re.fullmatch(r"[0-9]{1,6}", page) or int(page) < 1:
        st.warning(f"This link names no page of {escaped(doc)}: p should be a page number, not “{escaped(page)}”.")
        return
    address = (doc, int(page), passage_id)
    if st.session_state.get("linked_address") != address:   # a new link: open the page it names
        st.session_state.linked_address = address
        st.session_state[STATE] = address
    doc, page, passage_id = st.session_state[STATE]
    try:
        index.page(doc, page)
    except IndexerError:
        st.warning(missing(index, doc, page))
        st.page_link("ui/search.py", label="Search the papers", icon=":material/search:")
        return
    passage = index.passage(passage_id) if passage_id else None
    if passage:
        st.caption(f"The link marks the passage of {escaped(passage.citation)}.")
    elif passage_id:
        st.caption("The passage this link marked is no longer in the index (the paper has changed since); "
                   "this is the page as the index holds it now.")
    on_page = passage and passage.doc_path == doc and passage.pdf_page <= page <= passage.pdf_page_end
    show_page(index, doc, page, passage.text if on_page else None, state=STATE, closable=False, heading=3)
    write_url({"doc": doc, "p": str(page), "passage": passage_id})
    st.session_state.linked_address = (doc, page, passage_id)
    st.page_link("ui/search.py", label="Search the papers", icon=":material/search:")


def missing(index, doc: str, page: int) -> str:
    """Why the page a link names cannot be shown: the paper is not indexed, or has fewer pages."""
    try:
        pages = index.page(doc, 1).page_count
    except IndexerError:
        return (f"The paper this link names, {escaped(doc)}, is not in the index: it may have been removed or "
                "renamed since the link was made. Search for it instead.")
    return (f"This link names page {page} of {escaped(doc)}, which has {pages} page{'' if pages == 1 else 's'} in the "
            "index (the paper may have changed since the link was made).")


main()
