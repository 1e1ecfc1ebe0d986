"""Generate the demo board-papers PDF used by Board Papers Search.

Builds the 72-page "public reports pack" of Health and Wellbeing Together
(City of Wolverhampton), 21 October 2020, from the plain-text seed of that pack,
laid out as the council publishes it: front sheet (pages 1-2), minutes of
8 July 2020 (3-10), forward plan (11-16), homeless services presentation, one
slide a page (17-24) and the community safety strategy with its cover report and
equality analysis (25-72).  The seed's wording is kept; converter artefacts
(markdown emphasis, HTML fragments, tab-separated rows, stray "Page N" stamps)
are cleaned.  Every page gets a centred "Page N" footer; short sections are
padded with "This page is intentionally left blank" pages, long ones are set in
a smaller font until they fit.  A pypdf self-check of the extracted text ends
the run.

Usage (from the repository root):

    .venv/bin/python tools/make_demo_pack.py [SEED_TXT] [OUT_PDF]
"""

import html
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SEED = REPO.parent / "shared/seed/wolverhampton-hwt-2020-10-21-agenda-pack.txt"
DEFAULT_OUT = REPO / "corpus/hwt-2020-10-21-public-reports-pack.pdf"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
TITLE = "Health and Wellbeing Together - 21 October 2020 - Public reports pack"
CREATED = datetime(2020, 10, 13, 9, 0, tzinfo=timezone.utc)  # fixed: reproducible bytes
BLANK = "This page is intentionally left blank"
TOTAL_PAGES = 72
COVER_ROW = "\t<h2>Health and Wellbeing Together</h2>"
SLIDE_TITLES = ("‘Everyone In’", "Case Studies from Redwings", "Learning from the Pandemic",
                "Partnership Working", "How can the City Inclusion Board support this work?",
                "wolverhampton.gov.uk")
PRESENTATION = "City of Wolverhampton Council – Homeless Services Provision"
STAMP = re.compile(r"(- )?Page \d+")
SEPARATOR = re.compile(r"[-|:\s]*-[-|:\s]*")

CHECK_PHRASES = (  # lower-cased, whitespace-collapsed text that search must find
    "that the health and wellbeing together forward plan 2020 – 2021 be noted",
    "john denley, director of public health delivered a presentation on the wolverhampton "
    "covid-19 outbreak control plan", "prevention first; early recognition and swift response",
    "60 people had been placed", "25% of the total cohort", "20.5%",
    "over one third of the residents accommodated at redwings were supported into treatment services",
    "children and young people's mental wellbeing and resilience", "review date: march 2021",
    "the following overarching priorities were agreed",
    "wolverhampton and walsall anti-slavery partnership",
    "too difficult to understand for those with low literacy levels",
)
PAGE_MARKERS = {3: "Minutes - 8 July 2020", 11: "Forward Plan",
                17: "Homeless Services Provision", 25: "Safer Wolverhampton"}


def drop_stamps(lines):
    """Remove the converter's printed page stamps and blank-page notices."""
    out, skip_next = [], False
    for i, line in enumerate(lines):
        text = line.strip()
        if skip_next:
            skip_next = False
        elif text == "Page" and i + 1 < len(lines) and lines[i + 1].strip().isdigit():
            skip_next = True
        elif not (STAMP.fullmatch(text) or text == BLANK):
            out.append(re.sub(r"^Page \d+\t", "\t", line))
    return out


def find(lines, test, start=0):
    return next(i for i in range(start, len(lines)) if test(lines[i]))


def split_slides(lines):
    cuts = [0] + [i for i, line in enumerate(lines) if line in SLIDE_TITLES and i > 0]
    return [lines[a:b] for a, b in zip(cuts, cuts[1:] + [len(lines)])]


def split_sections(lines):
    """Return (name, first page, last page, parts); each part starts a page."""
    minutes = find(lines, lambda l: l == "Minutes - 8 July 2020")
    minutes = max(i for i in range(minutes) if lines[i] == "Health and Wellbeing Together")
    plan = find(lines, lambda l: l.startswith(COVER_ROW), minutes)
    homeless = find(lines, lambda l: l == PRESENTATION, plan)
    item11 = find(lines, lambda l: l.startswith(COVER_ROW), homeless)
    strategy = find(lines, lambda l: l.startswith("The background image shows"), item11)
    equality = find(lines, lambda l: l == "Equality Analysis Template.", strategy)
    return [
        ("front sheet", 1, 2, [lines[:minutes]]),
        ("minutes", 3, 10, [lines[minutes:plan]]),
        ("forward plan", 11, 16, [["Agenda Item No. 6", ""] + lines[plan:homeless]]),
        ("homeless services", 17, 24, split_slides(lines[homeless:item11])),
        ("community safety", 25, TOTAL_PAGES,
         [["Agenda Item No. 11", ""] + lines[item11:strategy], lines[strategy:equality],
          lines[equality:]]),
    ]


def plain(text):
    """Markdown autolinks/emphasis and HTML fragments -> list of plain paragraphs."""
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text).replace("**", "")
    text = re.sub(r"\*([^*]+)\*", r"\1", text)
    text = re.sub(r"<input[^>]*checked[^>]*>", "[x]", text)
    text = re.sub(r"<input[^>]*>", "[ ]", text)
    text = re.sub(r"<li\b[^>]*>", "\n• ", text)
    text = re.sub(r"</?(p|h\d|ul|ol|li|br)\b[^>]*>", "\n", text)
    text = re.sub(r"\s+• ", "\n• ", html.unescape(re.sub(r"<[^>]+>", "", text)))
    return [" ".join(p.split()) for p in text.split("\n") if p.strip()]


def merge_row(row, continuation):
    """Append a table row continued after a page break to the row it continues."""
    for i, paras in enumerate(continuation):
        if i >= len(row):
            row.append([])
        if paras and row[i] and not paras[0].startswith("•"):
            row[i][-1] += " " + paras.pop(0)
        row[i].extend(paras)


def is_blank(lines, i):
    return not 0 <= i < len(lines) or not lines[i].strip()


def is_heading(text):
    return (len(text) <= 70 and text[0].isalnum() and text[0] == text[0].upper()
            and text[-1] not in ".,;:)]" and any(c.isalpha() for c in text))


def parse(lines):
    """Turn seed lines into blocks: ("gap",), ("row", cells) or (style, text)."""
    blocks, gap_since_row = [], False
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if not line.strip():
            blocks.append(("gap",))
            gap_since_row = True
        elif SEPARATOR.fullmatch(line):
            continue
        elif "\t" in line:
            cells = [plain(cell) for cell in line.split("\t")]
            content = [b for b in blocks if b[0] != "gap"]
            if not cells[0] and gap_since_row and content and content[-1][0] == "row":
                merge_row(content[-1][1], cells)
            else:
                blocks.append(("row", cells))
            gap_since_row = False
        elif re.match(r"\s*- ", line):
            blocks += [("bullet", "• " + p) for p in plain(line.lstrip()[2:])]
        else:
            alone = is_blank(lines, i - 1) and is_blank(lines, i + 1)
            paras = plain(line)
            blocks += [("heading" if alone and len(paras) == 1 and is_heading(p) else "body", p)
                       for p in paras]
    return blocks


class Pack(FPDF):
    def footer(self):
        self.set_y(-15)
        self.set_font("DejaVu", size=9)
        self.cell(0, 10, f"Page {self.page_no()}", align="C")


def new_pdf():
    pdf = Pack(format="A4")
    pdf.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_title(TITLE)
    pdf.set_creation_date(CREATED)
    return pdf


def write(pdf, text, size, bold=False, indent=0.0):
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.epw - indent, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")


def render_block(pdf, block, size):
    kind, content = block[0], block[-1]
    if kind == "gap":
        if pdf.y > pdf.t_margin + 0.1:  # no gap at the top of a page
            pdf.ln(size * 0.3)
        return
    if kind == "row":
        content = " | ".join("\n".join(paras) for paras in content if paras)
    if kind == "heading" and pdf.will_page_break(size * 2):  # keep headings off page bottoms
        pdf.add_page()
    write(pdf, content, size + (kind == "heading"), bold=kind == "heading",
          indent=4 if kind == "bullet" else 0)


def render_parts(pdf, parts, size):
    for part in parts:
        pdf.add_page()
        for block in parse(part):
            render_block(pdf, block, size)


def fit_size(parts, pages, size=11.0):
    """Largest font size (0.5pt steps down from 11pt) that fits the page range."""
    while size > 6:
        trial = new_pdf()
        render_parts(trial, parts, size)
        if trial.page <= pages:
            return size
        size -= 0.5
    raise SystemExit(f"section does not fit in {pages} pages")


def blank_page(pdf):
    pdf.add_page()
    pdf.set_y(pdf.h / 2 - 10)
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 10, BLANK, align="C")


def build(seed):
    pdf, sizes = new_pdf(), []
    lines = drop_stamps(seed.read_text(encoding="utf-8").splitlines())
    for name, first, last, parts in split_sections(lines):
        size = fit_size(parts, last - first + 1)
        render_parts(pdf, parts, size)
        while pdf.page < last:
            blank_page(pdf)
        sizes.append(f"{name} {size:g}pt")
    return pdf, sizes


def self_check(path):
    """Return a list of problems found in the text pypdf extracts."""
    from pypdf import PdfReader

    texts = [page.extract_text() for page in PdfReader(path).pages]
    problems = [] if len(texts) == TOTAL_PAGES else [f"{len(texts)} pages"]
    for n, text in enumerate(texts, 1):
        if not re.search(rf"(^|\s)Page {n}\s*$", text):
            problems.append(f"page {n}: no footer")
    for n, marker in PAGE_MARKERS.items():
        if n > len(texts) or marker not in texts[n - 1]:
            problems.append(f"page {n}: no {marker!r}")
    whole = " ".join(" ".join(texts).lower().split())
    return problems + [f"missing {p!r}" for p in CHECK_PHRASES if p not in whole]


def main(argv):
    seed = Path(argv[1]) if len(argv) > 1 else DEFAULT_SEED
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    pdf, sizes = build(seed)
    pdf.output(str(out))
    problems = self_check(out)
    if problems:
        raise SystemExit(f"self-check failed: {'; '.join(problems)}")
    print(f"wrote {out} ({pdf.pages_count} pages; {', '.join(sizes)}; self-check passed)")


if __name__ == "__main__":
    main(sys.argv)
