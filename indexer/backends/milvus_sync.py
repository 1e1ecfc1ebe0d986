"""Where a Milvus collection is and how a build writes it: its address, the connection, what a row holds, and
`MilvusSync`, which brings the collection up to date with a build.

Layout. The collection's "layout" property names the layout it was made in (LAYOUT). A build
finding a collection of this program's in an older layout drops it and writes it again; search
refuses one, saying how to write it again, rather than search fields that are not there.

Keys. A build numbers its passages afresh (chunk ids follow the order files are read in), so a
chunk id cannot be the collection's key if unchanged files are to stay written. A row's key is
DOCKEY-N: N is the passage's place in its document and DOCKEY a hash of all the row holds of the
document (path, body, type, each passage's text, context, date, pages and item, and the model
that made its vector). A document unchanged has the same DOCKEY in every build, so a rebuild
writes only the documents the collection lacks and deletes those the build no longer holds.
The build keeps DOCKEY -> its first chunk id in milvus-keys.json; search maps each key Milvus
returns to this build's chunk id, and drops keys this build does not know.

A sync that wrote or deleted rows ends with a flush: until then milvus-lite holds the rows in memory
unsealed, and searching 100k passages that way took 0.75-1.7 s dense and 2.7-4 s a BM25 field,
against 0.2-0.3 s after the flush (BENCHMARKS.md).

A document's first row is written last, after the rest in one insert: the collection holds a
document when that row is there, so a write cut short (the server gone mid-build) is deleted and
written again whole next time, or deleted alone when the build no longer holds that document.

Milvus's analyzers differ between servers (milvus-lite has no stemmer), so the words are stemmed
here, as the embedded index's FTS5 does (Porter), and Milvus splits them on spaces.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from ..errors import BackendUnavailable, BadSetting
from ..index.checkpoints import BACKEND_PART, reached
from . import fts
from .catalog import Catalog
from .folder import DATABASE

SCHEME, DEFAULT_COLLECTION = "milvus", "board_papers"
KEYS = "milvus-keys.json"      # DOCKEY -> first chunk id of this build, beside the catalog
CONNECT_SECONDS = 10
# pymilvus pings every 10 s even when idle; a gRPC server with the default policy (milvus-lite's) answers
# pings more often than every 5 minutes with GOAWAY 'too_many_pings' while a build embeds. Ping less.
KEEPALIVE = {"grpc.keepalive_time_ms": 360_000, "grpc.keepalive_permit_without_calls": False}
TEXT_BYTES = 65_535            # Milvus's longest VARCHAR
INSERT_ROWS, DELETE_KEYS = 512, 256
ANALYZER = {"tokenizer": "standard", "filter": ["lowercase"]}
LAYOUT = 2                     # raise it whenever the collection's fields change: an older collection is rewritten
KEYWORD_FIELDS = (("text_sparse", fts.TEXT_WEIGHT), ("context_sparse", fts.CONTEXT_WEIGHT))
WORD_FIELDS = ("text_words", "context_words")   # the stems each BM25 field is made of, in order
VECTOR_INDEX = {"index_type": "FLAT", "metric_type": "IP"}   # exact, as the embedded index below 200k passages
_COLLECTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,254}")


@dataclass(frozen=True)
class MilvusAddress:
    host: str
    port: int
    collection: str = DEFAULT_COLLECTION

    @classmethod
    def parse(cls, url: str) -> "MilvusAddress":
        """milvus://HOST:PORT[/COLLECTION]"""
        example = f"give it as {SCHEME}://HOST:PORT[/COLLECTION], e.g. {SCHEME}://127.0.0.1:19530/{DEFAULT_COLLECTION}"
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            port = None
        if parts.scheme != SCHEME or not parts.hostname or port is None:
            raise BadSetting(f"--backend {url!r} is not a Milvus address; {example}")
        collection = parts.path.strip("/") or DEFAULT_COLLECTION
        if not _COLLECTION_NAME.fullmatch(collection):
            raise BadSetting(f"--backend {url!r}: a collection name is letters, digits and _, not starting with a "
                             f"digit; {example}")
        return cls(parts.hostname, port, collection)

    @property
    def url(self) -> str:
        return f"{SCHEME}://{self.host}:{self.port}/{self.collection}"

    @property
    def uri(self) -> str:
        return f"http://{self.host}:{self.port}"


def connect(address: MilvusAddress):
    from pymilvus import MilvusClient, MilvusException

    # pymilvus logs every failed call with its traceback (and a warning per build on milvus-lite, which keeps no
    # MVCC timestamps) on a handler it sets up when imported; its errors reach the caller as BackendUnavailable.
    logging.getLogger("pymilvus").setLevel(logging.CRITICAL)
    try:
        return MilvusClient(uri=address.uri, timeout=CONNECT_SECONDS, grpc_options=KEEPALIVE)
    except MilvusException as exc:
        raise BackendUnavailable(address.url, _reason(exc)) from exc


@contextmanager
def calling(address: MilvusAddress) -> Iterator[None]:
    """Milvus's errors as BackendUnavailable, naming the address."""
    from pymilvus import MilvusException

    try:
        yield
    except MilvusException as exc:
        raise BackendUnavailable(address.url, _reason(exc)) from exc


def _reason(exc: Exception) -> str:
    message = getattr(exc, "message", "") or str(exc)
    return " ".join(message.split())[:300] or "the server does not answer"


# --- a string in a filter expression


def quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def quoted_list(values) -> str:
    return "[" + ", ".join(quoted(v) for v in values) + "]"


# --- what a row holds


def document_keys(catalog: Catalog, model: str) -> Iterator[tuple[str, list]]:
    """(DOCKEY, the document's passage rows in order) for every document of the catalog."""
    for _, rows in groupby(catalog.passage_rows(), key=lambda row: row["path"]):
        rows = list(rows)
        digest = hashlib.sha256(json.dumps([model, rows[0]["path"], rows[0]["body"], rows[0]["doc_type"]]).encode())
        for row in rows:
            digest.update(json.dumps([row[name] for name in ("meeting_date", "pdf_page", "pdf_page_end", "item",
                                                             "heading", "text", "context")]).encode())
        yield digest.hexdigest()[:24], rows


def words(text: str) -> str:
    """Text as the collection's keyword field holds it: lower case, no diacritics, Porter stems."""
    return " ".join(fts.tokens(text))


def _row(key: str, n: int, row, vector: np.ndarray) -> dict:
    return {
        "key": f"{key}-{n}", "doc_key": key, "ordinal": n,
        "text_words": fit(words(row["text"])),
        "context_words": fit(words(f"{row['context'] or ''} {row['heading'] or ''}")),
        "vector": [float(x) for x in vector], "text": fit(row["text"]),
        "body": fit(row["body"] or "", 1024), "doc_type": fit(row["doc_type"] or "", 256),
        "meeting_date": row["meeting_date"] or "", "path": fit(row["path"], 4096),
        "pdf_page": row["pdf_page"], "pdf_page_end": row["pdf_page_end"], "item": fit(row["item"] or "", 2048),
    }


def fit(text: str, limit: int = TEXT_BYTES) -> str:
    data = text.encode()
    return text if len(data) <= limit else data[:limit].decode(errors="ignore")


def _schema(client, dimension: int):
    from pymilvus import DataType, Function, FunctionType

    schema = client.create_schema(auto_id=False)
    schema.add_field("key", DataType.VARCHAR, max_length=64, is_primary=True)
    schema.add_field("doc_key", DataType.VARCHAR, max_length=32)
    schema.add_field("ordinal", DataType.INT64)
    for part in ("text", "context"):
        schema.add_field(f"{part}_words", DataType.VARCHAR, max_length=TEXT_BYTES, enable_analyzer=True,
                         analyzer_params=ANALYZER)
        schema.add_field(f"{part}_sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_field("text", DataType.VARCHAR, max_length=TEXT_BYTES)
    schema.add_field("body", DataType.VARCHAR, max_length=1024, is_partition_key=True)
    schema.add_field("doc_type", DataType.VARCHAR, max_length=256)
    schema.add_field("meeting_date", DataType.VARCHAR, max_length=16)
    schema.add_field("path", DataType.VARCHAR, max_length=4096)
    schema.add_field("pdf_page", DataType.INT64)
    schema.add_field("pdf_page_end", DataType.INT64)
    schema.add_field("item", DataType.VARCHAR, max_length=2048)
    for part in ("text", "context"):
        schema.add_function(Function(name=f"{part}_bm25", function_type=FunctionType.BM25,
                                     input_field_names=[f"{part}_words"], output_field_names=[f"{part}_sparse"]))
    return schema


# --- writing


class MilvusSync:
    """Brings a collection up to date with a build: writes the documents it lacks, deletes those the build dropped.

    Connects when made, so a build with a server that is not there stops before it parses anything."""

    def __init__(self, url: str, model: str, dimension: int):
        self.address = MilvusAddress.parse(url)
        self.model, self.dimension = model, dimension
        self.client = connect(self.address)
        with calling(self.address):
            self._ensure_collection()
        self.written = self.removed = 0   # documents, in the last sync
        self.seconds = 0.0

    def sync(self, staging: Path, vectors) -> None:
        """staging: the build's folder, its catalog finished; vectors: every passage's vector by chunk id
        (a FAISS index). Writes milvus-keys.json there."""
        started = time.monotonic()
        catalog = Catalog(staging / DATABASE)
        try:
            first = {key: rows[0]["id"] for key, rows in document_keys(catalog, self.model)}
            with calling(self.address):
                held, present = self._held()
                stale = sorted(present - set(first))
                for batch in _batches(stale, DELETE_KEYS):
                    self._delete(batch)
                missing = [(key, rows) for key, rows in document_keys(catalog, self.model) if key not in held]
                for group in _groups(missing, INSERT_ROWS):
                    self._write(group, vectors)
                if missing or stale:   # seals what was written: unsealed rows are searched slowly (BENCHMARKS.md)
                    self.client.flush(self.address.collection)
        finally:
            catalog.close()
        self.written, self.removed, self.seconds = len(missing), len(stale), time.monotonic() - started
        (staging / KEYS).write_text(json.dumps(first, separators=(",", ":")) + "\n")

    def _ensure_collection(self) -> None:
        name = self.address.collection
        if self.client.has_collection(name):
            described = self.client.describe_collection(name)
            fields = {f["name"]: f for f in described["fields"]}
            dim = fields.get("vector", {}).get("params", {}).get("dim")
            if "doc_key" not in fields or int(dim or 0) != self.dimension:
                raise BackendUnavailable(self.address.url, f"the collection {name} was not made by this program "
                                         f"for {self.dimension}-dimensional vectors",
                                         fix="Give --backend another collection name")
            found = layout(described)
            if found == LAYOUT:
                loaded(self.client, name)
                return
            self.client.drop_collection(name)   # this program's, in an older layout: written again whole below
        index = self.client.prepare_index_params()
        index.add_index(field_name="vector", **VECTOR_INDEX)
        for field, _ in KEYWORD_FIELDS:
            index.add_index(field_name=field, index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        self.client.create_collection(name, schema=_schema(self.client, self.dimension), index_params=index,
                                      consistency_level="Strong", properties={"layout": str(LAYOUT)})

    def _held(self) -> tuple[set[str], set[str]]:
        """(held, present): the documents written whole (their first row is there), and every document with a
        row there (a write cut short left a document's later rows, so its second row, without its first)."""
        held: set[str] = set()
        present: set[str] = set()
        found = self.client.query_iterator(self.address.collection, batch_size=1000, filter="ordinal <= 1",
                                           output_fields=["doc_key", "ordinal"])
        try:
            while batch := found.next():
                for row in batch:
                    present.add(row["doc_key"])
                    if row["ordinal"] == 0:
                        held.add(row["doc_key"])
        finally:
            found.close()
        return held, present

    def _delete(self, keys: list[str]) -> None:
        self.client.delete(self.address.collection, filter=f"doc_key in {quoted_list(keys)}")

    def _write(self, documents: list[tuple[str, list]], vectors) -> None:
        self._delete([key for key, _ in documents])   # what a write cut short left
        rows = []
        for key, passages in documents:
            found = vectors.reconstruct_batch(np.array([p["id"] for p in passages], dtype="int64"))
            rows += [_row(key, n, p, v) for n, (p, v) in enumerate(zip(passages, found))]
        later = [row for row in rows if row["ordinal"]]
        if later:
            self.client.insert(self.address.collection, later)
        reached(BACKEND_PART)
        self.client.insert(self.address.collection, [row for row in rows if not row["ordinal"]])


def loaded(client, name: str) -> None:
    """Load the collection unless it is: a restarted server holds its collections released, and a released
    collection can be neither queried nor searched."""
    from pymilvus.client.types import LoadState

    if client.get_load_state(name)["state"] != LoadState.Loaded:
        client.load_collection(name)


def layout(described: dict) -> int:
    """The layout a described collection of this program's was made in; 1: before layouts were named."""
    found = str((described.get("properties") or {}).get("layout", "1"))
    return int(found) if found.isdigit() else 0


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _groups(documents: list[tuple[str, list]], rows: int) -> Iterator[list[tuple[str, list]]]:
    """Whole documents, about `rows` passages at a time."""
    group, count = [], 0
    for document in documents:
        group.append(document)
        count += len(document[1])
        if count >= rows:
            yield group
            group, count = [], 0
    if group:
        yield group
