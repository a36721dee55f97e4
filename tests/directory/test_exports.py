"""CSV and Excel exports hold exactly the rows and columns of the filtered list, safely."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from renkei.directory.models import Affiliation, Organisation
from tests.directory.helpers import url


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def page_rows(client, name, params) -> tuple[list[str], list[str]]:
    """The list page's header labels and first-column values for the same query."""
    context = client.get(url(name), params).context
    header = [str(column.label) for column in context["columns"]]
    return header, [str(cells[0]["value"]) for _, cells in context["rows"]]


@pytest.mark.django_db
class TestOrganisationExport:
    @pytest.mark.parametrize("params", [{}, {"q": "alpha"}, {"kind": "sme"}, {"cluster": "cluster-a", "sort": "-name"}])
    def test_csv_holds_exactly_the_filtered_rows_and_the_page_columns(self, cast, client_for, params):
        client = client_for(cast.coordinator_a)
        header, names = page_rows(client, "organisation_list", params)
        rows = csv_rows(client.get(url("organisation_list"), {**params, "export": "csv"}))
        assert rows[0] == header
        assert [row[0] for row in rows[1:]] == names

    def test_excel_holds_the_same_rows_as_csv(self, cast, client_for):
        client = client_for(cast.hq_a)
        params = {"q": "alpha"}
        from_csv = csv_rows(client.get(url("organisation_list"), {**params, "export": "csv"}))
        from_xlsx = xlsx_rows(client.get(url("organisation_list"), {**params, "export": "xlsx"}))
        assert from_xlsx[0] == from_csv[0]
        assert [row[0] for row in from_xlsx[1:]] == [row[0] for row in from_csv[1:]]
        assert len(from_xlsx) == len(from_csv) > 1

    def test_it_exports_all_pages_unless_asked_for_this_page(self, cast, client_for):
        for i in range(30):
            Organisation.objects.create(kind="sme", name_en=f"Bulk {i:02}", visibility="members")
        client = client_for(cast.participant)
        everything = csv_rows(client.get(url("organisation_list"), {"q": "bulk", "per_page": 25, "export": "csv"}))
        second_page = csv_rows(
            client.get(
                url("organisation_list"), {"q": "bulk", "per_page": 25, "page": 2, "export": "csv", "scope": "page"}
            )
        )
        assert len(everything) == 31
        assert [row[0] for row in second_page[1:]] == [f"Bulk {i:02}" for i in range(25, 30)]

    def test_a_value_starting_with_equals_is_neutralised(self, cast, client_for):
        Organisation.objects.create(kind="sme", name_en='=HYPERLINK("http://evil.example")', visibility="public")
        client = client_for(cast.anonymous)
        rows = csv_rows(client.get(url("organisation_list"), {"q": "hyperlink", "export": "csv"}))
        assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
        cells = xlsx_rows(client.get(url("organisation_list"), {"q": "hyperlink", "export": "xlsx"}))
        assert cells[1][0] == '\'=HYPERLINK("http://evil.example")'

    @pytest.mark.parametrize("role", ["anonymous", "participant", "hq_b"])
    def test_a_user_never_exports_rows_they_cannot_see(self, cast, client_for, role):
        client = client_for(getattr(cast, role))
        for kind in ("csv", "xlsx"):
            response = client.get(url("organisation_list"), {"export": kind})
            rows = csv_rows(response) if kind == "csv" else xlsx_rows(response)
            names = {row[0] for row in rows[1:]}
            assert "秘密アルファ工業" not in names
            assert names == {o.name for o in Organisation.objects.filter(pk__in=self._visible_pks(cast, role))}

    @staticmethod
    def _visible_pks(cast, role):
        from renkei.directory.access import visible_organisations

        return visible_organisations(getattr(cast, role)).values("pk")


@pytest.mark.django_db
class TestPersonExport:
    def test_csv_has_the_page_columns_and_rows(self, cast, client_for):
        client = client_for(cast.coordinator_a)
        header, names = page_rows(client, "person_list", {})
        rows = csv_rows(client.get(url("person_list"), {"export": "csv"}))
        assert rows[0] == header
        assert [row[0] for row in rows[1:]] == names
        assert ["山田 花子", "ヤマダ ハナコ", "アルファ大学", "教授", "", "糖鎖工学 glycotechnology"] in rows

    def test_it_never_exports_hidden_people_or_their_hidden_organisations(self, cast, client_for):
        Affiliation.objects.filter(person=cast.researcher_a).update(is_primary=False)
        Affiliation.objects.create(person=cast.researcher_a, organisation=cast.secret_company_b, is_primary=True)
        rows = csv_rows(client_for(cast.participant).get(url("person_list"), {"export": "csv"}))
        text = repr(rows)
        assert "佐藤" not in text and "鈴木" not in text and "秘密ベータ工業" not in text
        assert {row[0] for row in rows[1:]} == {"山田 花子", "高橋 三郎"}
