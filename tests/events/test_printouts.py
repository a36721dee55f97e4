"""The organiser's printouts: the meeting grid (PDF, Excel, CSV) and table cards (PDF), with the
Japanese names readable in the PDFs, and who may print them."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renkei.events import printouts
from tests.events.agenda_helpers import build_fair, pdf_pages, pdf_text
from tests.events.meeting_helpers import matching_event
from tests.events.test_event_pages import make_event


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


@pytest.fixture
def fair(cast):
    return build_fair(cast)


def test_the_grid_pdf_lists_every_table_and_the_meeting_in_japanese(fair, cast, client_for):
    response = client_for(cast.hq_a).get(url("meeting_grid", fair.event.pk, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "高橋三郎(アルファ精密)" in text and "山田花子(アルファ大学)" in text
    assert "T1" in text and "T2" in text


def test_the_grid_spreadsheet_has_a_row_per_table_and_a_column_per_slot(fair, cast, client_for):
    response = client_for(cast.hq_a).get(url("meeting_grid", fair.event.pk, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 1 + 2 and len(rows[0]) == 1 + 3
    placed = [(r[0], i) for r in rows[1:] for i, cell in enumerate(r) if "山田 花子" in str(cell)]
    assert len(placed) == 1
    table, column = placed[0]
    assert table == fair.meeting.table.name
    assert rows[0][column].endswith(printouts.slot_label(fair.meeting.slot))


def test_the_grid_csv_is_excel_ready(fair, cast, client_for):
    response = client_for(cast.hq_a).get(url("meeting_grid", fair.event.pk, "csv"))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == ["T1", "T2"]
    assert any("高橋 三郎 (アルファ精密) / 山田 花子 (アルファ大学)" in cell for cell in rows[1])


def test_table_cards_give_one_page_per_table(fair, cast, client_for):
    response = client_for(cast.hq_a).get(url("table_cards", fair.event.pk))
    assert response.status_code == 200
    assert pdf_pages(response.content) == 2
    text = pdf_text(response.content)
    assert "山田花子(アルファ大学)" in text


def test_typed_names_are_printed_as_text_never_as_markup(cast, client_for):
    fair = build_fair(cast)
    person = fair.seller_registration.person
    person.family_name_ja, person.given_name_ja = "#set", 'text(red) *強調* $x$ "'
    person.save()
    text = pdf_text(client_for(cast.hq_a).get(url("meeting_grid", fair.event.pk, "pdf")).content)
    assert '#settext(red)*強調*$x$"' in text


def test_an_event_without_tables_or_meetings_prints_a_note(cast, client_for):
    event = matching_event(cast.cluster_a, slots=0, tables=0)
    client = client_for(cast.hq_a)
    grid = client.get(url("meeting_grid", event.pk, "pdf"))
    cards = client.get(url("table_cards", event.pk))
    assert grid.status_code == cards.status_code == 200
    assert pdf_pages(grid.content) == 1 and pdf_pages(cards.content) == 1
    assert client.get(url("meeting_grid", event.pk, "csv")).status_code == 200


def test_only_business_matching_events_have_printouts_and_formats_are_checked(cast, client_for):
    seminar = make_event(cast.cluster_a)
    client = client_for(cast.hq_a)
    assert client.get(url("meeting_grid", seminar.pk, "pdf")).status_code == 404
    event = matching_event(cast.cluster_a)
    assert client.get(url("meeting_grid", event.pk, "docx")).status_code == 404


EXPECTED = {
    "anonymous": "login",
    "participant": 403,
    "coordinator_a": 200,
    "hq_a": 200,
    "hq_b": 403,
    "national": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_clusters_staff_and_national_officers_may_print(fair, cast, client_for, role):
    client = client_for(cast.users()[role])
    for response in (
        client.get(url("meeting_grid", fair.event.pk, "xlsx")),
        client.get(url("table_cards", fair.event.pk)),
    ):
        if EXPECTED[role] == "login":
            assert response.status_code == 302 and "/login" in response["Location"]
        else:
            assert response.status_code == EXPECTED[role]
