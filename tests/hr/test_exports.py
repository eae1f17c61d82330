"""CSV and XLSX exports: the page's tables, in its language, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from survey.exports import HIDDEN, Table, safe_text, to_csv


def test_text_cells_that_look_like_formulas_are_defused():
    for dangerous in ("=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\t=1"):
        assert safe_text(dangerous).startswith("'")
    assert safe_text("Отдел 1") == "Отдел 1"


def test_csv_keeps_numbers_and_marks_hidden_cells(app):
    table = Table("t", "T", [("=Name", "text"), ("n", "int"), ("share", "percent")],
                  [["=cmd|' /C calc'!A0", 12, 0.5], ["Unit", HIDDEN, HIDDEN]])
    with app.test_request_context():
        kazakh = to_csv(table).decode("utf-8-sig")
        english = to_csv(table, "en").decode("utf-8-sig")
    # Excel with Kazakh or Russian settings splits on ";" and reads "0,5" as a number.
    rows = list(csv.reader(io.StringIO(kazakh), delimiter=";"))
    assert rows[0] == ["'=Name", "n", "share"]  # the header first: nothing above it
    assert rows[1] == ["'=cmd|' /C calc'!A0", "12", "0,5"]
    assert rows[2][1] == "көрсетілмейді (респонденттер саны 5 адамнан аз)"  # Kazakh, the default
    assert list(csv.reader(io.StringIO(english)))[1] == ["'=cmd|' /C calc'!A0", "12", "0.5"]


def test_the_xlsx_has_a_sheet_per_table_in_russian(world, client, auth):
    auth.as_("hr@alpha.kz", "ru")
    response = client.get(f"/hr/campaigns/{world.current.id}/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Описание"
    assert len(book.sheetnames) == 11
    assert all(len(name) <= 31 for name in book.sheetnames)
    sheet = book[next(n for n in book.sheetnames if n.startswith("Доля ответивших"))]
    assert sheet["A2"].value == "Государственный орган"
    values = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert values[0][:4] == ("Министерство alpha", "Отдел 0", 32, 30)
    assert sheet["E3"].number_format == "0%"
    # Response rates are live; the 3-person unit's score is withheld.
    assert any("скрыто" in str(v) for name in book.sheetnames[2:]
               for row in book[name].iter_rows(values_only=True) for v in row)


def test_a_csv_table_downloads_in_the_chosen_language(world, client, auth):
    auth.as_("hr@alpha.kz", "kk")
    response = client.get(f"/hr/campaigns/{world.current.id}/export/gaps_by_competence.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once sent twice
    text = response.data.decode("utf-8-sig")
    assert "Құзырет" in text
    assert client.get(f"/hr/campaigns/{world.current.id}/export/nope.csv").status_code == 404


def test_every_sheet_name_is_whole_in_every_language(world, client, auth):
    """Sheet names are short names, not titles cut at Excel's 31 characters."""
    from survey.hr.texts import sheet_names

    for language in ("kk", "ru", "en"):
        auth.as_("hr@alpha.kz", language)
        book = load_workbook(io.BytesIO(
            client.get(f"/hr/campaigns/{world.current.id}/export.xlsx").data))
        with client.application.test_request_context():
            from flask_babel import force_locale

            with force_locale(language):
                names = sheet_names()
        assert all(len(name) <= 31 for name in names.values())
        assert book.sheetnames[1:] == [names[key] for key in (
            "culture_score", "subscores", "levels", "response_rate", "culture_by_unit",
            "culture_by_position", "gaps_by_competence", "gaps_by_unit", "gaps_by_position",
            "top_gaps")]
        # Each sheet still starts with the full title.
        assert all(book[name]["A1"].value for name in book.sheetnames[1:])


def test_the_export_time_is_a_date_cell_with_its_zone(world, client, auth):
    import datetime as dt

    auth.as_("hr@alpha.kz", "ru")
    book = load_workbook(io.BytesIO(
        client.get(f"/hr/campaigns/{world.current.id}/export.xlsx").data))
    row = next(r for r in book["Описание"].iter_rows() if r[0].value == "Дата выгрузки")
    assert isinstance(row[1].value, dt.datetime)
    assert row[2].value.startswith("Asia/Almaty (UTC+05:00)")


def test_a_csv_in_russian_uses_semicolons_and_decimal_commas(world, client, auth):
    auth.as_("hr@alpha.kz", "ru")
    text = client.get(f"/hr/campaigns/{world.current.id}/export/response_rate.csv"
                      ).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Государственный орган", "Структурное подразделение"]
    rates = [row[4] for row in rows[1:] if row[4][:1].isdigit()]
    assert rates
    assert all("." not in rate for rate in rates)
    assert any("," in rate for rate in rates)


def test_every_part_a_spreadsheet_could_split_off_is_neutralised():
    # ru and kk spreadsheets split on ";", others on ",", and a pasted line on tabs.
    assert safe_text("x;=1+1") == "x;'=1+1"
    assert safe_text("a, =HYPERLINK(1)") == "a,' =HYPERLINK(1)"
    assert safe_text("a\t@SUM(A1)") == "a\t'@SUM(A1)"
    assert safe_text("Отдел 1; бөлім 2, unit 3") == "Отдел 1; бөлім 2, unit 3"
    for separator in (",", ";", "\t"):
        for part in safe_text(f"ok{separator}+1{separator}-2").split(separator):
            assert not part.lstrip(" ").startswith(("=", "+", "-", "@"))
