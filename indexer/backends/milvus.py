"""Passages in a Milvus collection: dense and keyword candidates from Milvus, everything else from the catalog.

    python -m indexer build papers/ --index idx --backend milvus://127.0.0.1:19530/board_papers

A build with a Milvus backend writes the index folder as always (catalog, vectors, manifest), then
brings the collection up to date with it (`MilvusSync`) before the folder is published. Searching
such an index (`MilvusBuild`) asks Milvus for the dense candidates (inner product of the e5
vectors) and the keyword candidates, under the same filters, and the catalog for the rest: hits,
pages, decisions, coverage. The council's body is the collection's partition key.

Keyword ranking is the embedded index's FTS5's. The passage's words and its context (title, body,
date, item, heading) are two BM25 fields; Milvus's best POOL passages in each for the question's
words are the candidates, and they are ranked here as FTS5's bm25() ranks them: the same phrases
and terms (fts.query_terms: quoted phrases required, references such as "24/00108" matched as
phrases, the commonest words left out beyond the budget), each column's hits weighed as
bm25(chunks_fts, TEXT_WEIGHT, CONTEXT_WEIGHT) weighs them, one length per passage, and the counts
FTS5 weighs a term by read from the catalog beside the manifest (the same build's passages).

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
import math
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from ..errors import BackendUnavailable, BadSetting, IndexCorrupt
from ..index.checkpoints import BACKEND_PART, reached
from ..records import Filters
from . import fts
from .catalog import Catalog
from .folder import DATABASE
from .local import LocalBuild

SCHEME, DEFAULT_COLLECTION = "milvus", "board_papers"
KEYS = "milvus-keys.json"      # DOCKEY -> first chunk id of this build, beside the catalog
CONNECT_SECONDS = 10
# pymilvus pings every 10 s even when idle; a gRPC server with the default policy (milvus-lite's) answers
# pings more often than every 5 minutes with GOAWAY 'too_many_pings' while a build embeds. Ping less.
KEEPALIVE = {"grpc.keepalive_time_ms": 360_000, "grpc.keepalive_permit_without_calls": False}
TEXT_BYTES = 65_535            # Milvus's longest VARCHAR
INSERT_ROWS, DELETE_KEYS = 512, 256
PATH_LIST = 2_000              # a path prefix holding LIKE's wildcards is sent as at most this many exact paths
MAX_LIMIT = 16_384             # the most rows one Milvus search returns
ANALYZER = {"tokenizer": "standard", "filter": ["lowercase"]}
LAYOUT = 2                     # raise it whenever the collection's fields change: an older collection is rewritten
KEYWORD_FIELDS = (("text_sparse", fts.TEXT_WEIGHT), ("context_sparse", fts.CONTEXT_WEIGHT))
WORD_FIELDS = ("text_words", "context_words")   # the stems each BM25 field is made of, in order
POOL = 500                     # keyword candidates from each field, ranked here (BENCHMARKS.md: 200 to 2000 measured)
BM25_K1, BM25_B = 1.2, 0.75    # FTS5's bm25() constants
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
        "text_words": _fit(words(row["text"])),
        "context_words": _fit(words(f"{row['context'] or ''} {row['heading'] or ''}")),
        "vector": [float(x) for x in vector], "text": _fit(row["text"]),
        "body": _fit(row["body"] or "", 1024), "doc_type": _fit(row["doc_type"] or "", 256),
        "meeting_date": row["meeting_date"] or "", "path": _fit(row["path"], 4096),
        "pdf_page": row["pdf_page"], "pdf_page_end": row["pdf_page_end"], "item": _fit(row["item"] or "", 2048),
    }


def _fit(text: str, limit: int = TEXT_BYTES) -> str:
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
        self.client.delete(self.address.collection, filter=f"doc_key in {_strings(keys)}")

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


# --- searching


def _string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _strings(values) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"


def expression(filters: Filters, catalog: Catalog) -> tuple[str | None, bool]:
    """(Milvus filter expression, whether its path clause may pass more than the filters do); None: nothing passes.

    Body: part of a name, case-insensitive, which Milvus's LIKE is not, so the matching bodies are
    found in the catalog and sent by name. Dates: a passage without a date passes no date filter."""
    clauses, loose = [], False
    if filters.body:
        bodies = catalog.bodies_like(filters.body)
        if not bodies:
            return None, False
        clauses.append(f"body in {_strings(_fit(b, 1024) for b in bodies)}")
    if filters.doc_type:
        clauses.append(f"doc_type in {_strings(filters.doc_type)}")
    if filters.date_from or filters.date_to:
        clauses.append('meeting_date != ""')
    if filters.date_from:
        clauses.append(f"meeting_date >= {_string(filters.date_from)}")
    if filters.date_to:
        clauses.append(f"meeting_date <= {_string(filters.date_to)}")
    if filters.path:
        paths = catalog.paths_under(filters.path) if any(c in p for p in filters.path for c in "%_") else None
        if paths is not None and len(paths) <= PATH_LIST:   # LIKE has no escape for % and _ in every Milvus
            if not paths:
                return None, False
            clauses.append(f"path in {_strings(paths)}")
        else:
            clauses.append("(" + " or ".join(f"path like {_string(p + '%')}" for p in filters.path) + ")")
            loose = paths is not None
    return " and ".join(clauses), loose


def holding(phrase: str) -> str:
    """A filter passing the passages whose text or context holds the phrase's stems (LIKE on the joined stems,
    which passes a few more, "plan" in "planet": the ranking counts the phrase exactly)."""
    pattern = _string(f"%{words(phrase)}%")
    return "(" + " or ".join(f"{field} like {pattern}" for field in WORD_FIELDS) + ")"


def bm25(candidates: dict[int, tuple[list[str], list[str]]], phrases: list[str], terms: list[str],
         rows_matching: Callable[[str], int], rows: int, average: float) -> list[tuple[int, float]]:
    """The candidates FTS5 would match, scored as bm25(chunks_fts, TEXT_WEIGHT, CONTEXT_WEIGHT) scores them, best first.

    candidates: chunk id -> the stems of its text and of its context, in order; phrases and terms as
    fts.query_terms reads the query (the terms within the budget); rows_matching(term): the passages of the
    whole build matching it; rows, average: the build's passages and their average length in stems."""
    # FTS5 scores each phrase of the MATCH expression: '"p" AND ("p" OR "t" ...)' scores p twice.
    scored = [*phrases, *(phrases[:1] if terms else []), *terms]
    stems = {term: fts.tokens(term) for term in scored}
    idf = {term: _idf(rows, rows_matching(term)) for term in stems}
    ranked = []
    for chunk, (text, context) in candidates.items():
        found = {term: (_occurrences(text, held), _occurrences(context, held)) for term, held in stems.items()}
        if not all(sum(found[p]) for p in phrases) or not any(sum(hits) for hits in found.values()):
            continue
        norm = BM25_K1 * (1 - BM25_B + BM25_B * (len(text) + len(context)) / (average or 1.0))
        score = 0.0
        for term in scored:
            weighed = fts.TEXT_WEIGHT * found[term][0] + fts.CONTEXT_WEIGHT * found[term][1]
            score += idf[term] * weighed * (BM25_K1 + 1) / (weighed + norm)
        ranked.append((chunk, score))
    return sorted(ranked, key=lambda pair: (-pair[1], pair[0]))


def _idf(rows: int, matching: int) -> float:
    idf = math.log((rows - matching + 0.5) / (matching + 0.5))
    return idf if idf > 0 else 1e-6   # as FTS5: a term in most passages still counts, a little


def _occurrences(stems: list[str], phrase: list[str]) -> int:
    """How often the phrase's stems stand together, in order, among the passage's."""
    if len(phrase) == 1:
        return stems.count(phrase[0])
    count, at = 0, -1
    while True:
        try:
            at = stems.index(phrase[0], at + 1)
        except ValueError:
            return count
        count += stems[at:at + len(phrase)] == phrase


def _stems(held: str) -> list[str]:
    """A field's stems, split on single spaces: a word stemmed to nothing (the s of "council's") keeps its place,
    as FTS5 keeps the s, so that phrases and lengths count as FTS5 counts them."""
    return held.split(" ") if held else []


class MilvusBuild(LocalBuild):
    """A published build whose dense and keyword candidates come from a Milvus collection."""

    def __init__(self, index_dir: Path | str, url: str):
        super().__init__(index_dir)
        try:
            self.address = MilvusAddress.parse(url)
            self.client = connect(self.address)
            with calling(self.address):
                write = (f"Write the index into it with: python -m indexer build CORPUS_DIR --index {self.index_dir} "
                         f"--backend {self.address.url}")
                name = self.address.collection
                if not self.client.has_collection(name):
                    raise BackendUnavailable(self.address.url, f"it has no collection {name}", fix=write)
                found = layout(self.client.describe_collection(name))
                if found != LAYOUT:
                    raise BackendUnavailable(self.address.url, f"the collection {name} is in layout {found}, and this "
                                             f"program searches layout {LAYOUT}", fix=write)
                loaded(self.client, name)
            self._first = self._keys()
        except BaseException:
            super().close()
            raise

    def _keys(self) -> dict[str, int]:
        path = self.index_dir / KEYS
        if not path.is_file():   # an embedded index searched through --backend: the keys are its content's
            return {key: rows[0]["id"] for key, rows in document_keys(self.catalog, self.manifest.model)}
        try:
            return json.loads(path.read_text())
        except ValueError as exc:
            raise IndexCorrupt(path, f"not valid JSON: {exc}") from exc

    def close(self) -> None:
        self.client.close()
        super().close()

    def dense(self, queries: np.ndarray, k: int, filters: Filters) -> list[list[tuple[int, float]]]:
        return self._search([[float(x) for x in q] for q in queries], "vector", "IP", k, filters, len(queries))

    def keyword(self, query: str, k: int, filters: Filters) -> list[tuple[int, float]]:
        """As the embedded index ranks: Milvus's best POOL passages in each field for the words FTS5 would
        search, each quoted phrase required, scored by FTS5's bm25() from the stems Milvus returns."""
        phrases, terms = fts.query_terms(query)
        terms = fts.within_budget(terms, self.catalog.term_counter("chunks_fts"))
        searched = " ".join(words(" ".join([*phrases, *terms])).split())
        where, loose = expression(filters, self.catalog)
        if not searched or where is None or k < 1:
            return []
        where = " and ".join(clause for clause in [where, *map(holding, phrases)] if clause)
        candidates: dict[int, tuple[list[str], list[str]]] = {}
        for field, _ in KEYWORD_FIELDS:
            for chunk, hit in self._found([searched], field, "BM25", max(k, POOL), where, WORD_FIELDS)[0]:
                text, context = (_stems(hit["entity"][name]) for name in WORD_FIELDS)
                candidates[chunk] = text, context
        if loose:
            passing = self.catalog.passing(list(candidates), filters)
            candidates = {chunk: held for chunk, held in candidates.items() if chunk in passing}
        rows, average = self._lengths
        return bm25(candidates, phrases, terms, self.catalog.row_counter("chunks_fts"), rows, average)[:k]

    @cached_property
    def _lengths(self) -> tuple[int, float]:
        """(the build's passages, their average length in stems), as bm25() reads them."""
        rows = self.catalog.count()
        return rows, self.catalog.token_total("chunks_fts") / rows if rows else 0.0

    def _search(self, data: list, field: str, metric: str, k: int, filters: Filters,
                queries: int) -> list[list[tuple[int, float]]]:
        where, loose = expression(filters, self.catalog)
        if where is None or k < 1:
            return [[] for _ in range(queries)]
        ranked = [[(chunk, float(hit["distance"])) for chunk, hit in row]
                  for row in self._found(data, field, metric, k, where)]
        if loose:   # a path prefix with _ or % in it matched by LIKE: the catalog has the last word
            ranked = [self._passing(row, filters) for row in ranked]
        return ranked

    def _found(self, data: list, field: str, metric: str, limit: int, where: str,
               fields: tuple[str, ...] = ()) -> list[list[tuple[int, dict]]]:
        """(chunk id, Milvus's hit with these fields) best first for each query, for the keys this build knows."""
        with calling(self.address):
            found = self.client.search(self.address.collection, data=data, anns_field=field,
                                       limit=min(limit, MAX_LIMIT), filter=where, search_params={"metric_type": metric},
                                       output_fields=list(fields))
        return [[(chunk, hit) for hit in row if (chunk := self._chunk(hit["key"])) is not None] for row in found]

    def _passing(self, ranked: list[tuple[int, float]], filters: Filters) -> list[tuple[int, float]]:
        passing = self.catalog.passing([chunk for chunk, _ in ranked], filters)
        return [pair for pair in ranked if pair[0] in passing]

    def _chunk(self, key: str) -> int | None:
        doc_key, _, n = key.rpartition("-")
        first = self._first.get(doc_key)
        return None if first is None or not n.isdigit() else first + int(n)
