from __future__ import annotations

from conftest import REALDATA, needs_realdata

from indexer.papers.layout import TEXT, Page
from indexer.papers.metadata import apply_sidecar, find_date, infer_metadata, load_sidecar
from indexer.papers.parse import parse_file


def _page(text):
    return [Page(1, "1", text, TEXT)]


def test_kent_layout_from_folders_and_file_name():
    meta = infer_metadata(
        "kent_county_council/cabinet/2025-01-30/originals/Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf",
        _page("KENT COUNTY COUNCIL\nCABINET\nMINUTES of a meeting of the Cabinet held on Thursday, 30 January 2025."),
    )
    assert meta.body == "Kent County Council - Cabinet"
    assert meta.meeting_date == "2025-01-30"
    assert meta.doc_type == "minutes"


def test_file_name_date_beats_folder_date():
    meta = infer_metadata("kent_county_council/cabinet/2025-01-30/originals/Minutes of the meeting held on 9th January 2025.pdf",
                          _page("Minutes"))
    assert meta.meeting_date == "2025-01-09"


def test_document_types_from_names():
    cases = {
        "Public reports pack 13th-Mar-2025 15.00 Cabinet.pdf": "reports pack",
        "24-00115 - EqIA.pdf": "equality assessment",
        "24-00108 - PROD.pdf": "decision record",
        "Agenda frontsheet 30th-Jan-2025 10.00 Cabinet.pdf": "agenda",
        "Appendix L - Treasury Management Strategy 2025-26.pdf": "appendix",
        "suffolk-libraries-2020-strategy-our-vision-for-the-future.pdf": "strategy",
        "24-00109 - Transfer of the service - Report.pdf": "report",
        "TB(11)1.ii Action Log.doc": "action log",
        "Local Public Data Panel Actions Report 4 July 2012 Meeting.doc": "action log",
        "TB(13)2 Transparency Board paper on open standards.odt": "board paper",
        "Discussion paper - Data standards.doc": "board paper",
        "suffolk-libraries-annual-review-2014-15.pdf": "annual report",
        "Wye Valley budget 2023-24.txt": "budget",
        "Budget report.pdf": "report",
        "Minutes - Budget Meeting of Limerick City and County Council - 15th November 2018.md": "minutes",
    }
    for name, expected in cases.items():
        assert infer_metadata(name, _page("")).doc_type == expected, name


def test_body_and_date_from_the_first_page_when_the_path_says_nothing():
    meta = infer_metadata("20180108.pdf", _page("Wye Valley Community Council\nMinutes of the meeting held on 8th January 2018"))
    assert meta.body == "Wye Valley Community Council"
    assert meta.meeting_date == "2018-01-08"


def test_a_title_taken_from_a_long_first_line_ends_on_a_whole_word():
    line = ("All meetings will be accessible to handicapped individuals in compliance with Executive Order #5 "
            "(1979) as well as the Americans with Disabilities Act")
    title = infer_metadata("x1.pdf", _page(line)).title
    assert len(title) <= 121 and title.endswith("as well as the…") and line.startswith(title[:-1])
    assert infer_metadata("x1.pdf", _page("Minutes of the Parish Council")).title == "Minutes of the Parish Council"


def test_the_meetings_particulars_are_no_title():
    attendance = "Present: Cllrs Evans, Shewell, Ashman\nApologies: Cllr Snell\n3540. Minutes of the meeting of 26th June were approved"
    meta = infer_metadata("council__papers/minutes/20230731.txt", _page(attendance))
    assert meta.title == "Minutes, 31 July 2023"   # neither the attendance nor the first item
    venue = "Venue: Room 215, 70 Whitehall, London\nAttendees: the chair and members\n1. Welcome"
    assert infer_metadata("archive__files/files/20150114 ODUG Minutes.odt", _page(venue)).title == "20150114 ODUG Minutes"


def test_a_paper_opening_on_its_numbered_items_has_no_title_and_its_folder_says_what_it_is():
    # an agenda of a community council: no heading, straight into its numbered items
    items = "3079.Police Report\n3080.Apologies for absence\n3081.Declarations of interest\n" \
            "3082.Approval of minutes of previous meeting\n3083.Financial Report"
    meta = infer_metadata("council__papers/agenda/20210524.txt", _page(items))
    assert (meta.title, meta.doc_type) == ("Agenda, 24 May 2021", "agenda")   # not '3079.Police Report', a report
    assert infer_metadata("council__papers/Agendas/20210524.txt", _page(items)).doc_type == "agenda"
    # a folder named for a meeting whose body's name holds a kind's word says nothing of the kind
    meeting = "28-Home and Social Development Strategic Policy Committee/README.md"
    assert infer_metadata(meeting, _page("Meeting Details\nThe agenda is attached.")).doc_type == "agenda"
    # the file's own name still comes first, and one numbered line is a title
    assert infer_metadata("council__papers/agenda/20210524 minutes.txt", _page(items)).doc_type == "minutes"
    assert infer_metadata("x1.pdf", _page("7. Family Hub Contracts\nThe report sets out ...")).title == \
        "7. Family Hub Contracts"


def test_dates():
    assert find_date("board-meeting-minutes-2015-06-02") == "2015-06-02"
    assert find_date("held on Thursday, 30 January 2025") == "2025-01-30"
    assert find_date("March 5, 2019") == "2019-03-05"
    assert find_date("12/03/2014") == "2014-03-12"
    assert find_date("31 February 2020") is None
    assert find_date("no date here") is None
    assert find_date("Finance Monitoring Report - Q3 - November 2024-25") is None   # a quarter is no day
    assert find_date("Minutes_12-March-2019") == "2019-03-12"


def test_sidecar_overrides_inference(tmp_path):
    (tmp_path / "metadata.csv").write_text(
        "path,body,meeting_date,doc_type,title\npack.pdf,Health and Wellbeing Together,2020-10-21,reports pack,\n"
    )
    overrides = load_sidecar(tmp_path)
    meta = apply_sidecar(infer_metadata("pack.pdf", _page("Something else")), overrides["pack.pdf"])
    assert meta.body == "Health and Wellbeing Together"
    assert meta.meeting_date == "2020-10-21"
    assert meta.doc_type == "reports pack"
    assert meta.title == "Something else"  # empty cell: inference kept


def test_sidecar_in_a_subfolder_applies_to_its_own_files(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "metadata.csv").write_text("path,body\npack.pdf,Health and Wellbeing Together\n")
    assert load_sidecar(tmp_path) == {"demo/pack.pdf": {"body": "Health and Wellbeing Together"}}


def test_folder_names_make_the_body():
    assert infer_metadata("suffolk/suffolk_libraries/board-meeting-minutes-2014-09-25.pdf", _page("")).body \
        == "Suffolk Libraries"
    meta = infer_metadata("suffolk/suffolk_libraries/board-meeting-minutes-2014-09-25.pdf", _page(""))
    assert meta.title == "Board meeting minutes 2014-09-25"


def test_a_folder_named_for_one_meeting_names_its_body():
    cases = {
        "meetings/2018/11/26-Full Meeting of Limerick City and County Council/Minutes.md": "Limerick City and County Council",
        "meetings/2020/12/04-Virtual Joint Policing Committee Meeting/Minutes.md": "Joint Policing Committee",
        "meetings/2016/05/09-Special Meeting of Limerick City and County Council to elect a chair/M.md":
            "Limerick City and County Council",
        "2009/11/minutes-of-stoke-ferry-parish-council-meeting-6/index.md": "Stoke Ferry Parish Council",
        "2015/05/west-dereham-parish-council-april-meeting/index.md": "West Dereham Parish Council",
        # a meeting's folder may go on to its subject, or to what the paper is
        "meetings/2016/11/28-Special Meeting of Limerick City and County Council_ Limerick_Foynes Road "
        "Improvements Scheme/Agenda.md": "Limerick City and County Council",
        "2016/07/wereham-parish-council-draft-minutes-subject-to-approval-at-the-next-meeting/index.md":
            "Wereham Parish Council",
        "files/chi_ssa_21/minutes.pdf": "Chi Ssa 21",   # a name without a body's word is kept whole
    }
    for path, body in cases.items():
        assert infer_metadata(path, _page("")).body == body, path


def test_a_heading_names_the_body_without_what_it_says_of_the_paper_or_what_runs_on_after_it():
    cases = {
        "TRANSPARENCY BOARD\nAgenda": "Transparency Board",
        "Transparency Board Minutes\n9 September 2013": "Transparency Board",
        "19th LOCAL PUBLIC DATA PANEL MEETING\n": "Local Public Data Panel",
        "Local Public Data Panel – Terms of Reference\n": "Local Public Data Panel",
        "Minutes of the meeting of the Open Data User Group (ODUG) held on 4 May 2013": "Open Data User Group",
        "Notes of the meeting of the Transparency Board Tom Steinberg will be leading a discussion on data":
            "Transparency Board",
        "TB (9)1.ii Transparency Board Action Log as\nat 1 May": "Transparency Board",
        "Crime and Justice Sector Panel of 14th Octobe": "Crime and Justice Sector Panel",
        "Tintern Community Council Tangible Assets\nAs at October 2017": "Tintern Community Council",
        "Wereham Parish Council Draft\nMinutes": "Wereham Parish Council",
        "Cabinet Office Senior Officials’ Group on Transparency\nMinutes": "Cabinet Office Senior Officials’ Group on Transparency",
        "Board of Education\nRegular Meeting": "Board of Education",
        # a line that names no body is passed over for one that does
        "that committee or\nTintern Community Council\nMinutes": "Tintern Community Council",
        "Panel attendees\nA list": None,
        "Governance and functions of the Panel": None,
        "Kate Marshall, Cabinet Office": None,
        "To: Francis Maude, Minister for the Cabinet Office": None,
        "Community Council\nA note": None,
    }
    for heading, body in cases.items():
        assert infer_metadata("archive/_posts/paper.pdf", _page(heading)).body == body, heading


def test_minutes_are_dated_by_the_meeting_their_head_writes_out_not_a_stamp_in_figures():
    head = ("D-2\n04/11/2023\nSan Juan Unified School District\nBoard of Education\n3738 Walnut Avenue\n"
            "Board of Education Minutes\nMarch 31, 2023\nSpecial Meeting\n")
    # the stamp reads as 4 November (or 11 April): the meeting is the one written out, whatever the folder says
    assert infer_metadata("SJUSD/2023-03-30/minutes.md", _page(head)).meeting_date == "2023-03-31"
    # a date in figures with no written date beside it still dates the minutes, and an ISO date is never displaced
    alone = "Minutes of the Parish Council\n04/11/2023\nPresent: Cllrs A and B\n"
    assert infer_metadata("parish/minutes.txt", _page(alone)).meeting_date == "2023-11-04"
    iso = "Meeting Details\nDate and Time: 2022-06-10 09:00:00\nAgenda - Meeting - 3rd June 2022.pdf\n"
    assert infer_metadata("jpc/10-Joint Policing Committee Meeting/minutes.md", _page(iso)).meeting_date == "2022-06-10"


@needs_realdata
def test_real_san_juan_minutes_take_the_date_of_their_meeting():
    folder = REALDATA / "ccorcos__focs" / "docs" / "SJUSD"
    for day in ("2026-02-24", "2025-03-25", "2021-06-22"):
        path = folder / day / "minutes.md"
        text = path.read_text(encoding="utf-8")
        meta = infer_metadata(f"SJUSD/{day}/minutes.md", _page(text[:4000]))
        assert meta.doc_type == "minutes" and meta.meeting_date == day, (day, meta)


def test_minutes_filed_with_the_council_are_of_the_body_their_head_names():
    folder = "kent_county_council/full_council/2025-03-13/originals"
    panel = infer_metadata(f"{folder}/CPP Minutes 29.10.24.pdf",
                           _page("CORPORATE PARENTING PANEL\nMINUTES of a meeting of the Corporate Parenting Panel held "
                                 "in the Council Chamber, Sessions House, Maidstone on Tuesday, 29 October 2024."))
    assert panel.body == "Kent County Council - Corporate Parenting Panel"
    # a head naming the folder's own body, or naming none, leaves the folder's body
    council = infer_metadata(f"{folder}/Printed minutes 13th-Mar-2025 County Council.pdf",
                             _page("KENT COUNTY COUNCIL\nMINUTES of a meeting of the Kent County Council held on 13 March 2025"))
    assert council.body == "Kent County Council - Full Council"
    plain = infer_metadata(f"{folder}/Minutes 13.03.25.pdf", _page("Minutes\nPresent: Mr A, Mrs B"))
    assert plain.body == "Kent County Council - Full Council"


@needs_realdata
def test_real_panel_minutes_in_the_council_folder_are_the_panels():
    rel_path = "lusavkaedu__council-assistant/kent_county_council/full_council/2025-03-13/originals/CPP Minutes 29.10.24.pdf"
    parsed = parse_file(REALDATA / rel_path, rel_path)
    assert parsed.meta.body == "Kent County Council - Corporate Parenting Panel"
