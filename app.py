"""Board Papers Search: ask a question, get the answer and passages from the papers with page citations.

Run with `make run` (or `INDEX_DIR=... make run` for another index). Everything clever lives in
`indexer/`; the pages in `ui/` only lay it out.
"""

import streamlit as st

from ui.common import current_index, default_index

st.set_page_config(page_title="Board Papers Search", layout="wide")
st.title("Board Papers Search")

with st.sidebar.expander("Index folder"):
    st.text_input("Index folder to search", default_index(), key="index_dir",
                  help="A folder made by: python -m indexer build CORPUS_DIR --index FOLDER")
current_index()  # says how to build an index, and stops, when this one cannot be opened

st.navigation([
    st.Page("ui/search.py", title="Search", url_path="search", default=True),
    st.Page("ui/decisions.py", title="Decisions", url_path="decisions"),
    st.Page("ui/coverage.py", title="Coverage", url_path="coverage"),
    st.Page("ui/page.py", title="Page view", url_path="page", visibility="hidden"),   # alerts link here
]).run()
