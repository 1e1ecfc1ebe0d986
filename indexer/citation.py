"""How a place in a paper is cited: the one formatter every citation goes through.

A location is a range of units of the document with the printed label of its first one:
- "pdf": PDF pages (PDFs, and office files converted to PDF): "PDF p. 19 - printed Page 17";
- "page": pages of a text that marks its own page breaks: "p. 3";
- "section": a file that marks no pages (a web page, text without page breaks) is one page;
  a place in it is named by the heading of its section: 'section "Housing allocations"'.
The unit is a property of the document; everything else stores plain numbers (pdf_page,
pdf_page_end, page_label), whatever the unit.
"""

from __future__ import annotations

UNITS = ("pdf", "page", "section")


def cite_location(first: int, last: int, label: str | None, unit: str = "pdf") -> str:
    """'PDF p. 19 - printed Page 17', 'PDF pp. 3-4', 'p. 3', 'section "Housing"'."""
    one = first == last
    if unit == "section":
        return f'section "{_short(label)}"' if label else "text without pages"
    prefix = "PDF " if unit == "pdf" else ""
    where = f"{prefix}p. {first}" if one else f"{prefix}pp. {first}-{last}"
    if label and label != str(first):
        return f"{where} - printed Page {label}"
    return where


def _short(heading: str, limit: int = 80) -> str:
    heading = " ".join(heading.split())
    return heading if len(heading) <= limit else heading[:limit - 3].rstrip() + "..."


def cite(title: str, body: str | None, meeting_date: str | None, item: str | None, location: str) -> str:
    """Document, body, meeting date, agenda item and location, as one line."""
    parts = [title, body, meeting_date, f"item {item}" if item else None, None if repeats(item, location) else location]
    return ", ".join(part for part in parts if part)


def repeats(item: str | None, location: str) -> bool:
    """Whether the location is a text file's section that is the agenda item itself ('section "3741. Discuss
    Grants Policy"' under item 3741), which says nothing the item does not."""
    return bool(item) and location == f'section "{_short(item)}"'
