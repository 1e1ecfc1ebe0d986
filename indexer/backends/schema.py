"""The tables of index.sqlite and the columns each is written with. Only catalog.py uses them."""

from __future__ import annotations

FORMAT_VERSION = 33  # raise it whenever a table or column, or what parsing extracts, changes: an older index is then rebuilt

SCHEMA = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, sha256 TEXT NOT NULL, title TEXT,
    body TEXT, meeting_date TEXT, doc_type TEXT, page_count INTEGER NOT NULL,
    text_sha TEXT,  -- fingerprint of the document's text, to find re-published copies
    unit TEXT NOT NULL DEFAULT 'pdf',  -- what its page numbers count (citation.UNITS)
    format TEXT NOT NULL DEFAULT 'pdf',  -- the file's format, by its suffix: pdf, docx, md ...
    likeness BLOB,  -- signature of its words (papers/likeness.py), to find it again in another format
    source_url TEXT,  -- where the paper was published (a metadata.csv's source_url)
    body_from TEXT  -- NULL: the body is the paper's own (or a metadata.csv's); 'series': the papers filed with it name it
);
-- Other files with the same bytes or the same text, indexed once as doc_id.
CREATE TABLE copies (
    path TEXT PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id), sha256 TEXT NOT NULL,
    same TEXT NOT NULL  -- 'identical file' or 'same text'
);
CREATE INDEX copies_by_doc ON copies(doc_id);
CREATE TABLE pages (
    doc_id INTEGER NOT NULL REFERENCES documents(id), pdf_page INTEGER NOT NULL,
    page_label TEXT, status TEXT NOT NULL, note TEXT, item TEXT, text TEXT NOT NULL,
    ocr INTEGER NOT NULL DEFAULT 0,  -- the text was read from a scan
    PRIMARY KEY (doc_id, pdf_page)
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id),
    pdf_page INTEGER NOT NULL, pdf_page_end INTEGER NOT NULL, page_label TEXT,
    page_label_end TEXT, item TEXT, heading TEXT, text TEXT NOT NULL,
    ocr INTEGER NOT NULL DEFAULT 0,  -- some of its text was read from a scan
    passage_id TEXT NOT NULL,  -- the same in every build: document hash, page, text hash
    meeting_date TEXT,  -- the meeting it records, where not the document's (minutes carried in a later pack)
    context TEXT NOT NULL DEFAULT ''  -- body, meeting date, document and item (ParsedDocument.context)
);
CREATE INDEX chunks_by_doc ON chunks(doc_id);
CREATE INDEX chunks_by_passage ON chunks(passage_id);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id), meeting_date TEXT,
    item TEXT, text TEXT NOT NULL, pdf_page INTEGER NOT NULL, page_label TEXT,
    chunk_id INTEGER REFERENCES chunks(id),  -- the passage that holds it
    group_id INTEGER NOT NULL,  -- the id of the first part of its resolution (its own id when it has one part)
    part INTEGER NOT NULL DEFAULT 0, outcome TEXT NOT NULL, vote TEXT,  -- vote: JSON, as outcomes.Vote
    moved_by TEXT, seconded_by TEXT, owner TEXT
);
CREATE INDEX decisions_by_doc ON decisions(doc_id);
CREATE TABLE recommendations (  -- what an officer's report asks the meeting to decide
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id), item TEXT, text TEXT NOT NULL,
    pdf_page INTEGER NOT NULL, page_label TEXT
);
CREATE INDEX recommendations_by_doc ON recommendations(doc_id);
CREATE TABLE skipped_files (path TEXT PRIMARY KEY, reason TEXT NOT NULL);
-- Keyword search: FTS5 indexes over chunks and decisions, filled once when the build is published.
CREATE VIEW chunk_search AS
    SELECT c.id AS id, c.text AS text,
           c.context || ' ' || COALESCE(c.heading, '') || IIF(d.body_from = 'series', ' ' || d.body, '') AS context
    FROM chunks c JOIN documents d ON d.id = c.doc_id;
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, context, content='chunk_search', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE decisions_fts USING fts5(
    text, item, content='decisions', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
"""

DOCUMENT_COLUMNS = ("path", "sha256", "title", "body", "meeting_date", "doc_type", "page_count", "text_sha", "unit",
                    "format", "likeness", "source_url", "body_from")
PAGE_COLUMNS = ("doc_id", "pdf_page", "page_label", "status", "note", "item", "text", "ocr")
CHUNK_COLUMNS = ("id", "doc_id", "pdf_page", "pdf_page_end", "page_label", "page_label_end", "item", "heading",
                 "text", "ocr", "passage_id", "meeting_date", "context")
DECISION_COLUMNS = ("id", "doc_id", "meeting_date", "item", "text", "pdf_page", "page_label", "chunk_id", "group_id",
                    "part", "outcome", "vote", "moved_by", "seconded_by", "owner")

RECOMMENDATION_COLUMNS = ("doc_id", "item", "text", "pdf_page", "page_label")


def insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def select(columns: tuple[str, ...], alias: str = "") -> str:
    return ", ".join(f"{alias}.{c}" if alias else c for c in columns)
