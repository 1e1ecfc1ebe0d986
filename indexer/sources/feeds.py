"""An Atom feed (RFC 4287) per saved search: its alerts, newest build first, for any feed reader.

The file is rewritten whole after each build that brings something new, keeping the entries of earlier
builds (up to KEEP) so a reader that looks once a week misses nothing.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlencode

from .watch import SavedSearch, write_whole

ATOM = "http://www.w3.org/2005/Atom"
KEEP = 100
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")   # characters XML 1.0 cannot hold
ET.register_namespace("", ATOM)


def write_feed(path: Path, search: SavedSearch, found, run, app_url: str) -> None:
    """Add this build's alerts (found: alerts.SearchAlerts) to the saved search's feed."""
    entries = [_entry(alert, search, run.built_at) for alert in [*found.decisions, *found.passages]]
    old = _old_entries(path)
    ids = {entry.findtext(f"{{{ATOM}}}id") for entry in entries}
    entries += [entry for entry in old if entry.findtext(f"{{{ATOM}}}id") not in ids]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", f"Board Papers Search: {search.name}")
    _text(feed, "subtitle", f"New papers matching {search.describe()}")
    _text(feed, "id", f"tag:board-papers-search,2026:feed/{quote(search.slug)}")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate",
                  href=f"{app_url.rstrip('/')}/?{urlencode({'q': search.query, 'mode': search.mode})}")
    _text(feed, "updated", run.built_at)
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", "Board Papers Search")
    feed.extend(entries[:KEEP])
    ET.indent(feed)
    write_whole(path, ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n")


def _entry(alert, search: SavedSearch, built_at: str) -> ET.Element:
    entry = ET.Element(f"{{{ATOM}}}entry")
    kind = "Decision" if alert.kind == "decision" else "Passage"
    where = ", ".join(x for x in (alert.body, alert.meeting_date) if x)
    _text(entry, "title", f"{kind}: {alert.doc_title}" + (f" ({where})" if where else "")
          + (f", item {alert.item}" if alert.item else ""))
    mark = f"/decision/{hashlib.sha1(alert.text.encode()).hexdigest()[:12]}" if alert.kind == "decision" else ""
    _text(entry, "id", f"tag:board-papers-search,2026:{quote(search.slug)}/{quote(alert.passage_id)}{mark}")
    ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=alert.link)
    _text(entry, "updated", built_at)
    _text(entry, "summary", f"{alert.citation}\n\n{' '.join(alert.text.split())}")
    return entry


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = _NOT_XML.sub(" ", text)
    return element


def _old_entries(path: Path) -> list[ET.Element]:
    try:
        root = ET.parse(path).getroot()
    except (FileNotFoundError, ET.ParseError):
        return []
    return root.findall(f"{{{ATOM}}}entry")
