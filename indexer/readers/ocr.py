"""Scanned pages -> text, read by Tesseract from a PDFium rendering.

A page needs OCR when layout.py finds it scanned: a picture and (almost) no
text once running headers and footers are set aside. Tesseract is a separate program (Debian: tesseract-ocr, tesseract-ocr-eng); without it
the pages stay unread, the build goes on, and the report lists them.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, replace
from functools import lru_cache

import pypdfium2 as pdfium

from .pages import MIN_PAGE_CHARS, RawDocument, clean_chars, visible_chars

TESSERACT = "tesseract"
LANGUAGE = "eng"
DPI = 300                 # Tesseract reads best at 300 dots per inch
PAGE_TIMEOUT = 120        # seconds for one page before it is given up as unread

NO_ENGINE = "scanned image, no text layer (Tesseract is not installed, so it was not read)"


@dataclass
class OcrResult:
    document: RawDocument
    pages_read: int = 0
    seconds: float = 0.0


def engine() -> str | None:
    """'tesseract 5.3.0' when Tesseract and its English data are installed, else None."""
    program = shutil.which(TESSERACT)
    return _engine(program) if program else None


@lru_cache(maxsize=4)
def _engine(program: str) -> str | None:
    try:
        version = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
        languages = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if LANGUAGE not in languages.stdout.split():
        return None
    first = (version.stdout or version.stderr).strip().splitlines()
    return first[0] if first else "tesseract"


def read_scanned_pages(raw: RawDocument, numbers: list[int]) -> OcrResult:
    """The document with the text of the scanned pages `numbers` (1-based) read by OCR (page.ocr set)."""
    wanted = [n for n, page in enumerate(raw.pages) if page.number in numbers]
    if not wanted or raw.pdf_path is None:  # only a PDF's pages have pictures to read
        return OcrResult(raw)
    if engine() is None:
        pages = list(raw.pages)
        for n in wanted:
            pages[n] = replace(pages[n], note=NO_ENGINE)
        return OcrResult(replace(raw, pages=pages))

    started = time.perf_counter()
    pages, read = list(raw.pages), 0
    try:
        pdf = pdfium.PdfDocument(raw.pdf_path, password="")
    except pdfium.PdfiumError as exc:
        for n in wanted:
            pages[n] = replace(pages[n], note=f"scanned image; it could not be rendered for OCR ({exc})")
        return OcrResult(replace(raw, pages=pages))
    with pdf:
        for n in wanted:
            text, problem = _read_page(pdf, raw.pages[n].number - 1)
            if problem:
                pages[n] = replace(pages[n], note=problem)
            else:
                pages[n] = replace(pages[n], text=text, ocr=True)
                read += 1
    return OcrResult(replace(raw, pages=pages), read, time.perf_counter() - started)


def _read_page(pdf: pdfium.PdfDocument, index: int) -> tuple[str, str | None]:
    """(text, None), or ("", why the page stays unread)."""
    try:
        image = pdf[index].render(scale=DPI / 72, grayscale=True).to_pil()
    except (pdfium.PdfiumError, ValueError) as exc:
        return "", f"scanned image; it could not be rendered for OCR ({exc})"
    picture = io.BytesIO()
    image.save(picture, format="PPM")
    try:
        done = subprocess.run(
            [TESSERACT, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(DPI)],
            input=picture.getvalue(), capture_output=True, timeout=PAGE_TIMEOUT,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # one core: the encoder has the other
        )
    except subprocess.TimeoutExpired:
        return "", f"scanned image; OCR gave up after {PAGE_TIMEOUT} s"
    except OSError as exc:
        return "", f"scanned image; Tesseract could not be run ({exc})"
    if done.returncode != 0:
        error = done.stderr.decode(errors="replace").strip().splitlines()
        return "", f"scanned image; Tesseract failed ({error[-1] if error else done.returncode})"
    text = clean_chars(done.stdout.decode(errors="replace"))
    if visible_chars(text) < MIN_PAGE_CHARS:
        return "", "scanned image; OCR found no text on it"
    return text, None
