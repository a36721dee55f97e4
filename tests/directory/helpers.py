"""Form data and URLs shared by the directory page tests."""

from __future__ import annotations

from django.urls import reverse

from renkei.core.validators import corporate_number_check_digit


def url(name: str, *args) -> str:
    return reverse(f"directory:{name}", args=args)


def corporate_number(base12: str) -> str:
    """A valid 13-digit corporate number built from a 12-digit base."""
    return f"{corporate_number_check_digit(base12)}{base12}"


def organisation_data(**overrides) -> dict:
    """POST data of a complete, valid organisation form."""
    data = {
        "kind": "sme",
        "name_ja": "テスト精工",
        "name_en": "Test Seiko",
        "name_kana": "テストセイコウ",
        "corporate_number": "",
        "postal_code": "100-0001",
        "address": "千代田1-1",
        "prefecture": "13",
        "municipality": "",
        "industry": "",
        "employees": "42",
        "capital_yen": "10000000",
        "founded_on": "1990-04-01",
        "website": "",
        "capability": "精密加工",
        "visibility": "members",
    }
    data.update(overrides)
    return data


def organisation_form_data(organisation, **overrides) -> dict:
    """POST data that keeps an existing organisation as it is, except for `overrides`."""
    data = {
        "kind": organisation.kind,
        "name_ja": organisation.name_ja,
        "name_en": organisation.name_en,
        "name_kana": organisation.name_kana,
        "corporate_number": organisation.corporate_number or "",
        "postal_code": organisation.postal_code,
        "address": organisation.address,
        "prefecture": organisation.prefecture_id or "",
        "municipality": organisation.municipality_id or "",
        "industry": organisation.industry_id or "",
        "fields": [f.pk for f in organisation.fields.all()],
        "employees": organisation.employees if organisation.employees is not None else "",
        "capital_yen": organisation.capital_yen if organisation.capital_yen is not None else "",
        "founded_on": organisation.founded_on.isoformat() if organisation.founded_on else "",
        "website": organisation.website,
        "capability": organisation.capability,
        "visibility": organisation.visibility,
    }
    data.update(overrides)
    return data


def person_form_data(person, **overrides) -> dict:
    data = {
        name: getattr(person, name)
        for name in (
            "family_name_ja",
            "given_name_ja",
            "family_name_kana",
            "given_name_kana",
            "family_name_en",
            "given_name_en",
            "email",
            "phone",
            "research_keywords",
            "researchmap_id",
            "orcid",
            "visibility",
        )
    }
    if person.consent_to_publish:
        data["consent_to_publish"] = "on"
    data["fields"] = [f.pk for f in person.fields.all()] if person.pk else []
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
