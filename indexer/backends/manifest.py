"""manifest.json: how a published index was built, and the files it was built from."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import IndexCorrupt, IndexNotFound
from .schema import FORMAT_VERSION
from .vectors import EXACT

MANIFEST = "manifest.json"


@dataclass
class Manifest:
    model: str
    dimension: int
    chunker_version: str
    corpus_root: str
    files: dict[str, str] = field(default_factory=dict)    # relative path -> sha256, indexed files
    skipped: dict[str, str] = field(default_factory=dict)  # relative path -> sha256, unreadable files
    copies: dict[str, str] = field(default_factory=dict)   # relative path -> sha256, copies of indexed files
    sidecar_sha: str | None = None           # what the metadata.csv files said (metadata.sidecar_fingerprint)
    ocr_engine: str | None = None            # what read scanned pages ("tesseract 5.3.0"), None when absent
    converter: str | None = None             # what converted office files to PDF (LibreOffice's path), or None
    faiss_index: str = EXACT                 # or "IVF<lists>,SQ8" above the approximate threshold
    nprobe: int | None = None                # groups an approximate index reads per query
    include_exempt: bool = False             # pages marked exempt were indexed (an internal deployment)
    backend: str | None = None               # where dense and keyword search run: milvus://HOST:PORT/COLLECTION
    collection: str | None = None            # the Milvus collection holding the passages
    built_at: str = ""
    format_version: int = FORMAT_VERSION
    counts: dict[str, int] = field(default_factory=dict)

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        path = Path(folder) / MANIFEST
        if not path.is_file():
            raise IndexNotFound(folder)
        try:
            data = json.loads(path.read_text())
            return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
        except (ValueError, TypeError) as exc:
            raise IndexCorrupt(path, f"not a valid manifest: {exc}") from exc
