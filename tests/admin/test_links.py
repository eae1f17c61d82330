"""The invitation-link files (CSV on the web and the command line, XLSX on the command line):
every text cell is shown as text, and the web download speaks the page's language."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from survey.campaigns.invitations import (
    import_staff_list,
    issue_links,
    links_csv,
    links_xlsx,
    undistributed,
)
from survey.campaigns.staff_list import read_staff_list
from survey.extensions import db

from .factories import staff, upload_and_confirm

EVIL_NAME = '=HYPERLINK("http://evil.kz";"x")'
EVIL_EMAIL = "=1+2@evil.kz"


def staff_list(*rows: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["organisation", "unit", "position", "name", "email", "personnel_number"])
    writer.writerows(rows)
    return out.getvalue().encode()


EVIL = staff_list(["mdd", "it", "specialist", EVIL_NAME, EVIL_EMAIL, "1001"],
                  ["mdd", "hr", "specialist", "@SUM(A1:A2)", "ok@gov.kz", "1002"])


def evil_links(campaign):
    rows, problems = read_staff_list(EVIL, "s.csv", campaign)
    assert problems == []
    import_staff_list(campaign, rows)
    links = issue_links(undistributed(campaign))
    db.session.commit()
    return links


def test_names_and_emails_in_the_csv_are_never_formulas(identified):
    rows = list(csv.reader(io.StringIO(links_csv(evil_links(identified)))))
    assert rows[1][:2] == ["'" + EVIL_NAME, "'" + EVIL_EMAIL]
    assert rows[2][:2] == ["'@SUM(A1:A2)", "ok@gov.kz"]
    assert rows[1][-1].startswith("http")


def test_names_and_emails_in_the_workbook_are_text_not_formulas(identified):
    sheet = load_workbook(io.BytesIO(links_xlsx(evil_links(identified)))).active
    name, email = sheet["A2"], sheet["B2"]
    assert (name.data_type, name.value) == ("s", "'" + EVIL_NAME)
    assert (email.data_type, email.value) == ("s", "'" + EVIL_EMAIL)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_downloaded_links_have_kazakh_headers_and_safe_cells(auth, world, identified):
    client = auth.as_(staff("admin", "admin@qabilet.kz"))
    upload_and_confirm(client, identified, EVIL)
    response = client.post(f"/admin/campaigns/{identified.id}/links.csv",
                           headers={"Accept-Language": "kk"})
    # The one download helper's headers (the links once lacked nosniff and "private").
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename={identified.code}-links.csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Аты-жөні", "Электрондық пошта", "Мемлекеттік орган",
                       "Құрылымдық бөлімше", "Лауазым санаты", "Тіл", "Сілтеме"]
    assert rows[1][:2] == ["'" + EVIL_NAME, "'" + EVIL_EMAIL]
    assert "/i/" in rows[1][-1]


def test_the_command_line_keeps_english_headers(identified):
    header = links_csv(evil_links(identified)).splitlines()[0]
    assert header == "name,email,organisation,unit,position,language,link"
