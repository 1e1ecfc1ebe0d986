"""Search page: the answer card, ranked passages with citations, a chart across the years, the page view."""

from __future__ import annotations

import streamlit as st

from indexer import BadQuery, ask
from indexer.find.answer import ANSWER_THRESHOLD
from indexer.find.decisions import example_questions, resolution_text, vote_summary
from indexer.find.results import by_meeting, per_meeting
from indexer.papers.metadata import long_date
from indexer.records import make_filters
from ui.common import (
    MODES,
    current_index,
    date_range,
    escaped,
    exempt_banner,
    index_dir,
    load_index,
    shown_location,
    strong,
    web_address,
    write_url,
)
from ui.pageview import show_page
from ui.watch import save_form, saved_list, show_alerts

PAGE_SIZE = 10
RESULTS = 25        # passages a search shows, 10 a page (the cross-encoder orders the best 20: search.py)
MAX_QUERY = 1000


@st.cache_data(max_entries=128, show_spinner=False)
def run_search(folder: str, version: str, query: str, bodies: tuple, types: tuple,
               date_from: str | None, date_to: str | None, mode: str, steer: bool = True):
    """Passages and answer for one search; paging, grouping and page views reuse them."""
    index = load_index(folder)
    filters = make_filters(list(bodies), list(types), date_from, date_to)
    with index.pinned():  # the passages and the answer from the same build
        hits = index.search_many([query], RESULTS, filters, mode=mode, steer=steer)[0]
        return hits, ask(index, query, k=5, filters=filters, hits=hits, steer=steer)


def show_focus(index, query: str, mode: str, everywhere: bool) -> bool:
    """Say where the question steers the search ('Looking first at: Cabinet, March 2025'), with a button
    to undo it or to redo it; returns whether to search everywhere alike."""
    focus = index.focus(query)
    if not focus or mode != "hybrid":
        return everywhere
    left, right = st.columns([4, 1], vertical_alignment="center")
    if everywhere:
        left.caption(f"Searching everywhere alike, not first at: {escaped(focus.describe())}")
        if right.button("Look there first", key="steer_on"):
            st.session_state.everywhere = False
            st.rerun()
    else:
        left.caption(f"Looking first at: **{escaped(focus.describe())}** (from your question)")
        if right.button("Search everywhere", key="steer_off", help="Rank every body and date alike"):
            st.session_state.everywhere = True
            st.rerun()
    return everywhere


@st.cache_data(max_entries=8, show_spinner=False)
def examples(folder: str, version: str) -> list[str]:
    return example_questions(load_index(folder))


def show_welcome(index, info) -> None:
    """Before any question: what is indexed, and three questions it can answer."""
    years = sorted({d[:4] for d in (info.first_date, info.last_date) if d})
    bodies = sorted(info.bodies.items(), key=lambda pair: -pair[1])
    listed = "; ".join(f"{escaped(body)} ({n})" for body, n in bodies[:8])
    more = f"; and {len(bodies) - 8} more" if len(bodies) > 8 else ""
    st.markdown(f"**{info.documents}** documents ({info.pages} pages) from **{len(bodies)}** "
                f"bod{'y' if len(bodies) == 1 else 'ies'}" + (f", meetings of {'–'.join(years)}" if years else "")
                + f": {listed}{more}.")
    asked = examples(index_dir(), index.version)
    if asked:
        st.markdown("Type a question and press Enter, or try one of these:")
        for n, question in enumerate(asked):
            st.button(question, key=f"example_{n}", on_click=_ask_example, args=(question,))
    else:
        st.info("Type a question and press Enter, for example: what did we resolve on homelessness?")


def _ask_example(question: str) -> None:
    st.session_state.query = question


# A passage's reranked logit in words: most answers measured right came from passages above GOOD_MATCH_FROM.
GOOD_MATCH_FROM = 5.5
CLOSE_MATCH_FROM = 8.0


def match_words(logit: float) -> str:
    """A passage's reranked score in words, on the cross-encoder's scale (answer.py's ANSWER_THRESHOLD)."""
    if logit >= CLOSE_MATCH_FROM:
        return "close match"
    return "good match" if logit >= GOOD_MATCH_FROM else "partial match" if logit >= ANSWER_THRESHOLD else "weak match"


def highlighted(index, query: str, hit) -> str:
    marked = index.snippet(query, hit, mark=("\x02", "\x03")) or hit.text
    return escaped(" ".join(marked.split())).replace("\x02", "**").replace("\x03", "**")


def provenance(hit) -> str:
    """Whether the passage was read by OCR, and the other files that hold the same paper."""
    notes = []
    if hit.ocr:
        notes.append("*OCR: read from a scanned page; check the wording against the page image.*")
    if hit.copies:
        notes.append("*Also published as: " + "; ".join(escaped(path) for path in hit.copies) + "*")
    if web_address(hit.source_url):
        notes.append(f"[On the council's site]({web_address(hit.source_url)})")
    return "  \n".join(notes)


def show_hit(index, query: str, hit) -> None:
    with st.container(border=True):
        st.markdown(strong(hit.doc_title, lead=f"{hit.rank}. "))
        details = [escaped(x) for x in (hit.body, hit.meeting_date, hit.doc_type) if x]
        if hit.item:
            details.append(f"Item {escaped(hit.item)}")
        place = shown_location(hit.item, hit.location)
        if place:
            details.append(place)
        st.markdown(" · ".join(details) + (f" · {match_words(hit.score)}" if hit.reranked else ""))
        st.markdown(highlighted(index, query, hit))
        notes = provenance(hit)
        if notes:
            st.markdown(notes)
        opened = st.session_state.get("view")
        if opened and opened[2] == hit.chunk_id:
            on_page = opened[0] == hit.doc_path and hit.pdf_page <= opened[1] <= hit.pdf_page_end
            show_page(index, opened[0], opened[1], hit.text if on_page else None)
        elif st.button("Open the page", key=f"open_{hit.chunk_id}", help=f"{hit.doc_path}, {hit.location}"):
            st.session_state.view = (hit.doc_path, hit.pdf_page, hit.chunk_id)
            st.rerun()


def show_closest(answer, hits) -> None:
    """Not sure of an answer, the sentence likeliest to answer, to be checked on the page; never stated as one."""
    hit = answer.closest_in
    number = next((n for n, shown in enumerate(hits, start=1) if shown.chunk_id == hit.chunk_id), None)
    st.markdown(f"Closest to an answer, to check on the page: *“{escaped(answer.closest)}”*")
    where = [x for x in (hit.body, hit.meeting_date) if x and x not in hit.doc_title]
    place = shown_location(hit.item, hit.location)   # not a text file's section that is the item itself
    st.caption(f"From {escaped(hit.doc_title)}" + (f" ({escaped(', '.join(where))})" if where else "")
               + (f", item {escaped(hit.item)}" if hit.item else "") + (f", {place}" if place else "")
               + (f" (passage {number} below)" if number else ""))


def main() -> None:
    write_url(draw())
    saved_list(current_index().info())


def draw() -> dict:
    """The page; returns the state to keep in the address bar."""
    index = current_index()
    exempt_banner(index)
    info = index.info()
    params = st.query_params
    st.header("Search the papers")
    show_alerts(info)
    with st.sidebar:
        st.markdown("**Filters**")
        bodies = st.multiselect("Body", list(info.bodies), key="body",
                                default=[b for b in params.get_all("body") if b in info.bodies] or None)
        types = st.multiselect("Document type", list(info.doc_types), key="type",
                               default=[t for t in params.get_all("type") if t in info.doc_types] or None)
        date_from, date_to = date_range(info, params.get("from"), params.get("to"))
    query = st.text_input("Question or search words", params.get("q", ""), key="query",
                          placeholder="e.g. What did the board resolve on homelessness?")
    modes = list(MODES.values())
    mode = st.radio("Search mode", list(MODES), horizontal=True, key="mode",
                    index=modes.index(params["mode"]) if params.get("mode") in modes else 0)
    grouped = st.checkbox("Group passages by meeting", key="grouped", value=params.get("group") == "1")
    wanted = {"q": query, "mode": MODES[mode], "body": bodies, "type": types, "from": date_from, "to": date_to,
              "group": "1" if grouped else None}
    searched = (query, MODES[mode], bodies, types, date_from, date_to)
    changed = st.session_state.get("searched", searched) != searched  # a new search starts on its first page
    st.session_state.searched = searched
    if changed:
        st.session_state.pop("view", None)
        st.session_state.pop("results_page", None)
        st.session_state.pop("everywhere", None)
    everywhere = st.session_state.get("everywhere", params.get("everywhere") == "1")
    if date_from and date_to and date_from > date_to:
        st.warning("The 'Meetings from' date is after the 'Meetings to' date, so nothing can match.")
    if not query.strip():
        show_welcome(index, info)
        return wanted
    save_form(index, query[:MAX_QUERY], MODES[mode], bodies, types, date_from, date_to)
    if len(query) > MAX_QUERY:
        st.warning(f"That question is long; the first {MAX_QUERY} characters were searched.")
    everywhere = show_focus(index, query[:MAX_QUERY], MODES[mode], everywhere)
    wanted["everywhere"] = "1" if everywhere else None
    try:
        hits, answer = run_search(index_dir(), index.version, query[:MAX_QUERY], tuple(bodies),
                                  tuple(types), date_from, date_to, MODES[mode], not everywhere)
    except BadQuery as exc:
        st.warning(str(exc))
        return wanted

    st.subheader("Answer")
    if answer.decision:
        first = answer.decision[0]
        shown = [" ".join(p.text.split()) for p in answer.decision]
        # a resolution pointing back ('agreed to this amendment') is stated after what it points at
        resolved = resolution_text(answer.decision)
        if answer.text and answer.text != resolved and answer.text.endswith(resolved):
            shown.insert(0, " ".join(answer.text[:-len(resolved)].split()))
        st.success("\n\n".join(escaped(part) for part in shown))
        vote = vote_summary(first.vote)
        place = shown_location(first.item, first.location)
        st.markdown(f"Decided at the meeting of **{escaped(long_date(first.meeting_date) or 'unknown date')}**"
                    + (f", item {escaped(first.item)}" if first.item else "")
                    + f" · outcome: {first.outcome}" + (f" · vote: {escaped(vote)}" if vote else "")
                    + f" · {escaped(first.doc_title)}" + (f", {place}" if place else ""))
        st.caption(answer.confidence_words)
    elif answer.text:
        st.success(escaped(answer.text))
        hit = answer.citation
        where = [x for x in (hit.body, hit.meeting_date) if x and x not in hit.doc_title]
        place = shown_location(hit.item, hit.location)
        st.markdown(f"From {strong(hit.doc_title)}" + (f" ({escaped(', '.join(where))})" if where else "")
                    + (f", item {escaped(hit.item)}" if hit.item else "")
                    + (f", {place}" if place else ""))
        if provenance(hit):
            st.markdown(provenance(hit))
        st.caption(answer.confidence_words)
    else:
        st.info(answer.note)
        if answer.closest:
            show_closest(answer, hits)
    if not hits:
        st.info("No passages match these filters.")
        return wanted

    st.subheader("Across the years")
    dated = per_meeting(hits)
    if len(dated) > 1:
        st.bar_chart({"passages": dated}, x_label="meeting date", y_label="passages", height=240)
    else:
        st.markdown(f"All {len(hits)} passages are from papers dated {next(iter(dated))}.")
    if grouped:
        hits = by_meeting(hits)
    pages = (len(hits) + PAGE_SIZE - 1) // PAGE_SIZE
    st.subheader(f"Passages ({len(hits)} best, {PAGE_SIZE} a page)" if pages > 1 else f"Passages ({len(hits)})")
    page = 1
    if pages > 1:
        asked = int(params["page"]) if params.get("page", "").isdigit() and not changed else 1
        page = st.radio("Results page", range(1, pages + 1), horizontal=True, key="results_page",
                        index=min(max(asked, 1), pages) - 1)
    wanted["page"] = str(page) if page > 1 else None
    meeting = None
    for hit in hits[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]:
        if grouped and hit.meeting_date != meeting:
            meeting = hit.meeting_date
            st.markdown(f"#### Meeting of {meeting or 'unknown date'}")
        show_hit(index, query, hit)
    return wanted


main()
