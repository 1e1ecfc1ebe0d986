"""One page of an indexed paper, for a person to check a citation: its image, text and labels.

Only files inside the corpus folder the index was built from can be opened.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import IndexerError
from .index import Index


@dataclass
class PageView:
    doc_path: str
    pdf_page: int
    page_count: int
    page_label: str | None
    text: str
    file: Path
    title: str = ""

    def paragraphs(self) -> list[str]:
        """The page text with its printed line breaks joined back into paragraphs."""
        paragraphs, current = [], []
        for line in self.text.splitlines():
            line = line.strip()
            if not line:
                paragraphs.append(" ".join(current))
                current = []
                continue
            if current and _STARTS_ITEM.match(line):
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
            if len(line) < _SHORT_LINE or line.endswith((".", ":", ";")):
                paragraphs.append(" ".join(current))
                current = []
        paragraphs.append(" ".join(current))
        return [p for p in paragraphs if p]


_SHORT_LINE = 45   # a line this short ends its paragraph (a heading, "Resolved:", a last line)
_STARTS_ITEM = re.compile(r"^(?:[•▪●◦·\-–]\s|\(?[a-z0-9]{1,3}[.)]\s)")


def page_view(index: Index, doc_path: str, pdf_page: int) -> PageView:
    with index.pinned():
        page = index.page(doc_path, pdf_page)
        return PageView(doc_path, pdf_page, page.page_count, page.page_label, page.text,
                        corpus_file(index, doc_path), page.title)


def corpus_file(index: Index, doc_path: str) -> Path:
    """The PDF behind doc_path; never a file outside the corpus folder."""
    root = index.corpus_root.resolve()
    path = (root / doc_path).resolve()
    if not path.is_relative_to(root) or path.suffix.lower() != ".pdf":
        raise IndexerError(f"{doc_path} is not a paper in the corpus {root}")
    if not path.is_file():
        raise IndexerError(f"{path} is no longer there; rebuild the index to catch up with the corpus")
    return path


def render_png(file: Path, pdf_page: int, scale: float = 1.5) -> bytes:
    """The page as a PNG image (PDFium)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(file))
    try:
        image = document[pdf_page - 1].render(scale=scale).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
