"""Board Papers Search: ask a question, get the answer and passages from the papers with page citations.

Run with `make run` (or `INDEX_DIR=... make run` for another index). Everything clever lives in
`indexer/`; this page only lays it out.
"""

import os
import re

import streamlit as st

from indexer import BadQuery, IndexerError, ask, open_index
from indexer.pageview import page_view, render_png
from indexer.search import make_filters, page_citation

INDEX_DIR = os.environ.get("INDEX_DIR", "index")
PAGE_SIZE = 10
MAX_QUERY = 1000
MODES = {"Hybrid": "hybrid", "Keyword": "keyword", "Semantic": "dense"}

st.set_page_config(page_title="Board Papers Search", layout="wide")


@st.cache_resource(show_spinner="Loading the index and the language models...")
def load_index(index_dir: str):
    index = open_index(index_dir)
    index.embedder.encode_queries(["warm up"])  # load the model now, not on the first question
    return index


def escaped(text: str) -> str:
    """Passage text shown as text: no Markdown or HTML in a paper is ever rendered."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)


@st.cache_data(max_entries=64, show_spinner=False)
def page_image(file: str, pdf_page: int) -> bytes:
    return render_png(file, pdf_page)


def show_page(index, doc_path: str, pdf_page: int) -> None:
    """The cited page: image, text, the PDF to download, and the pages either side."""
    try:
        view = page_view(index, doc_path, pdf_page)
    except IndexerError as exc:
        st.warning(str(exc))
        return
    label = f" (printed page {view.page_label})" if view.page_label and view.page_label != str(pdf_page) else ""
    st.subheader(f"{doc_path}: PDF page {pdf_page} of {view.page_count}{label}")
    back, forward, download = st.columns(3)
    if back.button("Previous page", disabled=pdf_page <= 1, key="page_back"):
        st.session_state.view = (doc_path, pdf_page - 1)
        st.rerun()
    if forward.button("Next page", disabled=pdf_page >= view.page_count, key="page_next"):
        st.session_state.view = (doc_path, pdf_page + 1)
        st.rerun()
    download.download_button("Download the PDF", view.file.read_bytes(), file_name=view.file.name,
                             mime="application/pdf", key="page_download")
    picture, words = st.columns(2)
    picture.image(page_image(str(view.file), pdf_page), caption=f"PDF page {pdf_page}")
    words.text(view.text or "(no text on this page)")
    if st.button("Close the page", key="page_close"):
        st.session_state.pop("view", None)
        st.rerun()


def highlighted(index, query: str, hit) -> str:
    marked = index.snippet(query, hit, mark=("\x02", "\x03")) or hit.text
    return escaped(" ".join(marked.split())).replace("\x02", "**").replace("\x03", "**")


def search_page(index) -> None:
    st.header("Search the papers")
    info = index.info()
    params = st.query_params
    with st.sidebar:
        st.subheader("Filters")
        bodies = st.multiselect("Body", list(info.bodies), default=params.get_all("body"), key="body")
        types = st.multiselect("Document type", list(info.doc_types), default=params.get_all("type"), key="type")
        date_from = st.text_input("Meetings from (YYYY-MM-DD)", params.get("from", ""), key="from")
        date_to = st.text_input("Meetings to (YYYY-MM-DD)", params.get("to", ""), key="to")
    query = st.text_input("Question or search words", params.get("q", ""), key="query",
                          placeholder="e.g. What did the board resolve on homelessness?")
    mode = st.radio("Search mode", list(MODES), horizontal=True, key="mode",
                    index=list(MODES.values()).index(params.get("mode", "hybrid")) if params.get("mode") in MODES.values() else 0)
    st.query_params.from_dict({k: v for k, v in {
        "q": query, "mode": MODES[mode], "body": bodies, "type": types, "from": date_from, "to": date_to,
    }.items() if v})
    if not query.strip():
        st.info("Type a question, for example: what did we resolve on homelessness?")
        return
    if len(query) > MAX_QUERY:
        st.warning(f"That question is long; the first {MAX_QUERY} characters were searched.")
        query = query[:MAX_QUERY]
    filters = make_filters(bodies, types, date_from.strip() or None, date_to.strip() or None)
    try:
        hits = index.search_many([query], 50, filters, mode=MODES[mode])[0]
        answer = ask(index, query, k=5, filters=filters, hits=hits)
    except BadQuery as exc:
        st.warning(str(exc))
        return
    if "view" in st.session_state:
        show_page(index, *st.session_state.view)

    st.subheader("Answer")
    if answer.text:
        st.success(answer.text)
        st.caption(answer.citation.citation)
    else:
        st.info(answer.note)
    if not hits:
        st.info("No passages match these filters.")
        return
    st.subheader("Across the years")
    dated = {}
    for hit in hits:
        dated[hit.meeting_date or "undated"] = dated.get(hit.meeting_date or "undated", 0) + 1
    st.bar_chart({"passages": dict(sorted(dated.items()))}, x_label="meeting date", y_label="passages")
    grouped = st.checkbox("Group passages by meeting", key="grouped")
    if grouped:
        hits = sorted(hits, key=lambda h: (h.meeting_date or "", h.rank), reverse=False)
    pages = (len(hits) + PAGE_SIZE - 1) // PAGE_SIZE
    st.subheader(f"Passages ({len(hits)})")
    page = st.radio("Results page", range(1, pages + 1), horizontal=True, key="page") if pages > 1 else 1
    meeting = None
    for hit in hits[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]:
        if grouped and hit.meeting_date != meeting:
            meeting = hit.meeting_date
            st.markdown(f"#### Meeting of {meeting or 'unknown date'}")
        with st.container(border=True):
            st.markdown(f"**{hit.rank}. {escaped(hit.doc_title)}**")
            details = [x for x in (hit.body, hit.meeting_date, hit.doc_type) if x]
            if hit.item:
                details.append(f"Item {hit.item}")
            details.append(page_citation(hit.pdf_page, hit.pdf_page_end, hit.page_label))
            st.caption(" · ".join(details) + f" · score {hit.score:.2f}")
            st.markdown(highlighted(index, query, hit))
            if st.button("Open the page", key=f"open_{hit.chunk_id}"):
                st.session_state.view = (hit.doc_path, hit.pdf_page)
                st.rerun()


def decisions_page(index) -> None:
    st.header("Decisions")
    info = index.info()
    text = st.text_input("Decisions about", key="decision_query")
    bodies = st.multiselect("Body", list(info.bodies), key="decision_body")
    try:
        records = index.decisions(text.strip() or None, make_filters(bodies))
    except BadQuery as exc:
        st.warning(str(exc))
        return
    rows = [{"date": r.meeting_date, "body": r.body, "item": r.item, "decision": r.text,
             "citation": f"{r.doc_path}, {page_citation(r.pdf_page, r.pdf_page, r.page_label)}"} for r in records]
    st.caption(f"{len(rows)} decisions, newest first" if not text.strip() else f"{len(rows)} decisions, most relevant first")
    st.dataframe(rows, use_container_width=True, hide_index=True)
    header = "date,body,item,decision,citation\n"
    csv = header + "".join(",".join('"' + str(v or "").replace('"', '""') + '"' for v in row.values()) + "\n"
                           for row in rows)
    st.download_button("Download these decisions (CSV)", csv, file_name="decisions.csv", mime="text/csv")


def coverage_page(index) -> None:
    st.header("What is indexed")
    info = index.info()
    st.write(f"Built {info.built_at} with {info.model}, from {info.corpus_root}.")
    st.write(f"{info.documents} documents, {info.pages} pages, {info.chunks} passages; "
             f"meetings from {info.first_date or '?'} to {info.last_date or '?'}.")
    left, right = st.columns(2)
    left.subheader("Bodies")
    left.dataframe([{"body": b, "documents": n} for b, n in info.bodies.items()], hide_index=True)
    right.subheader("Document types")
    right.dataframe([{"type": t, "documents": n} for t, n in info.doc_types.items()], hide_index=True)
    st.subheader(f"Skipped files ({len(info.skipped_files)})")
    if info.skipped_files:
        st.dataframe([{"file": p, "reason": r} for p, r in info.skipped_files], hide_index=True)
    st.subheader(f"Pages without text ({len(info.skipped_pages)})")
    if info.skipped_pages:
        st.dataframe([{"file": p, "page": n, "reason": r} for p, n, r in info.skipped_pages], hide_index=True)


st.title("Board Papers Search")
try:
    index = load_index(INDEX_DIR)
except IndexerError as exc:
    st.error(f"The index could not be opened. {exc}")
    st.info("To build the demo index, run `make run` in the project folder.")
    st.stop()

navigation = st.navigation([
    st.Page(lambda: search_page(index), title="Search", url_path="search", default=True),
    st.Page(lambda: decisions_page(index), title="Decisions", url_path="decisions"),
    st.Page(lambda: coverage_page(index), title="Coverage", url_path="coverage"),
])
navigation.run()
