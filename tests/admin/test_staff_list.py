"""Reading and checking staff lists, and importing them into people and invitations."""

from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from openpyxl import Workbook

from survey.campaigns.invitations import import_staff_list, issue_links
from survey.campaigns.problems import ProblemsError
from survey.campaigns.staff_list import read_staff_list
from survey.extensions import db
from survey.models import Invitation, Person
from survey.problems import render
from survey.tokens import hash_token

GOOD = (
    "organisation,unit,position,name,email,personnel_number,language\n"
    "mdd,it,specialist,Aigerim Sadykova,aigerim@gov.kz,1001,kk\n"
    "mdd,hr,leadership,Ivan Petrov,ivan@gov.kz,1002,ru\n"
    "akimat,finance,specialist,,,,\n"
)


def read(text: str, campaign, filename="staff.csv", encoding="utf-8"):
    return read_staff_list(text.encode(encoding), filename, campaign)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_good_csv_gives_one_checked_row_per_person(draft):
    rows, problems = read(GOOD, draft)
    assert problems == []
    assert [(r.number, r.organisation.code, r.unit.code, r.email) for r in rows] == [
        (2, "mdd", "it", "aigerim@gov.kz"), (3, "mdd", "hr", "ivan@gov.kz"),
        (4, "akimat", "finance", None)]


def test_semicolons_a_byte_order_mark_and_russian_headers_are_understood(draft):
    text = "\ufeffОрганизация;Подразделение;Должность;Электронная почта\nmdd;it;specialist;a@gov.kz\n"
    rows, problems = read(text, draft)
    assert problems == []
    assert rows[0].email == "a@gov.kz"


def test_the_kazakh_headers_named_on_the_upload_page_are_understood(draft):
    text = ("Ұйым;Бөлімше;Лауазым;Аты-жөні;Электрондық пошта;Табель нөмірі;Тіл\n"
            "mdd;it;specialist;Айгерім Сәдуақасова;a@gov.kz;1001;kk\n")
    rows, problems = read(text, draft)
    assert problems == []
    assert (rows[0].name, rows[0].personnel_number, rows[0].language) == (
        "Айгерім Сәдуақасова", "1001", "kk")


def test_an_xlsx_file_with_numeric_personnel_numbers_is_read(draft):
    data = xlsx([["organisation", "unit", "position", "personnel_number"],
                 ["mdd", "it", "specialist", 1001], [None, None, None, None]])
    rows, problems = read_staff_list(data, "staff.xlsx", draft)
    assert problems == []
    assert [r.personnel_number for r in rows] == ["1001"]


def test_every_bad_row_is_reported_with_its_row_number_column_and_reason(draft):
    text = ("organisation,unit,position,email,language\n"
            "mdd,it,specialist,ok@gov.kz,kk\n"
            "nowhere,it,specialist,,\n"
            "mdd,cellar,boss,not-an-email,de\n"
            "mdd,it,,ok@gov.kz,\n")
    rows, problems = read(text, draft)
    assert rows == []
    assert {(p.row, p.where, p.code) for p in problems} == {
        (3, "organisation", "unknown_organisation"),
        (4, "unit", "unknown_unit"), (4, "position", "unknown_position"),
        (4, "email", "bad_email"), (4, "language", "bad_language"),
        (5, "position", "required"), (5, "email", "duplicate_person")}


def test_problems_read_in_the_users_language(draft):
    _rows, problems = read("organisation,unit,position\nnowhere,it,specialist\n", draft)
    with force_locale("ru"):
        assert render(problems[0]) == "Нет государственного органа с кодом «nowhere»."
    with force_locale("kk"):
        assert "nowhere" in render(problems[0])
        assert render(problems[0]) != "There is no government body with the code “nowhere”."


def test_a_line_break_or_other_control_character_in_any_cell_is_refused(draft):
    text = ('organisation,unit,position,name,email,personnel_number\n'
            'mdd,it,specialist,"Aigerim\nSadykova",aigerim@gov.kz,1001\n'
            'mdd,it,specialist,Ivan,ivan\x7f@gov.kz,10\t02\n'
            'mdd,hr,specialist,Dana,dana@gov.kz,1003\n')
    rows, problems = read(text, draft)
    assert rows == []
    assert {(p.row, p.where, p.code) for p in problems} == {
        (2, "name", "control_character"), (3, "email", "control_character"),
        (3, "personnel_number", "control_character")}
    with force_locale("ru"):
        assert render(problems[0]) == (
            "В ячейке есть перенос строки или другой управляющий символ. Удалите его.")
    with force_locale("kk"):
        assert render(problems[0]) == (
            "Ұяшықта жол ауыстыру немесе басқа басқару таңбасы бар. Оны алып тастаңыз.")


@pytest.mark.parametrize(("data", "code"), [
    (b"organisation,unit\nmdd,it\n", "missing_column"),
    (b"organisation,unit,position,salary\nmdd,it,specialist,1\n", "unknown_column"),
    (b"organisation,unit,position\n", "empty_file"),
    ("organisation,unit,position\nмдд,it,specialist\n".encode("cp1251"), "not_utf8"),
    (b"PK\x03\x04 not really a workbook", "unreadable_file"),
])
def test_a_file_that_cannot_be_read_as_a_staff_list_says_why(draft, data, code):
    rows, problems = read_staff_list(data, "staff.csv", draft)
    assert rows == []
    assert [p.code for p in problems] == [code]


def test_an_identified_campaign_needs_someone_to_recognise_on_every_row(identified):
    _rows, problems = read("organisation,unit,position,name\nmdd,it,specialist,Nobody\n",
                           identified)
    assert [p.code for p in problems] == ["identity_required"]


def test_a_body_outside_the_campaign_or_the_users_scope_is_refused(world, identified, draft):
    _rows, problems = read("organisation,unit,position,email\nakimat,finance,specialist,a@b.kz\n",
                           identified)
    assert [p.code for p in problems] == ["organisation_not_in_campaign"]
    _rows, problems = read_staff_list(
        b"organisation,unit,position\nakimat,finance,specialist\n", "s.csv", draft,
        allowed_organisation_ids={world.ministry.id})
    assert [p.code for p in problems] == ["organisation_out_of_scope"]


def test_importing_creates_people_and_invitations_storing_only_token_hashes(draft):
    rows, _ = read(GOOD, draft)
    report = import_staff_list(draft, rows)
    links = issue_links([i for i, _name in report.created], {i.id: n for i, n in report.created})
    db.session.commit()
    assert (report.people_created, report.invitations_created) == (2, 3)
    stored = {i.token_hash for i in db.session.scalars(db.select(Invitation))}
    assert stored == {hash_token(link.token) for link in links}
    assert all(len(link.token) >= 22 and link.token not in stored for link in links)
    assert links[0].url.endswith(f"/i/{links[0].token}")
    assert links[0].display_name == "Aigerim Sadykova"


def test_an_anonymous_campaign_keeps_the_email_but_not_the_person_on_invitations(draft):
    rows, _ = read(GOOD, draft)
    import_staff_list(draft, rows)
    db.session.commit()
    invitations = db.session.scalars(db.select(Invitation).order_by(Invitation.id)).all()
    assert [i.person_id for i in invitations] == [None, None, None]
    assert invitations[0].email == "aigerim@gov.kz"


def test_an_identified_campaign_links_invitations_to_people(identified):
    rows, _ = read("organisation,unit,position,personnel_number\nmdd,it,specialist,7\n",
                   identified)
    import_staff_list(identified, rows)
    db.session.commit()
    invitation = db.session.scalar(db.select(Invitation))
    assert invitation.person.personnel_number == "7"


def test_reuploading_an_updated_list_updates_people_without_duplicating_them(identified):
    first = "organisation,unit,position,name,email,personnel_number\nmdd,it,specialist,A,a@gov.kz,1\n"
    import_staff_list(identified, read(first, identified)[0])
    db.session.commit()
    moved = ("organisation,unit,position,name,email,personnel_number\n"
             "mdd,hr,leadership,A. Abai,a.new@gov.kz,1\n"
             "mdd,it,specialist,B,b@gov.kz,\n")
    rows, problems = read(moved, identified)
    assert problems == []
    report = import_staff_list(identified, rows)
    db.session.commit()
    assert (report.people_created, report.people_updated) == (1, 1)
    assert (report.invitations_created, report.invitations_kept) == (1, 1)
    person = db.session.scalar(db.select(Person).filter_by(personnel_number="1"))
    assert (person.unit.code, person.email, person.full_name) == ("hr", "a.new@gov.kz", "A. Abai")
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 2
    assert db.session.scalar(db.select(Invitation).filter_by(person_id=person.id)).unit.code == "hr"


def test_an_email_held_by_another_person_is_refused(identified):
    first = ("organisation,unit,position,email,personnel_number\n"
             "mdd,it,specialist,a@gov.kz,1\nmdd,it,specialist,b@gov.kz,2\n")
    import_staff_list(identified, read(first, identified)[0])
    db.session.commit()
    _rows, problems = read("organisation,unit,position,email,personnel_number\n"
                           "mdd,it,specialist,b@gov.kz,1\n", identified)
    assert [(p.row, p.code) for p in problems] == [(2, "email_taken")]


def test_a_started_invitation_cannot_get_a_new_link(draft):
    import_staff_list(draft, read(GOOD, draft)[0])
    invitation = db.session.scalar(db.select(Invitation))
    invitation.status = "started"
    with pytest.raises(ProblemsError) as refused:
        issue_links([invitation])
    assert refused.value.problems[0].code == "already_started"


def test_a_closed_campaign_takes_no_new_invitations(draft):
    draft.status = "closed"
    with pytest.raises(ProblemsError):
        import_staff_list(draft, read(GOOD, draft)[0])
