"""One page of an indexed paper, for a person to check a citation: its image, text and labels.

A PDF's page is shown as an image of the page, and so is an office file's (from the PDF it
was converted to); a text file's page is shown as its text, with the passage marked. Only
files inside the corpus folder the index was built from can be opened.
"""

from __future__ import annotations

import io
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import IndexerError
from ..readers import READERS
from .index import Index

EXCERPT_CHARS = 2500   # of a long page's text, shown either side of the passage


@dataclass
class PageView:
    doc_path: str
    pdf_page: int
    page_count: int
    page_label: str | None
    text: str
    file: Path                # the paper as published, offered for download
    title: str = ""
    image_pdf: Path | None = None   # the PDF whose page is shown as an image: the file, or its conversion
    unit: str = "pdf"               # what pdf_page counts (citation.UNITS)

    @property
    def mime(self) -> str:
        return mimetypes.guess_type(self.file.name)[0] or "application/octet-stream"

    def marked(self, passage: str | None, around: int = EXCERPT_CHARS) -> tuple[str, str, str, bool]:
        """(text before the passage, the passage as the page writes it, text after, whether it was cut).

        A long page (a file without page breaks is one page) is cut to `around` characters
        either side of the passage. Without the passage found, all of the page is "before"."""
        span = _find(self.text, passage) if passage else None
        if span is None:
            cut = len(self.text) > 2 * around
            return (self.text[:2 * around] if cut else self.text), "", "", cut
        start, end = span
        first, last = max(0, start - around), min(len(self.text), end + around)
        if first > 0:  # from the start of a line, to the end of one
            first = self.text.find("\n", first) + 1 or first
            first = min(first, start)
        if last < len(self.text):
            last = max(self.text.rfind("\n", 0, last), end)
        return self.text[first:start], self.text[start:end], self.text[end:last], first > 0 or last < len(self.text)

    def paragraphs(self) -> list[str]:
        """The page text with its printed line breaks joined back into paragraphs."""
        return paragraphs(self.text)


def paragraphs(text: str) -> list[str]:
    """Text with its printed line breaks joined back into paragraphs."""
    found, current = [], []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            found.append(" ".join(current))
            current = []
            continue
        if current and _STARTS_ITEM.match(line):
            found.append(" ".join(current))
            current = []
        current.append(line)
        if len(line) < _SHORT_LINE or line.endswith((".", ":", ";")):
            found.append(" ".join(current))
            current = []
    found.append(" ".join(current))
    return [p for p in found if p]


def _find(text: str, passage: str) -> tuple[int, int] | None:
    """Where the passage lies in the page text, spacing and line breaks aside: from its first words
    to its last. A passage over two pages is marked on each: from the top of the page it goes on to,
    and to the end of the page it starts on."""
    words = re.findall(r"\S+", passage)
    if len(words) < 3:
        return None
    pattern = lambda part: r"\s+".join(re.escape(w) for w in part)  # noqa: E731
    start = re.search(pattern(words[:6]), text)
    if start is None:
        end = re.search(pattern(words[-6:]), text)
        return (len(text) - len(text.lstrip()), end.end()) if end else None
    end = re.search(pattern(words[-6:]), text[start.start():])
    stop = start.start() + end.end() if end else len(text.rstrip())
    return start.start(), stop


_SHORT_LINE = 45   # a line this short ends its paragraph (a heading, "Resolved:", a last line)
_STARTS_ITEM = re.compile(r"^(?:[•▪●◦·\-–]\s|\(?[a-z0-9]{1,3}[.)]\s)")


def page_view(index: Index, doc_path: str, pdf_page: int) -> PageView:
    with index.pinned():
        page = index.page(doc_path, pdf_page)
        file = corpus_file(index, doc_path)
        image = file if page.unit == "pdf" and file.suffix.lower() == ".pdf" else None
        if page.unit == "pdf" and image is None:
            image = index.build.converted_pdf(page.sha256)
        return PageView(doc_path, pdf_page, page.page_count, page.page_label, page.text, file, page.title,
                        image, page.unit)


def corpus_file(index: Index, doc_path: str) -> Path:
    """The file behind doc_path; never a file outside the corpus folder, nor one no reader reads."""
    root = index.corpus_root.resolve()
    path = (root / doc_path).resolve()
    if not path.is_relative_to(root) or path.suffix.lower() not in READERS:
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
