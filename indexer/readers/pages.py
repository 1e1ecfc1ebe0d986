"""The record every reader makes: a file -> its pages of raw text, whatever the format.

Pages are numbered from 1. A PDF's pages are its PDF pages; a text file's are the pages its
markers say (form feeds, "<!-- Page 3 -->"), or one page when it marks none.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

# A page with fewer visible characters than this has no usable text layer.
MIN_PAGE_CHARS = 20

_CHAR_FIXES = {
    "\u00ad": "",  # soft hyphen
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ",
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\u2022": "•", "\u25cf": "•", "\u25aa": "•", "\u2023": "•", "\u25e6": "•",
    "\u2010": "-", "\u2011": "-", "\u2212": "-", "\r": " ", "\t": " ",
}
_CONTROL_HYPHEN = re.compile("(?<=[A-Za-z])\x02(?=[A-Za-z])")  # some exporters write '-' as \x02
_BROKEN_TI = re.compile(r"(?<=[a-z])\[(?=[a-z])")  # a lost 'ti' ligature: 'Regula[ons'

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # Symbol-font bullets and the like
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class RawPage:
    number: int               # 1-based PDF page number
    text: str                 # extracted text, characters cleaned, lines kept
    pdf_label: str | None     # the PDF's own /PageLabels entry, when it defines one
    has_images: bool
    error: str | None = None  # why the text could not be extracted, if it could not
    ocr: bool = False         # the text was read from the page's picture (ocr.py)
    note: str | None = None   # why a scanned page's picture was not read


@dataclass
class RawDocument:
    path: Path                   # the file as it lies in the corpus
    sha256: str                  # of that file's bytes
    pages: list[RawPage]
    title: str | None = None     # the title the file itself declares (PDF metadata, <title>, front matter)
    date: str | None = None      # the date the file itself declares (front matter), as written
    unit: str = "pdf"            # what its page numbers count (citation.UNITS)
    pdf_path: Path | None = None  # the PDF its pages are from (the file, or its conversion); None for text
    convert_seconds: float = 0.0  # turning an office file into that PDF (0 when the cache had it)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def clean_chars(text: str) -> str:
    """Make extracted text readable: ligatures, odd spaces, symbol-font bullets."""
    for bad, good in _CHAR_FIXES.items():
        if bad in text:
            text = text.replace(bad, good)
    text = _PRIVATE_USE.sub("•", text)
    text = _CONTROL_HYPHEN.sub("-", text)
    text = _CONTROL.sub(" ", text)
    text = _BROKEN_TI.sub("ti", text)
    return text


def visible_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())
