"""The values that cross the stages of a search: filters in, passages, decisions, pages and a summary out.

Nothing here touches storage; each backend turns Filters into its own query.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from .citation import cite, cite_location
from .errors import BadQuery

# The keys of a passage in `search --json` (a published contract).
HIT_KEYS = ("rank", "score", "text", "doc_path", "doc_title", "doc_type", "body", "meeting_date", "pdf_page",
            "pdf_page_end", "page_label", "item", "chunk_id", "ocr", "copies",
            "source_url")
DECISION_KEYS = ("meeting_date", "body", "item", "text", "doc_path", "pdf_page", "page_label", "ocr", "group", "outcome",
                 "vote", "moved_by", "seconded_by", "owner")


@dataclass(frozen=True)
class Filters:
    """Which passages (and decisions) a search may return. Empty means everything.

    The date rule: a passage passes on its document's meeting date; a decision on the date of the
    meeting that took it (minutes printed in a later agenda pack record an earlier meeting).
    """

    body: tuple[str, ...] = ()       # any of these, case-insensitive; part of the name is enough
    doc_type: tuple[str, ...] = ()   # any of these document types, case-insensitive
    date_from: str | None = None     # ISO dates, inclusive
    date_to: str | None = None
    path: tuple[str, ...] = ()       # documents whose path (relative to the corpus) starts with one of these

    def active(self) -> bool:
        return bool(self.body or self.doc_type or self.date_from or self.date_to or self.path)


def make_filters(body=None, doc_type=None, date_from=None, date_to=None, path=None) -> Filters:
    """Filters from loose arguments: a string or a list for the repeatable ones; dates checked as YYYY-MM-DD."""
    def many(value, tidy) -> tuple[str, ...]:
        values = [value] if isinstance(value, str) else list(value or ())
        return tuple(tidy(v) for v in values if v and str(v).strip())

    return Filters(
        body=many(body, lambda v: v.strip()),
        doc_type=many(doc_type, lambda v: v.strip().lower()),
        date_from=_iso(date_from, "--from"),
        date_to=_iso(date_to, "--to"),
        path=many(path, lambda v: v.strip().lstrip("./")),
    )


def _iso(value, flag: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise BadQuery(f"{flag} {value!r} is not a date; write it as YYYY-MM-DD") from exc


class Cited:
    """Where a record is, as a reader checks it ('PDF p. 19 - printed Page 17'), and its whole citation: for
    every record holding doc_title, item, pdf_page, page_label and unit (body, meeting_date and pdf_page_end
    where it has them)."""

    @property
    def location(self) -> str:
        last = getattr(self, "pdf_page_end", 0) or self.pdf_page
        return cite_location(self.pdf_page, last, self.page_label, self.unit)

    @property
    def citation(self) -> str:
        return cite(self.doc_title, getattr(self, "body", None), getattr(self, "meeting_date", None), self.item,
                    self.location)


@dataclass
class Hit(Cited):
    rank: int
    score: float
    text: str
    doc_path: str            # relative to the corpus root
    doc_title: str
    doc_type: str
    body: str | None
    meeting_date: str | None  # ISO date
    pdf_page: int            # 1-based page (or section, see citation.py) where the passage starts
    pdf_page_end: int
    page_label: str | None   # printed page number on pdf_page
    item: str | None         # agenda item, e.g. "9. Homeless Services Provision"
    chunk_id: int            # row id in this build
    ocr: bool = False        # some of the passage was read from a scanned page by OCR: check the page image
    copies: list[str] = field(default_factory=list)  # other files with the same bytes or text, indexed once
    unit: str = "pdf"        # what pdf_page counts (citation.UNITS)
    passage_id: str = ""     # the same passage in every build: document hash, page and text hash
    reranked: bool = False   # score is the cross-encoder's logit, less a little for a low first-stage place
    source_url: str | None = None   # the paper on the council's site, where its metadata.csv says

    def to_json(self) -> dict:
        record = asdict(self)
        return {key: record[key] for key in HIT_KEYS}


@dataclass
class DecisionRecord(Cited):
    meeting_date: str | None
    body: str | None
    item: str | None
    text: str
    doc_path: str
    pdf_page: int
    page_label: str | None
    doc_title: str
    chunk_id: int | None         # the indexed passage that holds it
    ocr: bool = False            # read from a scanned page by OCR
    score: float | None = None   # BM25 relevance when listed for a query
    unit: str = "pdf"
    id: int = 0
    group: int = 0               # the id of the first part of its resolution; its own id when it stands alone
    part: int = 0                # its place in the resolution: 0 for the first part
    outcome: str = "other"       # resolved, agreed, approved, noted, endorsed, deferred, refused, action, elected, other
    vote: dict | None = None     # result, unanimous, counts, names, as minuted
    moved_by: str | None = None
    seconded_by: str | None = None
    owner: str | None = None     # who is to act on an action
    doc_type: str | None = None

    def to_json(self) -> dict:
        record = asdict(self)
        return {key: record[key] for key in DECISION_KEYS}


@dataclass
class RecommendationRecord(Cited):
    """What an officer's report recommended to a meeting."""
    text: str
    item: str | None
    doc_path: str
    doc_title: str
    pdf_page: int
    page_label: str | None
    meeting_date: str | None
    body: str | None
    unit: str = "pdf"


@dataclass
class MinutesItem(Cited):
    """One item of a meeting's minutes, where it starts."""
    doc_path: str
    doc_title: str
    body: str | None
    item: str
    pdf_page: int
    page_label: str | None
    unit: str = "pdf"


@dataclass
class PageRecord:
    """One stored page of an indexed paper."""
    doc_path: str
    title: str
    pdf_page: int
    page_count: int
    page_label: str | None
    text: str
    unit: str = "pdf"
    sha256: str = ""   # of the document's file: its PDF conversion, if it has one, is kept under it


@dataclass
class IndexInfo:
    model: str
    built_at: str
    corpus_root: str
    documents: int
    pages: int
    chunks: int
    bodies: dict[str, int]            # body -> documents
    doc_types: dict[str, int]         # document type -> documents
    first_date: str | None
    last_date: str | None
    skipped_files: list[tuple[str, str]]        # (path, reason)
    skipped_pages: list[tuple[str, int, str]]   # (path, pdf page, reason)
    withheld_pages: list[tuple[str, int, str]]  # (path, pdf page, marking): exempt, not indexed
    include_exempt: bool                        # built with --include-exempt
    exempt_included: int                        # pages marked exempt that were indexed all the same
    ocr_pages: list[tuple[str, int]]            # (path, pdf page): read from a scan by OCR
    ocr_engine: str | None                      # what read them; None when no OCR program was found
    copies: list[tuple[str, str, str]]          # (path, indexed as, 'identical file' or 'same text')
    formats: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    # format ('pdf', 'docx', 'md') -> (files indexed, pages, passages, files skipped)
