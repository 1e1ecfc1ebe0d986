"""HTML and Markdown -> plain text lines, with a real parser (Beautiful Soup, markdown-it).

Block elements (headings, paragraphs, list items, table rows, <br>) become lines of their
own, so the later stages see headings and numbered items as the council wrote them: an
ordered list keeps its numbers ("3. Apologies"), a table row reads "cell | cell".
Entities are decoded (&pound; -> £). Scripts, styles and site navigation are dropped.
In Markdown, an image described in a few words is a heading or a box of text that the paper's
conversion from PDF drew as a picture ("LOS RIOS COMMUNITY COLLEGE DISTRICT Board Meeting Minutes
Wednesday, August 12, 2020"): its description is read as a line of the text, unless it says the
picture is a logo.
Pandoc's own Markdown (what it writes from a web page) wraps blocks in fenced divs (":::: {style=...}")
and gives spans and headings attributes ("[GUIDELINES]{style=...}", "{#a. style=...}"): these are
layout, not text, and are dropped before the Markdown is read; a span keeps its words.
An image's data carried in its address ("data:image/png;base64,...") is dropped, and emphasis marks
the Markdown could not pair ("**Risk 7: **") are taken out of the text.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, NavigableString, Tag
from markdown_it import MarkdownIt

_DROPPED = {"script", "style", "noscript", "template", "nav", "form", "button", "svg", "head"}
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody",
    "tfoot", "caption", "figure", "figcaption", "address", "hr", "details", "summary", "fieldset",
}
_CELLS = {"td", "th"}
_DESCRIBED_IMAGE_WORDS = 3   # words of a Markdown image's description from which it is read as text
_LOGO = re.compile(r"\blogo\b", re.I)

# Text that is really HTML: a tag people type in posts (<br />, <p>, </div>) or an entity (&pound;).
_LOOKS_LIKE_HTML = re.compile(r"<(?:br|p|div|span|strong|em|b|i|u|ul|ol|li|table|tr|td|h[1-6]|a)\b[^>]*>|</[a-z]+[1-6]?>"
                              r"|&(?:[a-z]{2,8}|#\d{2,5}|#x[0-9a-f]{2,4});", re.I)

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")

# Pandoc's Markdown extensions: a fenced div's fence line, an attribute set, a span, and a hard line break
# ("\\" at a line's end) where nothing follows it in its paragraph.
_DIV_FENCE = re.compile(r"^[ \t]{0,3}:{3,}[ \t]*(?:\{[^\n]*\}|[^\s{}:]+)?[ \t]*:*[ \t]*$", re.M)
_ATTRIBUTES = re.compile(r"\{(?:[#.][\w-]|[\w-]+=|=\w)[^{}]{0,600}\}")
_SPAN = re.compile(r"\[([^\[\]]*)\](?=\{(?:[#.][\w-]|[\w-]+=))")
_IMAGE_DATA = re.compile(r"(!\[[^\]\n]*\]\()data:[^\s)]*\)?")   # an image's bytes in its address, closed or cut off
_UNPAIRED_STRONG = re.compile(r"\*{2,}")
_LAST_BREAK = re.compile(r"\\[ \t]*(?=\n[ \t]*(?:\n|\Z)|\Z)")


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text))


def markdown_text(source: str) -> str:
    """Markdown (raw HTML inside it included) -> plain text lines."""
    source = _IMAGE_DATA.sub(r"\1)", _without_pandoc_markup(source))
    return _UNPAIRED_STRONG.sub("", html_text(_MARKDOWN.render(source), _DESCRIBED_IMAGE_WORDS))


def _without_pandoc_markup(source: str) -> str:
    """Markdown with Pandoc's fenced divs, attribute sets and spans' brackets taken out, their words kept."""
    text = _DIV_FENCE.sub("", source)
    while True:
        spanless = _SPAN.sub(r"\1", text)
        if spanless == text:
            break
        text = spanless
    text = _ATTRIBUTES.sub("", text)
    return _LAST_BREAK.sub("", text)


def html_text(source: str, image_words: int = 0) -> str:
    """HTML (a page or a fragment) -> plain text lines; an image described in image_words words or more
    (0: none) is read as its description."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(source, "html.parser")
    out: list[str] = []
    _walk(soup, out, image_words)
    lines = [" ".join(line.split()) for line in "".join(out).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_title(source: str) -> str | None:
    """The <title> of an HTML page, if it has one worth showing."""
    soup = BeautifulSoup(source, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    return title or None


def _walk(node: Tag, out: list[str], image_words: int = 0) -> None:
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            out.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in _DROPPED:
            continue
        if name == "br":
            out.append("\n")
        elif name == "img":
            described = " ".join(str(child.get("alt") or "").split())
            if image_words and len(described.split()) >= image_words and not _LOGO.search(described):
                out.append(f"\n{described}\n")
        elif name == "li":
            out.append("\n" + _bullet(child))
            _walk(child, out, image_words)
            out.append("\n")
        elif name == "tr":
            out.append("\n")
            cells = [c for c in child.find_all(_CELLS, recursive=False)]
            for n, cell in enumerate(cells):
                piece: list[str] = []
                _walk(cell, piece, image_words)
                out.append((" | " if n else "") + " ".join("".join(piece).split()))
            out.append("\n")
        elif name in _BLOCKS:
            out.append("\n\n" if name.startswith("h") or name == "p" else "\n")
            _walk(child, out, image_words)
            out.append("\n\n" if name.startswith("h") or name == "p" else "\n")
        else:
            _walk(child, out, image_words)


def _bullet(item: Tag) -> str:
    """'3. ' for the third item of an ordered list (from its start), '• ' for any other list."""
    parent = item.parent
    if parent is None or parent.name != "ol":
        return "• "
    try:
        start = int(parent.get("start", 1))
    except (TypeError, ValueError):
        start = 1
    position = sum(1 for sibling in item.find_previous_siblings("li"))
    return f"{start + position}. "
