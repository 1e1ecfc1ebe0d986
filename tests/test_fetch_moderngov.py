"""python -m indexer fetch moderngov, against a real HTTP server on 127.0.0.1 playing a modern.gov site.

The server answers the web service (mgWebService.asmx) and the public pages in the shapes real sites give (the
source of each shape is noted where it is written) and serves real Kent County Council papers from
../shared/realdata (two 2025 meetings, eight PDFs of 68-167 KB).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from conftest import KENT, REALDATA, REPO

from indexer.errors import UnknownCommittee, UnsupportedURL
from indexer.sources import fetch_moderngov, safe_name
from indexer.sources.folder import STATE
from indexer.sources.http import USER_AGENT

CABINET = KENT / "cabinet" / "2025-01-30" / "originals"
COUNCIL = KENT / "full_council" / "2025-02-13" / "originals"
FROM, TO = "2025-01-01", "2025-03-31"
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO)}


@dataclass
class Paper:
    number: str               # the site's document folder: g<meeting> for a pack, s<attachment> for an item's paper
    name: str                 # its file name on the site
    source: Path              # the real PDF served
    item: tuple[str, str] | None = None   # (number, title) of its agenda item; None for a meeting's own pack
    decision: bool = False    # a decision notice attached to the item

    @property
    def title(self) -> str:
        return self.name.rsplit(".", 1)[0]


@dataclass
class MeetingFixture:
    cid: str
    committee: str
    mid: str
    day: str          # YYYY-MM-DD
    heading: str      # as the meeting page writes the date
    papers: list[Paper]


MEETINGS = [
    MeetingFixture("115", "Cabinet", "9795", "2025-01-30", "Thursday, 30th January, 2025 10.00 am", [
        Paper("s126001", "24-00108 - Revenue and Capital Budget Monitoring Report November 2024-25.pdf",
              CABINET / "24-00108 - Revenue and Capital Budget Monitoring Report November 2024-25.pdf",
              ("5.", "Revenue and Capital Budget Monitoring Report - November 2024-25")),
        Paper("s126002", "24-00108 - PROD.pdf", CABINET / "24-00108 - PROD.pdf",
              ("5.", "Revenue and Capital Budget Monitoring Report - November 2024-25"), decision=True),
        Paper("s126010", "Appendix O - MRP.pdf", CABINET / "Appendix O - MRP.pdf",
              ("6.", "Draft Revenue Budget 2025-26 and 2025-28 MTFP")),
        Paper("s126020", "24-00096 - EQIA.pdf", CABINET / "24-00096 - EQIA.pdf",
              ("7.", "Commissioning Plan for Education Provision in Kent 2025-29")),
        Paper("g9795", "Agenda frontsheet 30th-Jan-2025 10.00 Cabinet.pdf",
              CABINET / "Agenda frontsheet 30th-Jan-2025 10.00 Cabinet.pdf"),
        Paper("g9795", "Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf",
              CABINET / "Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf"),
    ]),
    MeetingFixture("113", "County Council", "9800", "2025-02-13", "Thursday, 13th February, 2025 9.30 am", [
        Paper("s126100", "1 - Amendment - Labour Groups Alternative Budget - 2025.pdf",
              COUNCIL / "1 - Amendment - Labour Groups Alternative Budget - 2025.pdf",
              ("8.", "Revenue Budget 2025-26 and Medium Term Financial Plan 2025-28")),
        Paper("g9800", "Printed minutes 13th-Feb-2025 09.30 County Council.pdf",
              COUNCIL / "Printed minutes 13th-Feb-2025 09.30 County Council.pdf"),
    ]),
]
PAPERS = [p for m in MEETINGS for p in m.papers]
EXPECTED = {f"{m.committee}/{m.day}/{p.name}": p for m in MEETINGS for p in m.papers}
MRP, PROD = "Appendix O - MRP.pdf", "24-00108 - PROD.pdf"
FRONTSHEET = "Agenda frontsheet 30th-Jan-2025 10.00 Cabinet.pdf"
MINUTES = "Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf"


class Council:
    """What the fake site serves, and the switches a test turns: the web service off (404 or 500), a paper that
    fails first, answers slowly, is cut short, changes, or stops half-way until released."""

    def __init__(self, base: str):
        self.base = base
        self.service_status: int | None = None
        self.etags = True
        self.hostile = False
        self.fail_first: dict[str, list[int]] = {}
        self.slow: dict[str, float] = {}
        self.truncate: set[str] = set()
        self.replace: dict[str, bytes] = {}
        self.hold: dict[str, threading.Event] = {}
        self.half_sent = threading.Event()
        self.log: list[tuple[str, int]] = []        # (path and query as requested, status answered)
        self.user_agents: set[str] = set()
        self.extra: dict[str, bytes] = {}            # more papers by number, for the hostile page

    # The web service. Shapes: DemocracyClub/LGSF lgsf/minutes/tests/fixtures/committees.xml, meetings.xml and
    # meeting_with_minutes.xml (GetCommittees, GetMeetings, GetMeeting answers as modern.gov sends them).
    def committees_xml(self) -> bytes:
        rows = "".join(f"""
  <committee>
    <committeeid>{cid}</committeeid>
    <committeetitle>{title}</committeetitle>
    <committeedeleted>False</committeedeleted>
    <committeeexpired>False</committeeexpired>
    <committeecategory>Governance and Decision Making Committees</committeecategory>
  </committee>""" for cid, title in _committees())
        return f"""<?xml version="1.0" encoding="utf-8"?>
<committees>
  <committeescount> {len(_committees())}</committeescount>{rows}
</committees>""".encode()

    def meetings_xml(self, cid: str) -> bytes:
        title = dict(_committees())[cid]
        meetings = [(m.mid, m.day, "Confirmed") for m in MEETINGS if m.cid == cid]
        if cid == "115":
            meetings.append(("9796", "2025-02-20", "Cancelled"))   # never asked for
        rows = "".join(f"""
      <meeting>
        <meetingid>{mid}</meetingid>
        <meetingdate>{day[8:10]}/{day[5:7]}/{day[:4]}</meetingdate>
        <meetingstatus>{status}</meetingstatus>
        <meetingtime>10.00 am</meetingtime>
        <iswebcast>False</iswebcast>
      </meeting>""" for mid, day, status in meetings)
        return f"""<?xml version="1.0" encoding="utf-8"?>
<getmeetings>
  <meetingscount> {len(meetings)}</meetingscount>
  <committeescount> 1</committeescount>
  <committee>
    <committeeid>{cid}</committeeid>
    <committeetitle>{title}</committeetitle>
    <committeemeetingcount> {len(meetings)}</committeemeetingcount>
    <committeemeetings>{rows}
    </committeemeetings>
  </committee>
</getmeetings>""".encode()

    def meeting_xml(self, mid: str) -> bytes | None:
        meeting = next((m for m in MEETINGS if m.mid == mid), None)
        if meeting is None:
            return None
        items: dict[tuple[str, str], list[Paper]] = {}
        for paper in meeting.papers:
            if paper.item:
                items.setdefault(paper.item, []).append(paper)
        day = f"{meeting.day[8:10]}/{meeting.day[5:7]}/{meeting.day[:4]}"
        body = ""
        for n, ((number, title), papers) in enumerate(items.items(), start=1):
            docs = "".join(f"""
        <linkeddoc>
          <attachmentid>{p.number[1:]}</attachmentid>
          <title>{p.title}</title>
          <isurl>False</isurl>
          <url>{self.base}mgConvert2PDF.aspx?ID={p.number[1:]}</url>
          <isrestricted>False</isrestricted>
          <publicationdate>{day}</publicationdate>
          <committeetitle>{meeting.committee}</committeetitle>
          <isdecisionattachment>{p.decision}</isdecisionattachment>
          <ownertitle>{title}</ownertitle>
        </linkeddoc>""" for p in papers)
            if n == 1:  # neither is a public paper: a link to a web page, and an exempt report
                docs += f"""
        <linkeddoc><attachmentid>1</attachmentid><title>Council website</title><isurl>True</isurl>
          <url>https://www.kent.gov.uk/budget</url><isrestricted>False</isrestricted></linkeddoc>
        <linkeddoc><attachmentid>2</attachmentid><title>Exempt appendix</title><isurl>False</isurl>
          <url>{self.base}mgConvert2PDF.aspx?ID=2</url><isrestricted>True</isrestricted></linkeddoc>"""
            body += f"""
    <agendaitem>
      <agendaitemid>{18830 + n}</agendaitemid>
      <agendaitemtitle>{title.replace("&", "&amp;")}</agendaitemtitle>
      <agendatext>&lt;p&gt;The report is attached.&lt;/p&gt;</agendatext>
      <agendaitemnumber>{n + 3}</agendaitemnumber>
      <fulldisplaynumberformat>{number}</fulldisplaynumberformat>
      <isrestricted>False</isrestricted>
      <linkeddocuments>{docs}
      </linkeddocuments>
    </agendaitem>"""
        return f"""<?xml version="1.0" encoding="utf-8"?>
<meeting>
  <meetingid>{mid}</meetingid>
  <meetingdate>{day}</meetingdate>
  <meetingstatus>Confirmed</meetingstatus>
  <agendapublished>True</agendapublished>
  <agendaitems>{body}
  </agendaitems>
</meeting>""".encode()

    # The public pages. The committee index links mgCommitteeDetails.aspx?ID=; a committee's listing links each
    # meeting's ieListDocuments.aspx?CId=&MId= and its earlier municipal years as ieListMeetings.aspx?CId=&Year=
    # (lusavkaedu/council-assistant scripts/1_scraping_council_docs_DRAFT.py reads Kent's
    # ieListMeetings.aspx?CId=113&Year=0). A meeting's page: packs linked as documents/g<n>/... above a
    # table.mgItemTable whose rows hold td.mgItemNumberCell, p.mgAiTitleTxt and the item's documents/s<n>/...
    # links (lusavkaedu/council-assistant council_scraper/utils/scraping_utils.py; hrefs with raw spaces).
    def committee_list(self) -> bytes:
        links = "\n".join(f'<li><a href="mgCommitteeDetails.aspx?ID={cid}">{title}</a></li>'
                          for cid, title in _committees())
        return f"""<html><head><title>Committee structure</title></head><body><div class="mgContent">
<ul class="mgBulletList">{links}</ul>
<p><a href="mgMemberIndex.aspx?bcr=1">Councillors</a> <a href="mgCalendarMonthView.aspx?GL=1">Calendar</a></p>
</div></body></html>""".encode()

    def meeting_list(self, cid: str, year: str | None) -> bytes:
        rows = []
        for m in MEETINGS:
            if m.cid == cid and (year == "2024" if cid == "113" else year is None):
                rows.append(f'<li><a href="ieListDocuments.aspx?CId={cid}&amp;MId={m.mid}&amp;Ver=4">'
                            f'{int(m.day[8:])} {_month(m.day)} {m.day[:4]} 10.00 am</a></li>')
        if cid == "115" and year is None:
            rows.append(f'<li><a href="ieListDocuments.aspx?CId={cid}&amp;MId=9796&amp;Ver=4">'
                        "20 Feb 2025 10.00 am CANCELLED</a></li>")
            rows.append(f'<li><a href="ieListDocuments.aspx?CId={cid}&amp;MId=9001&amp;Ver=4">'
                        "1 Jun 2023 2.00 pm</a></li>")
        years = "".join(f'<li><a href="ieListMeetings.aspx?CId={cid}&amp;Year={y}">{y}/{y + 1 - 2000}</a></li>'
                        for y in (2022, 2023, 2024))
        return f"""<html><body><div class="mgContent"><h1>{dict(_committees())[cid]}</h1>
<ul class="mgBulletList">{"".join(rows)}</ul><h2>Earlier meetings</h2><ul>{years}</ul>
<a href="mgCommitteeDetails.aspx?ID={cid}">Committee details</a></div></body></html>""".encode()

    def meeting_page(self, mid: str) -> bytes | None:
        meeting = next((m for m in MEETINGS if m.mid == mid), None)
        if meeting is None:
            return None
        packs = "".join(f'<li><a href="documents/{p.number}/{p.name}?T={n}" class="mgPdfLink">'
                        f'{" ".join(p.title.split(" ")[:2])} PDF {p.source.stat().st_size // 1024} KB</a></li>'
                        for n, p in enumerate(meeting.papers) if not p.item)
        rows, items = "", {}
        for paper in meeting.papers:
            if paper.item:
                items.setdefault(paper.item, []).append(paper)
        for (number, title), papers in items.items():
            links = "".join(f'<li><a href="documents/{p.number}/{p.name.replace(" - ", chr(13) + chr(10) + " - ", 1)}"'
                            f' title="Link to document \'{p.title}\' ">{p.title} PDF '
                            f"{p.source.stat().st_size // 1024} KB</a></li>" for p in papers)
            rows += f"""<tr><td class="mgItemNumberCell">{number}</td><td>
<p class="mgAiTitleTxt">{title.replace("&", "&amp;")}</p><ul class="mgBulletList">{links}</ul>
<p><a href="mgIssueHistoryHome.aspx?IId={50000 + len(rows)}">View the background to item {number}</a>
<a href="ieDecisionDetails.aspx?AIId={60000 + len(rows)}">View the decision for item {number}</a></p></td></tr>"""
        if self.hostile and mid == "9795":
            rows += f"""<tr><td class="mgItemNumberCell">9.</td><td><p class="mgAiTitleTxt">Odd links</p><ul>
<li><a href="documents/s999/..%2F..%2F..%2F..%2Foutside.pdf">Escape PDF 1 KB</a></li>
<li><a href="documents/s700/Report.pdf">Report PDF 1 KB</a></li>
<li><a href="documents/s701/Report.pdf">Report PDF 1 KB</a></li>
<li><a href="http://elsewhere.invalid/documents/s5/x.pdf">Elsewhere PDF 1 KB</a></li>
<li><a href="ftp://{urlsplit(self.base).netloc}/documents/s6/y.pdf">By FTP PDF 1 KB</a></li>
<li><a href="file:///etc/documents/s7/passwd.pdf">Local PDF 1 KB</a></li>
<li><a href="javascript:alert(1)">Script</a> <a href="mailto:democratic.services@kent.gov.uk">Mail</a></li>
</ul></td></tr>"""
        return f"""<html><head><title>Agenda for {meeting.committee} on {meeting.heading}</title></head><body>
<div class="mgContent"><h1>{meeting.committee} - {meeting.heading}</h1>
<h2 class="mgSubTitleTxt">Agenda and minutes</h2><ul class="mgActionList">{packs}</ul>
<table class="mgItemTable" summary="Agenda items">{rows}</table></div></body></html>""".encode()

    def paper(self, number: str, name: str | None) -> Paper | None:
        return next((p for p in PAPERS if p.number == number and (name is None or p.name == name)), None)


def _committees() -> list[tuple[str, str]]:
    return [("115", "Cabinet"), ("113", "County Council"), ("144", "Governance and Audit Committee")]


def _month(day: str) -> str:
    return ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][int(day[5:7]) - 1]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        council: Council = self.server.council
        council.user_agents.add(self.headers.get("User-Agent", ""))
        parts = urlsplit(self.path)
        query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
        page = parts.path.rsplit("/", 1)[-1].lower()
        try:
            if parts.path.startswith("/mgWebService.asmx/"):
                if council.service_status:
                    return self._send(council.service_status, b"<html><body>Web service disabled</body></html>",
                                      "text/html")
                body = {"getcommittees": lambda: council.committees_xml(),
                        "getmeetings": lambda: council.meetings_xml(query["lcommitteeid"]),
                        "getmeeting": lambda: council.meeting_xml(query["lmeetingid"])}.get(page, lambda: None)()
                return self._send(200 if body else 404, body or b"not found", "text/xml; charset=utf-8")
            if page == "mglistcommittees.aspx":
                return self._send(200, council.committee_list(), "text/html")
            if page == "ielistmeetings.aspx":
                return self._send(200, council.meeting_list(query.get("committeeid") or query["cid"],
                                                            query.get("year")), "text/html")
            if page == "ielistdocuments.aspx":
                body = council.meeting_page(query["mid"])
                return self._send(200 if body else 404, body or b"no such meeting", "text/html")
            found = re.match(r"^/documents/([a-z]\d+)/(.+)$", parts.path)
            if found or page == "mgconvert2pdf.aspx":
                number, name = (found.group(1), unquote(found.group(2))) if found else ("s" + query["id"], None)
                return self._paper(council, number, name)
            self._send(404, b"not found", "text/html")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _paper(self, council: Council, number: str, name: str | None) -> None:
        paper = council.paper(number, name)
        if paper is None and number in council.extra:
            return self._send(200, council.extra[number], "application/pdf")
        if paper is None:
            return self._send(404, b"no such document", "text/html")
        failures = council.fail_first.get(paper.name)
        if failures:
            status = failures.pop(0)
            return self._send(status, b"busy", "text/html", {"Retry-After": "0"} if status == 429 else {})
        if paper.name in council.slow:
            time.sleep(council.slow[paper.name])
        body = council.replace.get(paper.name) or paper.source.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": "Tue, 28 Jan 2025 09:00:00 GMT"} if council.etags else {}
        if council.etags and self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", "application/pdf", headers)
        if paper.name in council.truncate:
            return self._send(200, body[: len(body) // 2], "application/pdf", headers, length=len(body))
        if paper.name in council.hold:
            self._send(200, body[: len(body) // 2], "application/pdf", headers, length=len(body), close=False)
            council.half_sent.set()
            council.hold[paper.name].wait(30)
            self.close_connection = True
            return
        self._send(200, body, "application/pdf", headers)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None,
              length: int | None = None, close: bool = True) -> None:
        self.server.council.log.append((self.path, status))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if length is not None and close:
            self.close_connection = True   # the body is cut short: hang up as a dropped connection does


@pytest.fixture
def council():
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not present")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site = server.council = Council(f"http://127.0.0.1:{server.server_address[1]}/")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield site
    for event in site.hold.values():
        event.set()
    server.shutdown()
    server.server_close()


def fetch(council: Council, folder: Path, **options):
    settings = {"date_from": FROM, "date_to": TO, "rate": 0, "timeout": 5, "retries": 1, "backoff": 0.01, **options}
    return fetch_moderngov(council.base, folder, **settings)


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", *args], cwd=REPO, env=ENV, capture_output=True,
                          text=True, timeout=timeout)


def sidecar(folder: Path) -> dict[str, dict[str, str]]:
    with open(folder / "metadata.csv", newline="", encoding="utf-8") as handle:
        return {row["path"]: row for row in csv.DictReader(handle)}


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def assert_all_fetched(folder: Path) -> None:
    assert files(folder) == set(EXPECTED) | {"metadata.csv", STATE}
    for rel, paper in EXPECTED.items():
        assert (folder / rel).read_bytes() == paper.source.read_bytes(), rel


# Names made safe.

def test_safe_name_keeps_a_document_in_its_folder():
    assert safe_name("../../x.pdf") == "x.pdf"
    assert safe_name("/etc/passwd") == "passwd"
    assert safe_name("..\\..\\Windows\\evil.docx") == "evil.docx"
    assert safe_name("a\x00b\x07c.pdf") == "a b c.pdf"
    assert safe_name('what?<>:"|*.pdf') == "what_______.pdf"
    assert safe_name("\u202eevil\u200b.pdf") == "evil.pdf"          # no bidi or invisible characters
    assert safe_name(".hidden.pdf") == "hidden.pdf"                   # the indexer skips hidden files
    assert safe_name("..") == safe_name("") == safe_name(" . ") == "document"
    assert safe_name("CON.pdf") == "_CON.pdf" and safe_name("nul") == "_nul"
    assert safe_name("metadata.csv") != "metadata.csv"                # never the sidecar itself
    assert not safe_name("draft.pdf.part").endswith(".part")          # never taken for a half download
    assert safe_name("Appendix A . ") == "Appendix A"
    long = safe_name("Ä" * 300 + ".pdf")
    assert long.endswith(".pdf") and len(long.encode()) <= 150 and long.startswith("Ä")


def test_non_http_addresses_are_refused(tmp_path):
    for url in ("file:///etc", "ftp://democracy.kent.gov.uk", "javascript:alert(1)", "democracy.kent.gov.uk"):
        with pytest.raises(UnsupportedURL, match="only http:// and https://"):
            fetch_moderngov(url, tmp_path / "papers")
    assert not (tmp_path / "papers").exists()
    done = cli("fetch", "moderngov", "file:///etc/passwd", "--into", str(tmp_path / "papers"))
    assert done.returncode == 1 and "error:" in done.stderr and "only http:// and https://" in done.stderr


# The two ways into a site.

def test_web_service(council, tmp_path):
    folder = tmp_path / "papers"
    (folder / "Cabinet" / "2025-01-30").mkdir(parents=True)
    (folder / "Cabinet" / "2025-01-30" / "old.pdf.part").write_bytes(b"%PDF-1.4 half")   # a killed run's
    (folder / "metadata.csv").write_text("path,body,ward\nnotes/visit.pdf,Planning,Ward 3\n", encoding="utf-8")
    report = fetch(council, folder)
    assert report.via == "web service" and report.exit_code == 0
    assert sorted(report.added) == sorted(EXPECTED) and not (report.changed or report.skipped or report.failed)
    assert report.summary().startswith("8 added, 0 changed, 0 skipped, 0 failed")
    assert_all_fetched(folder)
    rows = sidecar(folder)
    assert rows["notes/visit.pdf"]["ward"] == "Ward 3"                # rows of earlier runs are kept
    mrp = rows[f"Cabinet/2025-01-30/{MRP}"]
    assert (mrp["body"], mrp["meeting_date"], mrp["doc_type"]) == ("Cabinet", "2025-01-30", "appendix")
    assert mrp["item"] == "6. Draft Revenue Budget 2025-26 and 2025-28 MTFP"
    assert mrp["source_url"] == council.base + "mgConvert2PDF.aspx?ID=126010"
    assert rows[f"Cabinet/2025-01-30/{PROD}"]["doc_type"] == "decision record"   # isdecisionattachment
    assert rows["Cabinet/2025-01-30/24-00096 - EQIA.pdf"]["doc_type"] == "equality assessment"
    frontsheet = rows[f"Cabinet/2025-01-30/{FRONTSHEET}"]
    assert (frontsheet["doc_type"], frontsheet["item"]) == ("agenda", "")
    assert frontsheet["source_url"].startswith(council.base + "documents/g9795/Agenda%20frontsheet")
    assert rows[f"Cabinet/2025-01-30/{MINUTES}"]["doc_type"] == "minutes"
    assert rows["County Council/2025-02-13/Printed minutes 13th-Feb-2025 09.30 County Council.pdf"]["body"] == \
        "County Council"
    asked = [unquote(path) for path, _ in council.log]
    assert any("GetMeetings?lCommitteeId=115&sFromDate=01/01/2025&sToDate=31/03/2025" in a for a in asked)
    assert not any("9796" in a for a in asked)                       # the cancelled meeting
    assert not any("ID=1" == a[-4:] or "ID=2" == a[-4:] for a in asked)   # a web link, an exempt paper
    assert council.user_agents == {USER_AGENT} and USER_AGENT.startswith("BoardPapersSearch/")


@pytest.mark.parametrize("status", [404, 500])
def test_public_pages_when_the_service_is_off(council, tmp_path, status):
    council.service_status = status
    report = fetch(council, tmp_path)
    assert report.via == "public pages" and not report.failed
    assert sorted(report.added) == sorted(EXPECTED)
    assert_all_fetched(tmp_path)
    rows = sidecar(tmp_path)
    report_row = rows["Cabinet/2025-01-30/24-00108 - Revenue and Capital Budget Monitoring Report November 2024-25.pdf"]
    assert report_row["item"] == "5. Revenue and Capital Budget Monitoring Report - November 2024-25"
    assert report_row["doc_type"] == "report"
    assert rows[f"Cabinet/2025-01-30/{PROD}"]["doc_type"] == "decision record"
    assert rows[f"Cabinet/2025-01-30/{MINUTES}"]["item"] == ""
    asked = [unquote(path) for path, _ in council.log]
    assert sum("GetCommittees" in a for a in asked) == 1               # asked once, not retried
    assert any("CId=113&Year=2024" in a for a in asked) and not any("Year=2022" in a for a in asked)
    assert not any("MId=9796" in a or "MId=9001" in a for a in asked)   # cancelled; out of the range


# Incremental runs.

def test_second_run_asks_with_validators_and_downloads_nothing(council, tmp_path):
    fetch(council, tmp_path)
    mtimes = {rel: (tmp_path / rel).stat().st_mtime_ns for rel in EXPECTED}
    council.log.clear()
    again = fetch(council, tmp_path)
    assert (len(again.added), len(again.changed), len(again.skipped), len(again.failed)) == (0, 0, 8, 0)
    assert again.summary().startswith("0 added, 0 changed, 8 skipped, 0 failed")
    documents = [status for path, status in council.log if "/documents/" in path or "mgConvert2PDF" in path]
    assert documents == [304] * 8
    assert {rel: (tmp_path / rel).stat().st_mtime_ns for rel in EXPECTED} == mtimes
    assert len(sidecar(tmp_path)) == 8


def test_second_run_without_validators_compares_the_bytes(council, tmp_path):
    council.etags = False
    fetch(council, tmp_path)
    mtimes = {rel: (tmp_path / rel).stat().st_mtime_ns for rel in EXPECTED}
    again = fetch(council, tmp_path)
    assert (len(again.added), len(again.changed), len(again.skipped)) == (0, 0, 8)
    assert {rel: (tmp_path / rel).stat().st_mtime_ns for rel in EXPECTED} == mtimes   # same bytes: left alone


def test_a_changed_document_is_replaced(council, tmp_path):
    fetch(council, tmp_path)
    new = (CABINET / "24-00115 - EqIA.pdf").read_bytes()
    council.replace[MRP] = new
    again = fetch(council, tmp_path)
    assert again.changed == [f"Cabinet/2025-01-30/{MRP}"] and len(again.skipped) == 7
    assert (tmp_path / "Cabinet" / "2025-01-30" / MRP).read_bytes() == new
    assert list(sidecar(tmp_path)).count(f"Cabinet/2025-01-30/{MRP}") == 1


def test_a_paper_published_again_takes_its_place(council, tmp_path):
    fetch(council, tmp_path)
    prod = next(p for p in PAPERS if p.name == PROD)
    new = (CABINET / "24-00115 - PROD.pdf").read_bytes()
    prod.number, council.replace[PROD] = "s126003", new       # a revised notice: a new attachment, the same name
    try:
        again = fetch(council, tmp_path)
    finally:
        prod.number = "s126002"
    assert again.changed == [f"Cabinet/2025-01-30/{PROD}"] and not again.added
    assert (tmp_path / "Cabinet" / "2025-01-30" / PROD).read_bytes() == new
    assert not list((tmp_path / "Cabinet" / "2025-01-30").glob("24-00108 - PROD (*"))
    row = sidecar(tmp_path)[f"Cabinet/2025-01-30/{PROD}"]
    assert row["source_url"].endswith("ID=126003")
    assert "ID=126002" not in (tmp_path / STATE).read_text()          # the old address's record is gone


# Faults.

def test_busy_answers_are_retried(council, tmp_path):
    council.fail_first = {PROD: [500], MRP: [429]}   # the 429 says Retry-After: 0
    report = fetch(council, tmp_path)
    assert not report.failed and len(report.added) == 8
    assert [status for path, status in council.log if path.endswith("ID=126002")] == [500, 200]
    assert [status for path, status in council.log if path.endswith("ID=126010")] == [429, 200]
    assert_all_fetched(tmp_path)


def test_a_time_out_fails_that_document_only(council, tmp_path):
    council.slow[FRONTSHEET] = 2.0
    report = fetch(council, tmp_path, timeout=0.5)
    assert [f.title for f in report.failed] == ["Agenda frontsheet"]
    assert "no answer within 0.5 s, after 2 tries" in report.failed[0].reason
    assert len(report.added) == 7 and report.exit_code == 0
    assert report.failed[0].url in report.summary()
    assert not (tmp_path / "Cabinet" / "2025-01-30" / FRONTSHEET).exists()
    assert not list(tmp_path.rglob("*.part"))


def test_a_cut_off_download_leaves_nothing_and_comes_next_time(council, tmp_path):
    council.truncate.add(MINUTES)
    report = fetch(council, tmp_path)
    assert len(report.failed) == 1 and "cut off after" in report.failed[0].reason
    assert report.failed[0].url.startswith(council.base + "documents/g9795/Printed%20minutes")
    assert not (tmp_path / "Cabinet" / "2025-01-30" / MINUTES).exists()
    assert not list(tmp_path.rglob("*.part"))
    council.truncate.clear()
    again = fetch(council, tmp_path)
    assert again.added == [f"Cabinet/2025-01-30/{MINUTES}"] and len(again.skipped) == 7
    assert_all_fetched(tmp_path)


def test_killed_mid_fetch_the_next_run_goes_on(council, tmp_path):
    folder = tmp_path / "papers"
    council.hold[PROD] = threading.Event()           # the second document stops half-way
    first = folder / "Cabinet" / "2025-01-30" / EXPECTED_FIRST
    run = subprocess.Popen([sys.executable, "-m", "indexer", "fetch", "moderngov", council.base, "--into",
                            str(folder), "--from", FROM, "--to", TO, "--rate", "0"], cwd=REPO, env=ENV,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert council.half_sent.wait(30)
        assert first.is_file()
        deadline = time.monotonic() + 10
        while not list(folder.rglob("*.part")) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [p.name for p in folder.rglob("*.part")] == [PROD + ".part"]   # half a file, not under its name
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait(10)
    assert not (folder / "Cabinet" / "2025-01-30" / PROD).exists()
    council.hold.pop(PROD).set()
    done = cli("fetch", "moderngov", council.base, "--into", str(folder), "--from", FROM, "--to", TO, "--rate", "0")
    assert done.returncode == 0, done.stderr
    assert "7 added, 0 changed, 1 skipped, 0 failed" in done.stdout
    assert f"skipped Cabinet/2025-01-30/{EXPECTED_FIRST}" in done.stderr
    assert_all_fetched(folder)
    assert sorted(sidecar(folder)) == sorted(EXPECTED)


EXPECTED_FIRST = "24-00108 - Revenue and Capital Budget Monitoring Report November 2024-25.pdf"


def test_hostile_links_stay_inside_the_folder(council, tmp_path):
    council.service_status = 404
    council.hostile = True
    council.extra = {n: (CABINET / MRP).read_bytes() for n in ("s999", "s700", "s701", "s6", "s7")}
    folder = tmp_path / "papers"
    report = fetch(council, folder)
    meeting = "Cabinet/2025-01-30"
    assert {f"{meeting}/outside.pdf", f"{meeting}/Report.pdf", f"{meeting}/Report (701).pdf"} <= files(folder)
    assert files(tmp_path) == {f"papers/{rel}" for rel in files(folder)}   # nothing written beside the folder
    refused = {f.url.split(":")[0]: f.reason for f in report.not_fetched}
    assert refused == {"http": "on another host than " + urlsplit(council.base).netloc,
                       "ftp": "not an http(s) address", "file": "not an http(s) address"}
    assert not report.failed and len(report.added) == 11
    assert "3 links not fetched" in report.summary()


def test_committee_choice(council, tmp_path):
    report = fetch(council, tmp_path, committees=["cabinet"])
    assert sorted(report.added) == sorted(r for r in EXPECTED if r.startswith("Cabinet/"))
    with pytest.raises(UnknownCommittee, match="Cabnet.*Cabinet, County Council"):
        fetch(council, tmp_path, committees=["Cabnet"])


# The command and its exit codes.

def test_cli_exit_codes(council, tmp_path):
    base = ["fetch", "moderngov", council.base, "--from", FROM, "--to", TO, "--rate", "0"]
    done = cli(*base, "--into", str(tmp_path / "a"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("8 added, 0 changed, 0 skipped, 0 failed")
    assert "[8/8] added" in done.stderr and "Cabinet 2025-01-30: 6 documents" in done.stderr

    council.replace = {}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    done = cli("fetch", "moderngov", f"http://127.0.0.1:{closed}/", "--into", str(tmp_path / "b"), "--rate", "0")
    assert done.returncode == 1 and "could not be read as a modern.gov site" in done.stderr
    assert "connection refused" in done.stderr

    original = list(PAPERS)
    try:
        PAPERS.clear()                                  # every document now answers 404
        done = cli(*base, "--into", str(tmp_path / "c"))
    finally:
        PAPERS.extend(original)
    assert done.returncode == 1
    assert done.stdout.startswith("0 added, 0 changed, 0 skipped, 8 failed: ") and "(HTTP 404)" in done.stdout

    assert cli(*base[:3], "--into", str(tmp_path / "d"), "--from", "2025-13-01").returncode == 1
    unknown = cli(*base, "--into", str(tmp_path / "e"), "--committee", "Planning")
    assert unknown.returncode == 1 and "No committee on the site matches 'Planning'" in unknown.stderr
    assert cli("fetch", "moderngov", council.base).returncode == 2   # --into is required


# What the indexer makes of the folder.

def test_an_index_of_the_fetched_folder_carries_committee_and_date(council, tmp_path):
    folder, index = tmp_path / "papers", tmp_path / "index"
    fetch(council, folder)
    built = cli("build", str(folder), "--index", str(index), "--quiet", timeout=600)
    assert built.returncode == 0, built.stderr
    info = cli("info", str(index))
    assert info.returncode == 0 and "Meeting dates: 2025-01-30 to 2025-02-13" in info.stdout
    bodies = info.stdout.split("Bodies:")[1].split("Document types:")[0]
    assert re.findall(r"^  (.+): (\d+)$", bodies, re.M) == [("Cabinet", "6"), ("County Council", "2")]
    from indexer import open_index

    hits = open_index(index).search("Minimum Revenue Provision", k=3, mode="keyword", rerank=False)
    assert hits and hits[0].doc_path.endswith(MRP)
    assert (hits[0].body, hits[0].meeting_date, hits[0].doc_type) == ("Cabinet", "2025-01-30", "appendix")
    assert hits[0].item == "6. Draft Revenue Budget 2025-26 and 2025-28 MTFP", "the agenda item it was filed under"
    # the citation says where the council published it, in the library, search --json and the CLI
    assert hits[0].source_url.startswith(council.base)
    found = cli("search", str(index), "Minimum Revenue Provision", "-k", "1", "--mode", "keyword", "--no-rerank", "--json")
    assert json.loads(found.stdout.splitlines()[0])["source_url"] == hits[0].source_url
    shown = cli("search", str(index), "Minimum Revenue Provision", "-k", "1", "--mode", "keyword", "--no-rerank")
    assert f"On the council's site: {hits[0].source_url}" in shown.stdout
