"""URLs and form data shared by the programme and cluster page tests."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook


def url(name: str, *args) -> str:
    return reverse(f"programs:{name}", args=args)


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def field_errors(response, field: str) -> list[str]:
    """The messages shown on `field` of a form page that was sent back, not saved."""
    assert response.status_code == 200, "an invalid form is shown again, not redirected"
    errors = response.context["form"].errors.get(field)
    assert errors, f"expected a message on {field}, got {response.context['form'].errors!r}"
    html = response.content.decode()
    assert f'id="field-{field}"' in html
    for message in errors:
        assert str(message).replace("'", "&#x27;").replace('"', "&quot;") in html
    return errors


def cluster_form_data(cluster, **overrides) -> dict:
    """POST data that keeps a cluster as it is, except for `overrides`."""
    data = {
        "programme": cluster.programme_id,
        "code": cluster.code,
        "name_ja": cluster.name_ja,
        "name_en": cluster.name_en,
        "region_label": cluster.region_label,
        "bureau_region": cluster.bureau_region_id or "",
        "prefectures": [p.pk for p in cluster.prefectures.all()] if cluster.pk else [],
        "fields": [f.pk for f in cluster.fields.all()] if cluster.pk else [],
        "theme": cluster.theme,
        "promotion_organisation": cluster.promotion_organisation_id or "",
        "start_fy": cluster.start_fy or "",
        "end_fy": cluster.end_fy or "",
        "description_ja": cluster.description_ja,
        "description_en": cluster.description_en,
        "website": cluster.website,
        "source": cluster.source,
        "source_note": cluster.source_note,
    }
    if cluster.is_trial:
        data["is_trial"] = "on"
    if cluster.verified:
        data["verified"] = "on"
    data.update(overrides)
    return data


def programme_data(**overrides) -> dict:
    data = {
        "code": "new-programme",
        "name_ja": "新事業",
        "name_en": "New Programme",
        "ministry": "mext",
        "phase": "I",
        "start_fy": "2002",
        "end_fy": "2006",
        "description_ja": "",
        "description_en": "",
        "source_note": "",
    }
    data.update(overrides)
    return data
