"""Board Papers Search: ask a question, get passages from the papers with page citations.

Run with `make run` (or `INDEX_DIR=... make run` for another index).
"""

import os

import streamlit as st

from indexer import BadQuery, IndexerError, open_index
from indexer.search import page_citation

INDEX_DIR = os.environ.get("INDEX_DIR", "index")

st.set_page_config(page_title="Board Papers Search", layout="wide")
st.title("Board Papers Search")


@st.cache_resource(show_spinner="Loading the index and the language model...")
def load_index(index_dir: str):
    index = open_index(index_dir)
    index.embedder.encode_queries(["warm up"])  # load the model now, not on the first question
    return index


try:
    index = load_index(INDEX_DIR)
except IndexerError as exc:
    st.error(f"The index could not be opened. {exc}")
    st.info("To build the demo index, run `make run` in the project folder.")
    st.stop()

query = st.text_input("Question or search words", key="query",
                      placeholder="e.g. What did the board resolve on homelessness?")
k = st.sidebar.slider("Passages to show", min_value=3, max_value=30, value=10, key="k")

if query.strip():
    try:
        hits = index.search(query, k=k)
    except BadQuery as exc:
        st.warning(str(exc))
        st.stop()
    if not hits:
        st.info("No passages found.")
    for hit in hits:
        st.subheader(f"{hit.rank}. {hit.doc_title}", anchor=False)
        details = [x for x in (hit.body, hit.meeting_date, hit.doc_type) if x]
        if hit.item:
            details.append(f"Item {hit.item}")
        details.append(page_citation(hit.pdf_page, hit.pdf_page_end, hit.page_label))
        st.caption(" · ".join(details) + f" · score {hit.score:.2f}")
        st.text(hit.text)
