"""Sessions that end, campaign dates in range, and hostile staff-list files read as streams."""

from __future__ import annotations

import io
import time
import zipfile

from openpyxl import Workbook

from survey.campaigns import staff_list
from survey.campaigns.staff_list import MAX_COLUMNS, MAX_ROWS, read_table
from survey.campaigns.uploads import fetch, keep, remove_expired
from survey.extensions import db
from survey.models import Invitation, User

from .factories import staff

HEADER = b"organisation,unit,position\n"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def reuse(app, cookie: str):
    """A new browser presenting an old session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def test_an_old_session_cookie_stops_working_after_logout(app, auth, world, draft):
    hr = staff("hr", "hr@mdd.kz", [world.ministry])
    client = auth.as_(hr)
    cookie = session_cookie(client)
    assert reuse(app, cookie).get("/hr/").status_code == 200
    auth.logout()
    response = reuse(app, cookie).get("/hr/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def test_a_password_reset_ends_every_session_of_the_account(app, auth, world, draft):
    hr = staff("hr", "hr@mdd.kz", [world.ministry])
    cookie = session_cookie(auth.as_(hr))
    admin = staff("admin", "admin@qabilet.kz")
    admin_client = app.test_client()
    admin_client.post("/staff/login", data={"email": admin.email,
                                            "password": "correct-horse-battery"})
    response = admin_client.post(f"/admin/users/{hr.id}",
                                 data={"password-password": "a brand new password"})
    assert response.status_code == 302
    assert reuse(app, cookie).get(f"/hr/campaigns/{draft.id}").status_code == 302
    # The admin who reset someone else's password is still logged in.
    assert admin_client.get("/admin/users").status_code == 200


def test_changing_ones_own_password_keeps_only_this_session(app, auth, world):
    admin = staff("admin", "admin@qabilet.kz")
    client = auth.as_(admin)
    elsewhere = session_cookie(client)
    other = app.test_client()
    other.post("/staff/login", data={"email": admin.email, "password": "correct-horse-battery"})
    assert client.post(f"/admin/users/{admin.id}",
                       data={"password-password": "a brand new password"}).status_code == 302
    assert client.get("/admin/users").status_code == 200
    assert other.get("/admin/users").status_code == 302
    assert reuse(app, elsewhere).get("/admin/users").status_code == 302


def test_deactivation_ends_the_session(app, auth, world, draft):
    hr = staff("hr", "hr@mdd.kz", [world.ministry])
    cookie = session_cookie(auth.as_(hr))
    admin = staff("admin", "admin@qabilet.kz")
    admin_client = app.test_client()
    admin_client.post("/staff/login", data={"email": admin.email,
                                            "password": "correct-horse-battery"})
    admin_client.post(f"/admin/users/{hr.id}/active/0")
    admin_client.post(f"/admin/users/{hr.id}/active/1")  # active again, but the session is over
    assert db.session.get(User, hr.id).active
    assert reuse(app, cookie).get(f"/hr/campaigns/{draft.id}").status_code == 302


def test_campaign_dates_at_the_ends_of_the_calendar_are_refused_in_the_users_language(
        auth, world):
    client = auth.as_(staff("admin", "admin@qabilet.kz"))
    for opens, closes in (("0001-01-01", "2026-03-31"), ("2026-03-01", "9999-12-31")):
        response = client.post("/admin/campaigns/new", headers={"Accept-Language": "ru"}, data={
            "code": "w", "title_kk": "К", "title_ru": "В", "title_en": "W",
            "organisations": [world.ministry.id], "opens": opens, "closes": closes,
            "anonymous": "anonymous", "default_language": "kk",
            "survey_version": world.survey.id, "test_version": 0})
        assert response.status_code == 400
        assert "Выберите дату с 2000 по 2100 год." in response.get_data(as_text=True)


def test_ids_past_the_largest_integer_and_non_ascii_digits_are_404_and_400(auth, world):
    client = auth.as_(staff("admin", "admin@qabilet.kz"))
    for path in ("/admin/users/9223372036854775808", "/admin/campaigns/99999999999999999999",
                 "/admin/users/2147483648",
                 "/admin/users/%C2%B2", "/admin/users/%D9%A3"):
        response = client.get(path, headers={"Accept-Language": "kk"})
        assert response.status_code == 404, path
        assert "Бет табылмады" in response.get_data(as_text=True)
    assert client.get("/admin/users/2147483647").status_code == 404  # the largest id: no user
    for page in ("9223372036854775808", "²", "0", "-1", "1.0"):
        response = client.get("/admin/audit", query_string={"page": page},
                              headers={"Accept-Language": "ru"})
        assert response.status_code == 400, page
        assert "Не удалось обработать запрос" in response.get_data(as_text=True)
    assert client.get("/admin/audit?page=2").status_code == 200


# --- Staff-list files -------------------------------------------------------------------------


def xlsx_declaring(dimension: str, rows: list[list[str]]) -> bytes:
    """A workbook whose sheet declares ``dimension`` whatever cells it really has."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index('<dimension ref="') + len('<dimension ref="')
                end = text.index('"', start)
                data = (text[:start] + dimension + text[end:]).encode()
            target.writestr(item, data)
    return out.getvalue()


def test_an_xlsx_declaring_a_huge_sheet_is_read_at_its_real_size(app):
    data = xlsx_declaring("A1:XFD6000", [["organisation", "unit", "position"],
                                         ["mdd", "it", "specialist"]])
    assert len(data) < 10_000
    started = time.perf_counter()
    table, problems = read_table(data, "staff.xlsx")
    assert time.perf_counter() - started < 2  # was 5 s and 1 GiB, the rows padded to XFD
    assert problems == []
    assert table.rows == [(2, {"organisation": "mdd", "unit": "it", "position": "specialist"})]


def test_a_row_wider_than_the_column_cap_is_refused(app):
    # The first column past the cap is read (and refused); cells further out are never read.
    wide = [["organisation", "unit", "position"],
            ["mdd", "it", "specialist"] + [""] * (MAX_COLUMNS - 3) + ["far out"]]
    table, problems = read_table(xlsx_declaring("A1:C2", wide), "staff.xlsx")
    assert table is None
    assert [p.code for p in problems] == ["too_many_columns"]
    csv_wide = HEADER + b"mdd,it,specialist" + b",x" * MAX_COLUMNS + b"\n"
    assert [p.code for p in read_table(csv_wide, "s.csv")[1]] == ["too_many_columns"]


def test_the_row_cap_is_checked_while_reading(app):
    # Past the cap the file is broken: a reader that went on to the end would say "not UTF-8".
    # (The text is decoded in blocks of a few kilobytes, so the break comes well after the cap.)
    data = (HEADER + b"mdd,it,specialist\n" * (MAX_ROWS + 2000) + b"\xff\xfe broken\n" * 10)
    table, problems = read_table(data, "s.csv")
    assert [p.code for p in problems] == ["too_many_rows"]
    assert read_table(HEADER + b"mdd,it,specialist\n" * 100 + b"\xff\n", "s.csv")[1][0].code \
        == "not_utf8"


def test_a_million_empty_rows_stop_at_the_physical_cap(app):
    data = xlsx_declaring("A1:C1000000", [["organisation", "unit", "position"]])
    # openpyxl yields the declared-but-missing rows only when asked to pad; the CSV path has
    # them for real.
    csv_data = HEADER + b",,\n" * (staff_list.MAX_PHYSICAL_ROWS + 5)
    assert [p.code for p in read_table(csv_data, "s.csv")[1]] == ["too_many_rows"]
    assert [p.code for p in read_table(data, "s.xlsx")[1]] == ["empty_file"]


def test_confirming_sends_only_the_files_hash_even_for_a_large_list(app, auth, world, draft):
    rows = b"".join(b"mdd,it,specialist,,,%d\n" % n for n in range(17_500))
    data = b"organisation,unit,position,name,email,personnel_number\n" + rows
    client = auth.as_(staff("admin", "admin@qabilet.kz"))
    preview = client.post(f"/admin/campaigns/{draft.id}/staff",
                          data={"file": (io.BytesIO(data), "big.csv")},
                          content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    form = page.split(f'action="/admin/campaigns/{draft.id}/staff/confirm"', 1)[1]
    form = form.split("</form>", 1)[0]
    assert len(form) < 1000  # the file stayed on the server: the confirmation is a hash
    digest = form.split('name="digest" type="hidden" value="', 1)[1].split('"', 1)[0]
    response = client.post(f"/admin/campaigns/{draft.id}/staff/confirm",
                           data={"digest": digest, "filename": "big.csv"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 17_500
    assert fetch(digest) is None  # imported, so forgotten


def test_a_kept_file_expires_and_the_page_asks_for_it_again(app, auth, world, draft):
    data = HEADER + b"mdd,it,specialist\n"
    digest = keep(data)
    assert fetch(digest) == data
    assert fetch("0" * 64) is None
    assert fetch("../../etc/passwd") is None
    assert remove_expired(now=time.time() + app.config["UPLOAD_KEEP_SECONDS"] + 1) >= 1
    assert fetch(digest) is None
    client = auth.as_(staff("admin", "admin@qabilet.kz"))
    response = client.post(f"/admin/campaigns/{draft.id}/staff/confirm",
                           data={"digest": digest, "filename": "s.csv"},
                           headers={"Accept-Language": "ru"}, follow_redirects=True)
    assert "Проверенный файл больше не хранится на сервере" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0

