"""Planning a build: can the previous index be reused, and what becomes of each file.

Decided from the settings, the manifest and each file's hash, before anything is parsed.
`index_status` answers the same questions without building (for `build --if-stale`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..backends.local import LocalBuild
from ..backends.manifest import MANIFEST, Manifest
from ..backends.schema import FORMAT_VERSION
from ..errors import IndexerError
from ..papers.chunking import CHUNKER_VERSION
from ..papers.metadata import load_sidecar, sidecar_fingerprint
from ..readers import find_files, ocr, office
from ..readers.pages import file_hash
from .embedding import DEFAULT_MODEL

# What becomes of one file.
UNREADABLE = "unreadable"              # its bytes cannot be read
KNOWN_UNREADABLE = "known unreadable"  # skipped last time, unchanged: skipped again with the same reason
REUSE = "reuse"                        # indexed last time, unchanged: carried over with its vectors
PARSE = "parse"                        # new or changed: parsed and embedded
SAME_FILE = "same file"                # the same bytes as an earlier file of this build
KNOWN_COPY = "known copy"              # a copy last time, unchanged: a copy again if its original is indexed


@dataclass(frozen=True)
class Settings:
    """What a build must share with the previous index for that index's parts to be reused."""
    model: str
    corpus_root: Path
    include_exempt: bool = False
    chunker_version: str = CHUNKER_VERSION
    format_version: int = FORMAT_VERSION


def why_rebuild(manifest: Manifest, settings: Settings) -> str | None:
    """Why nothing of the index behind manifest can be reused with these settings; None when it can."""
    if manifest.format_version != settings.format_version:
        return f"the index format changed (version {manifest.format_version} -> {settings.format_version})"
    if manifest.model != settings.model:
        return f"the embedding model changed ({manifest.model} -> {settings.model})"
    if manifest.chunker_version != settings.chunker_version:
        return f"the chunker changed (version {manifest.chunker_version} -> {settings.chunker_version})"
    if Path(manifest.corpus_root) != settings.corpus_root:
        return f"the corpus folder changed ({manifest.corpus_root} -> {settings.corpus_root})"
    if manifest.include_exempt != settings.include_exempt:
        return "exempt material is now " + ("included" if settings.include_exempt else "withheld")
    return None


def previous_build(index_dir: Path, settings: Settings) -> tuple[LocalBuild | None, str | None]:
    """The existing index, if it can be reused; otherwise why everything is rebuilt."""
    if not (index_dir / MANIFEST).is_file():
        return None, None
    try:
        manifest = Manifest.read(index_dir)
    except IndexerError as exc:
        return None, f"the existing index could not be read ({exc})"
    reason = why_rebuild(manifest, settings)
    if reason:
        return None, reason
    try:
        return LocalBuild(index_dir), None
    except IndexerError as exc:
        return None, f"the existing index could not be read ({exc})"


def index_status(corpus_dir: Path | str, index_dir: Path | str, model: str = DEFAULT_MODEL,
                 include_exempt: bool = False) -> str:
    """'missing', 'current', 'stale', or 'other-corpus' (an index built from another folder)."""
    corpus_dir, index_dir = Path(corpus_dir).resolve(), Path(index_dir)
    if not (index_dir / MANIFEST).is_file():
        return "missing"
    try:
        manifest = Manifest.read(index_dir)
    except IndexerError:
        return "stale"
    if Path(manifest.corpus_root) != corpus_dir:
        return "other-corpus"
    if why_rebuild(manifest, Settings(model, corpus_dir, include_exempt)):
        return "stale"
    if manifest.ocr_engine != ocr.engine() and manifest.counts.get("scanned_pages", 1):
        return "stale"  # scanned pages may now be read
    if manifest.converter != office.program() and any(_is_office(rel) for rel in manifest.skipped):
        return "stale"  # office files skipped for want of LibreOffice may now be converted
    known = {**manifest.files, **manifest.skipped, **manifest.copies}
    files = {p.relative_to(corpus_dir).as_posix(): p for p in find_files(corpus_dir)}
    if set(files) != set(known) or any(file_hash(path) != known[rel] for rel, path in files.items()):
        return "stale"
    if sidecar_fingerprint(load_sidecar(corpus_dir)) != manifest.sidecar_sha:
        return "stale"  # a metadata.csv anywhere in the corpus was added, edited or removed
    return "current"


_META = ("body", "meeting_date", "doc_type", "title", "source_url")


@dataclass
class Step:
    """What to do with one file."""
    path: Path
    rel: str
    action: str
    sha: str | None = None
    reason: str | None = None                # UNREADABLE, KNOWN_UNREADABLE: why
    overrides: dict[str, str] | None = None  # its metadata.csv row
    copy_of: str | None = None               # SAME_FILE: the earlier file with these bytes
    text_sha: str | None = None              # KNOWN_COPY: the text it had last time


def plan(files: list[Path], corpus_dir: Path, previous: LocalBuild | None, sidecar: dict[str, dict[str, str]],
         ocr_engine: str | None, converter: str | None = None) -> list[Step]:
    """converter: what converts office files now; when it is not what the previous build had, the
    office files it skipped are tried again."""
    steps, first_with = [], {}
    catalog = previous.catalog if previous else None
    manifest = previous.manifest if previous else None
    retry_office = bool(manifest) and manifest.converter != converter
    rescan = catalog.paths_with_unread_scans() if previous and manifest.ocr_engine != ocr_engine else set()
    for path in files:
        rel = path.relative_to(corpus_dir).as_posix()
        overrides = sidecar.get(rel)
        try:
            sha = file_hash(path)
        except OSError as exc:
            steps.append(Step(path, rel, UNREADABLE, reason=f"cannot be read ({exc.strerror or exc})"))
            continue
        if sha in first_with:
            steps.append(Step(path, rel, SAME_FILE, sha, copy_of=first_with[sha]))
            continue
        first_with[sha] = rel
        if (manifest and manifest.skipped.get(rel) == sha and not (retry_office and _is_office(rel))
                and (reason := catalog.skipped_reason(rel))):
            steps.append(Step(path, rel, KNOWN_UNREADABLE, sha, reason))
            continue
        action, text_sha = PARSE, None
        if manifest and manifest.files.get(rel) == sha and not _overrides_changed(catalog.document(rel), overrides):
            action = PARSE if rel in rescan else REUSE
        if manifest and manifest.copies.get(rel) == sha:
            action, text_sha = KNOWN_COPY, catalog.copy_text_sha(rel)
        steps.append(Step(path, rel, action, sha, overrides=overrides, text_sha=text_sha))
    return steps


def _is_office(rel: str) -> bool:
    return Path(rel).suffix.lower() in office.OFFICE


def _overrides_changed(document, overrides: dict[str, str] | None) -> bool:
    """A sidecar edit changes a document's metadata without changing its bytes."""
    if not overrides:
        return False
    if document is None:
        return True
    own = {key: document[key] for key in _META}
    if document["body_from"] == "series":
        own["body"] = None   # the body its series gave it (papers/series.py) is not the paper's own
    return any(own[key] != overrides[key] for key in _META if key in overrides)
