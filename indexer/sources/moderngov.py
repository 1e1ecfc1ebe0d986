"""A modern.gov site: its committees, their meetings in a date range, and each meeting's documents.

Read through the site's web service (`mgWebService.asmx`: GetCommittees, GetMeetings, GetMeeting) where the
council has it switched on, else through its public pages (`mgListCommittees.aspx`,
`ieListMeetings.aspx?CommitteeId=`, `ieListDocuments.aspx?CId=&MId=`). The web service lists each agenda item's
documents; the meeting-level packs (agenda frontsheet, reports pack, printed minutes, printed decisions, linked
as `documents/g<n>/...`) appear only on the meeting's page, so that page is read either way.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from urllib.parse import quote, urlsplit

from ..errors import FetchFailed, SiteUnreachable
from .http import Fetcher, check_url
from .listing import Committee, Document, Meeting, Papers, doc_type_for, file_name_for, item_label
from .moderngov_pages import (
    absolute,
    meeting_page,
    parse_committee_list,
    parse_meeting_list,
    parse_meeting_page,
    year_pages,
)

SERVICE, PAGES = "web service", "public pages"


def site_base(site_url: str) -> str:
    """The folder the site's pages live in, ending in '/' (https://x.gov.uk/ for its mgListCommittees.aspx)."""
    parts = urlsplit(check_url(site_url.strip()))
    path = parts.path
    if re.search(r"\.(?:aspx|asmx|html?)$", path, re.I):
        path = path.rsplit("/", 1)[0]
    return f"{parts.scheme.lower()}://{parts.netloc}{path.rstrip('/')}/"


class ModernGovSite:
    """`via` says which way the site is being read, once `committees()` has tried the web service."""

    def __init__(self, site_url: str, fetcher: Fetcher):
        self.base, self.fetcher = site_base(site_url), fetcher
        self.via: str | None = None

    def committees(self) -> list[Committee]:
        service = self.base + "mgWebService.asmx/GetCommittees?lDummy=0"
        try:  # one try only: a site with the service off answers 404 or 500 every time
            found = parse_committees_xml(self.fetcher.get(service, retries=0).body, service)
            self.via = SERVICE
            return found
        except FetchFailed as off:
            pages = self.base + "mgListCommittees.aspx"
            try:
                found = parse_committee_list(self.fetcher.get(pages).body, pages)
            except FetchFailed as exc:
                raise SiteUnreachable(self.base, f"web service: {off.reason}; committee list: {exc.reason}") from exc
            if not found:
                raise SiteUnreachable(self.base, f"web service: {off.reason}; {pages} links to no committee")
            self.via = PAGES
            return found

    def meetings(self, committee: Committee, first: date, last: date) -> list[Meeting]:
        if self.via == SERVICE:
            url = (f"{self.base}mgWebService.asmx/GetMeetings?lCommitteeId={quote(committee.id)}"
                   f"&sFromDate={first:%d/%m/%Y}&sToDate={last:%d/%m/%Y}")
            found = parse_meetings_xml(self.fetcher.get(url).body, url, committee, self.base)
        else:
            url = f"{self.base}ieListMeetings.aspx?CommitteeId={quote(committee.id)}"
            page = self.fetcher.get(url).body
            found = parse_meeting_list(page, url, committee, self.base)
            for year_url in year_pages(page, url, committee, first, last):
                found += parse_meeting_list(self.fetcher.get(year_url).body, year_url, committee, self.base)
        unique = {m.id: m for m in found if first.isoformat() <= m.date <= last.isoformat()}
        return sorted(unique.values(), key=lambda m: (m.date, m.id))

    def documents(self, meeting: Meeting) -> Papers:
        """FetchFailed when nothing about the meeting could be read."""
        papers = Papers()
        if self.via == SERVICE:
            url = f"{self.base}mgWebService.asmx/GetMeeting?lMeetingId={quote(meeting.id)}"
            papers.documents += parse_meeting_xml(self.fetcher.get(url).body, url, meeting)
        try:
            on_page = parse_meeting_page(self.fetcher.get(meeting.page_url).body, meeting)
        except FetchFailed as exc:
            if self.via != SERVICE:
                raise
            papers.failures.append(exc)
            on_page = []
        listed = {d.url for d in papers.documents}
        papers.documents += [d for d in on_page if d.url not in listed and (self.via != SERVICE or not d.item)]
        return papers


# The web service's answers (shapes as in DemocracyClub/LGSF lgsf/minutes/tests/fixtures/*.xml).

def parse_committees_xml(body: bytes, url: str) -> list[Committee]:
    found = []
    for node in _xml(body, url).iter("committee"):
        cid, title = _text(node, "committeeid"), _text(node, "committeetitle")
        if cid and title and _text(node, "committeedeleted").lower() != "true":
            found.append(Committee(cid, title))
    return found


def parse_meetings_xml(body: bytes, url: str, committee: Committee, base: str) -> list[Meeting]:
    found = []
    for node in _xml(body, url).iter("meeting"):
        mid, day = _text(node, "meetingid"), _service_date(_text(node, "meetingdate"))
        if mid and day and _text(node, "meetingstatus").lower() != "cancelled":
            found.append(Meeting(mid, committee, day, meeting_page(base, committee.id, mid)))
    return found


def parse_meeting_xml(body: bytes, url: str, meeting: Meeting) -> list[Document]:
    found = []
    for item in _xml(body, url).iter("agendaitem"):
        label = item_label(_text(item, "fulldisplaynumberformat") or _text(item, "agendaitemnumber"),
                           _text(item, "agendaitemtitle"))
        for doc in item.iter("linkeddoc"):
            link, title = _text(doc, "url"), _text(doc, "title")
            if not link or _text(doc, "isurl").lower() == "true" or _text(doc, "isrestricted").lower() == "true":
                continue  # a link to a web page, or a paper not open to the public
            link = absolute(meeting.page_url, link)
            decision = _text(doc, "isdecisionattachment").lower() == "true"
            name = file_name_for(link, title)
            found.append(Document(link, title or name, meeting, name, label,
                                  "decision record" if decision else doc_type_for(title, name)))
    return found


def _xml(body: bytes, url: str) -> ET.Element:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FetchFailed(url, f"the answer is not XML ({exc})") from exc
    for node in root.iter():
        node.tag = node.tag.rsplit("}", 1)[-1].lower()
    if root.tag == "string" and (root.text or "").lstrip().startswith("<"):
        return _xml(root.text.encode("utf-8"), url)  # the answer wrapped as a string of XML
    return root


def _text(node: ET.Element, name: str) -> str:
    found = node.find(name)
    # modern.gov escapes entities once more inside its XML text ('&amp;#39;')
    return html.unescape(found.text or "").strip() if found is not None else ""


def _service_date(text: str) -> str | None:
    try:
        return datetime.strptime(text.strip()[:10], "%d/%m/%Y").date().isoformat()
    except ValueError:
        return None


