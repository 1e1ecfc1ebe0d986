"""What the app's pages share: the index, loaded once per process, and safe ways to show its text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re

import streamlit as st

from indexer import Index, IndexerError, open_index
from indexer.citation import repeats

MODES = {"Hybrid": "hybrid", "Keyword": "keyword", "Semantic": "dense"}   # the search modes, as the app names them


@st.cache_resource(show_spinner="Loading the index and the language models...")
def load_index(index_dir: str) -> Index:
    index = open_index(index_dir)
    index.warm_up()  # load the models now, not on the first question
    return index


def default_index() -> str:
    return os.environ.get("INDEX_DIR", "index")


def index_dir() -> str:
    return st.session_state.get("index_dir") or default_index()


def current_index() -> Index:
    """The index the sidebar names, or a clear message and a stop when it cannot be opened."""
    try:
        return load_index(index_dir())
    except IndexerError as exc:
        st.error(f"The index could not be opened. {exc}")
        st.info("To build the demo index, run `make run` in the project folder.")
        st.stop()


def write_url(state: dict) -> None:
    """The page's state in the address bar (empty values left out), so a search can be bookmarked and shared."""
    st.query_params.from_dict({key: value for key, value in state.items() if value})


def exempt_banner(index: Index) -> None:
    """An index built with --include-exempt says so on every page."""
    if index.manifest.include_exempt:
        st.error("This index includes exempt material: papers marked NOT FOR PUBLICATION, confidential or "
                 "exempt under Schedule 12A. Do not share what it shows outside the council.")


def web_address(url: str | None) -> str | None:
    """An http(s) address fit to be a Markdown link's target (spaces and brackets encoded), else None."""
    if not url or not re.match(r"https?://[^\s/]+", url, re.I):
        return None
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


# A web address in a paper's text, without the punctuation that ends its sentence.
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\x02\x03]*[^\s<>\x02\x03.,;:!?)\]'\"’”]", re.I)


def escaped(text: str) -> str:
    """Passage text shown as text: no Markdown or HTML in a paper is ever rendered. A web address in it is
    shown as written (as a link: Markdown would show the escapes inside an address it links itself)."""
    shown, at = [], 0
    for address in _WEB_ADDRESS.finditer(text):
        shown += [_escape(text[at:address.start()]), f"<{address.group()}>"]
        at = address.end()
    return "".join([*shown, _escape(text[at:])])


def shown_location(item: str | None, location: str) -> str | None:
    """A citation's location as Markdown shows it beside its item; None where it only repeats the item (a text
    file's section that is the item itself)."""
    return None if repeats(item, location) else escaped(location)


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)


def strong(text: str, lead: str = "") -> str:
    """Text shown in bold, after the app's own Markdown `lead` ('2. '). Markdown bolds only when no space or
    line break sits just inside the asterisks, so a title cut after a space ('... Wereham Village ') would
    show them instead."""
    return f"**{lead}{escaped(' '.join(text.split()))}**"


def _parse_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def date_bounds(info) -> tuple[dt.date, dt.date]:
    """The first and last days the date pickers offer: the whole years the index covers."""
    first = _parse_date(info.first_date) or dt.date(1990, 1, 1)
    last = _parse_date(info.last_date) or dt.date.today()
    return dt.date(first.year, 1, 1), dt.date(last.year, 12, 31)


def picked_date(info, text: str | None) -> dt.date | None:
    """An ISO date as the date pickers can hold it: within their bounds, None when there is none."""
    lowest, highest = date_bounds(info)
    day = _parse_date(text)
    return min(max(day, lowest), highest) if day else None


def date_range(info, default_from: str | None = None, default_to: str | None = None,
               key: str = "") -> tuple[str | None, str | None]:
    """Two date pickers bounded by the years the index covers; ISO strings (or None) come back."""
    lowest, highest = date_bounds(info)
    picked = []
    for label, default in (("Meetings from", default_from), ("Meetings to", default_to)):
        day = st.date_input(label, value=picked_date(info, default), min_value=lowest, max_value=highest,
                            format="YYYY-MM-DD", key=f"{key}{label.split()[-1]}")
        picked.append(day.isoformat() if day else None)
    return picked[0], picked[1]


def csv_text(rows: list[dict]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def page_of(count: int, per_page: int, key: str, choices: int = 10) -> int:
    """Which page of `count` items to show, from 1: a row of choices for up to `choices` pages, a number box
    for more (a large index's whole register of decisions runs to hundreds of pages)."""
    pages = (count + per_page - 1) // per_page
    if pages <= 1:
        return 1
    if pages <= choices:
        return st.radio("Page", range(1, pages + 1), horizontal=True, key=key)
    number = f"{key}_number"
    if st.session_state.get(number, 1) > pages:   # fewer pages than before, once filtered
        st.session_state[number] = pages
    return int(st.number_input(f"Page (1 to {pages})", min_value=1, max_value=pages, step=1, key=number))
