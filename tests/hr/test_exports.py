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
        rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows[0] == ["'=Name", "n", "share"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "12", "0.5"]
    assert rows[2][1] == "көрсетілмейді (респонденттер саны 5 адамнан аз)"  # Kazakh, the default


def test_the_xlsx_has_a_sheet_per_table_in_russian(world, client, auth):
    auth.as_("hr@alpha.kz", "ru")
    response = client.get(f"/hr/campaigns/{world.current.id}/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Описание"
    assert len(book.sheetnames) == 11
    sheet = book[next(n for n in book.sheetnames if n.startswith("Доля ответивших"))]
    assert sheet["A2"].value == "Государственный орган"
    values = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert values[0][:4] == ("Министерство alpha", "Отдел 0", 32, 30)
    assert sheet["E3"].number_format == "0%"
    assert any("скрыто" in str(v) for row in values for v in row)


def test_a_csv_table_downloads_in_the_chosen_language(world, client, auth):
    auth.as_("hr@alpha.kz", "kk")
    response = client.get(f"/hr/campaigns/{world.current.id}/export/gaps_by_competence.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once sent twice
    text = response.data.decode("utf-8-sig")
    assert "Құзырет" in text
    assert client.get(f"/hr/campaigns/{world.current.id}/export/nope.csv").status_code == 404
