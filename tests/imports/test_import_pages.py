"""The pages of imported data: regional industry statistics (filters, export, chart), grant
projects and patents (lists and details). Staff roles only; links to directory records only where
the viewer may see them."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from renkei.core.models import IndustryClass, Municipality
from renkei.core.reference import load_reference
from renkei.imports.choices import PatentRightKind, StatisticsMeasure, StatisticsSurvey
from renkei.imports.models import GrantMember, GrantProject, Patent, PatentApplicant, RegionalIndustryStatistic

pytestmark = pytest.mark.django_db

STATISTICS = "/imports/statistics/"
GRANTS = "/imports/grants/"
PATENTS = "/imports/patents/"
ACTIVITY = StatisticsSurvey.ECONOMIC_CENSUS_ACTIVITY
EMPLOYEES = StatisticsMeasure.EMPLOYEES


@pytest.fixture
def figures(cast):
    """Employees 2021 in Chiyoda (division E 500, of which major group 09 200), Chuo (E 300, 09
    secret) and Sapporo Kita (E 100); establishments 2021 and employees 2016 in Chiyoda."""
    load_reference()
    chiyoda, _ = Municipality.objects.get_or_create(
        code="131016", defaults={"prefecture_id": "13", "name_ja": "千代田区"}
    )
    chuo, _ = Municipality.objects.get_or_create(code="131024", defaults={"prefecture_id": "13", "name_ja": "中央区"})
    kita, _ = Municipality.objects.get_or_create(
        code="011029", defaults={"prefecture_id": "01", "name_ja": "札幌市北区"}
    )
    e = IndustryClass.objects.get(revision="13", code="E")
    e09 = IndustryClass.objects.get(revision="13", code="09")

    def figure(municipality, industry, value, *, year=2021, measure=EMPLOYEES, symbol=""):
        return RegionalIndustryStatistic.objects.create(
            survey=ACTIVITY,
            year=year,
            municipality=municipality,
            industry=industry,
            measure=measure,
            value=value,
            suppressed=value is None,
            symbol=symbol,
        )

    return {
        "chiyoda_e": figure(chiyoda, e, 500),
        "chiyoda_09": figure(chiyoda, e09, 200),
        "chuo_e": figure(chuo, e, 300),
        "chuo_09": figure(chuo, e09, None, symbol="X"),
        "kita_e": figure(kita, e, 100),
        "chiyoda_establishments": figure(chiyoda, e, 50, measure=StatisticsMeasure.ESTABLISHMENTS),
        "chiyoda_2016": figure(chiyoda, e, 400, year=2016),
    }


@pytest.fixture
def project(cast):
    """A grant project at Cluster B's hidden company, with a public researcher of A and a hidden
    engineer of B among its members."""
    project = GrantProject.objects.create(
        award_number="23K01234",
        title_ja="糖鎖による精密加工",
        category="基盤研究(C)",
        institution_name="秘密ベータ工業株式会社",
        institution=cast.secret_company_b,
        start_fiscal_year=2023,
        end_fiscal_year=2025,
        total_cost=4_550_000,
        keywords="糖鎖, 加工",
    )
    GrantMember.objects.create(
        project=project, sequence=1, role="研究代表者", name="山田 花子", person=cast.researcher_a
    )
    GrantMember.objects.create(project=project, sequence=2, role="研究分担者", name="鈴木 次郎", person=cast.engineer_b)
    GrantProject.objects.create(
        award_number="19H00001", title_ja="別の課題", start_fiscal_year=2019, end_fiscal_year=2021
    )
    return project


@pytest.fixture
def patent(cast):
    patent = Patent.objects.create(
        application_number="JP2021123456",
        application_number_as_published="特願2021-123456",
        title="精密加工装置",
        application_date="2021-06-01",
        applicants_text="秘密ベータ工業株式会社; ベータデバイス株式会社",
        registration_number="7000001",
        ipc="B23Q",
    )
    PatentApplicant.objects.create(
        patent=patent, sequence=1, name="秘密ベータ工業株式会社", organisation=cast.secret_company_b
    )
    PatentApplicant.objects.create(
        patent=patent, sequence=2, name="ベータデバイス株式会社", organisation=cast.public_company_b
    )
    Patent.objects.create(
        application_number="JP2019000001",
        application_number_as_published="実願2019-000001",
        kind=PatentRightKind.UTILITY_MODEL,
        title="別の考案",
        application_date="2019-02-01",
    )
    return patent


def get(client, url: str, language: str = "en"):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


# --- access -----------------------------------------------------------------------------------


def _urls(project, patent) -> list[str]:
    return [STATISTICS, GRANTS, f"{GRANTS}{project.pk}/", PATENTS, f"{PATENTS}{patent.pk}/"]


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("who", ["coordinator_a", "hq_a", "national", "admin"])
def test_staff_roles_open_every_page_in_both_languages(cast, client_for, figures, project, patent, who, language):
    client = client_for(cast.users()[who])
    for url in _urls(project, patent):
        response = get(client, url, language)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
    assert "131016" in get(client, STATISTICS, language).content.decode()
    assert "23K01234" in get(client, GRANTS, language).content.decode()
    assert "JP2021123456" in get(client, PATENTS, language).content.decode()


def test_participants_are_refused_and_visitors_sent_to_sign_in(cast, client_for, figures, project, patent):
    for url in _urls(project, patent):
        assert get(client_for(cast.participant), url).status_code == 403, url
        assert get(client_for(cast.participant), url + "?export=csv").status_code == 403, url
        response = get(client_for(None), url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_records_that_do_not_exist_are_404(cast, client_for, project, patent):
    client = client_for(cast.national)
    assert get(client, f"{GRANTS}{project.pk + 1000}/").status_code == 404
    assert get(client, f"{PATENTS}{patent.pk + 1000}/").status_code == 404


def test_the_import_pages_link_to_the_data_pages(cast, client_for):
    text = get(client_for(cast.hq_a), "/imports/new/").content.decode()
    assert all(url in text for url in (STATISTICS, GRANTS, PATENTS))


# --- regional industry statistics -----------------------------------------------------------


def _listed(client, query: str) -> list[str]:
    """The figures as the CSV export of the query has them: code, JSIC code, measure, value."""
    response = get(client, f"{STATISTICS}?{query}&export=csv&sort=code")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return [f"{r[1]} {r[3]} {r[5]} {r[8]}" for r in rows[1:]]


def test_the_statistics_filter_by_prefecture_municipality_industry_survey_year_and_measure(cast, client_for, figures):
    client = client_for(cast.coordinator_a)
    assert _listed(client, "prefecture=01") == ["2021 011029 E 100"]
    assert _listed(client, "municipality=131024") == ["2021 131024 E 300", "2021 131024 09 X"]
    assert sorted(_listed(client, "industry=09")) == ["2021 131016 09 200", "2021 131024 09 X"]
    assert len(_listed(client, "industry=E&year=2021&measure=employees")) == 5  # a division takes its major groups
    assert _listed(client, "year=2016") == ["2016 131016 E 400"]
    assert _listed(client, "measure=establishments") == ["2021 131016 E 50"]
    assert len(_listed(client, f"survey={ACTIVITY}")) == 7
    assert _listed(client, f"survey={StatisticsSurvey.ECONOMIC_CENSUS_BASIC}") == []


def test_the_statistics_export_holds_exactly_the_filtered_rows_in_csv_and_excel(cast, client_for, figures):
    client = client_for(cast.hq_a)
    response = get(client, f"{STATISTICS}?prefecture=13&year=2021&measure=employees&industry=E&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Survey", "Year")
    assert sorted((r[3], r[5], str(r[8])) for r in rows[1:]) == [
        ("131016", "09", "200"),
        ("131016", "E", "500"),
        ("131024", "09", "X"),  # no figure: the published symbol
        ("131024", "E", "300"),
    ]
    assert isinstance(rows[1][8], int) or rows[1][8] == "X"  # figures stay numbers in Excel


def test_the_chart_sums_the_broadest_industry_by_municipality_for_one_survey_year_and_measure(
    cast, client_for, figures
):
    client = client_for(cast.national)
    text = get(client, f"{STATISTICS}?survey={ACTIVITY}&year=2021&measure=employees", "ja").content.decode()
    assert 'id="statistics-chart"' in text
    # Division E only (the major group 09 is part of it): 500, 300, 100 in that order.
    chart = text[text.index('id="statistics-chart"') :]
    assert '"y":[500,300,100]' in chart.replace(" ", "")
    assert chart.index("千代田区") < chart.index("中央区") < chart.index("札幌市北区")

    text = get(client, f"{STATISTICS}?survey={ACTIVITY}&year=2021&measure=employees&industry=09").content.decode()
    assert '"y":[200]' in text.replace(" ", "")

    text = get(client, STATISTICS).content.decode()
    assert 'id="statistics-chart"' not in text
    assert "Choose one survey, year and measure" in text


def test_a_bad_statistics_filter_is_named_and_crashes_nothing(cast, client_for, figures):
    response = get(client_for(cast.national), f"{STATISTICS}?prefecture=99&year=abc&industry=ZZ")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Select a valid choice" in text and "Enter a number" in text


# --- grant projects -------------------------------------------------------------------------


def test_the_grant_list_searches_and_filters(cast, client_for, project):
    client = client_for(cast.coordinator_a)

    def awards(query: str) -> set[str]:
        text = get(client, f"{GRANTS}?{query}").content.decode()
        return {a for a in ("23K01234", "19H00001") if a in text}

    assert awards("") == {"23K01234", "19H00001"}
    assert awards("q=糖鎖") == {"23K01234"}
    assert awards("q=19H00001") == {"19H00001"}
    assert awards("category=基盤") == {"23K01234"}
    assert awards("fiscal_year=2020") == {"19H00001"}
    assert awards("fiscal_year=2024") == {"23K01234"}
    assert awards(f"person={cast.researcher_a.pk}") == {"23K01234"}


def test_filters_by_a_hidden_organisation_or_person_match_nothing(cast, client_for, project):
    def rows(user, query: str) -> int:
        response = get(client_for(user), f"{GRANTS}?{query}&export=csv")
        return len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) - 1

    assert rows(cast.hq_a, f"institution={cast.secret_company_b.pk}") == 0
    assert rows(cast.hq_a, f"person={cast.engineer_b.pk}") == 0
    assert rows(cast.hq_b, f"institution={cast.secret_company_b.pk}") == 1
    assert rows(cast.hq_b, f"person={cast.engineer_b.pk}") == 1


def test_the_grant_detail_links_only_the_records_the_viewer_may_see(cast, client_for, project):
    url = f"{GRANTS}{project.pk}/"
    text = get(client_for(cast.hq_a), url).content.decode()
    assert cast.researcher_a.get_absolute_url() in text
    assert cast.engineer_b.get_absolute_url() not in text
    assert cast.secret_company_b.get_absolute_url() not in text
    assert "Hidden Beta Works" not in text  # the directory's name is not shown, only the published one
    assert "秘密ベータ工業株式会社" in text and "鈴木 次郎" in text

    text = get(client_for(cast.hq_b), url).content.decode()
    assert cast.engineer_b.get_absolute_url() in text
    assert cast.secret_company_b.get_absolute_url() in text


def test_the_grant_export_has_the_filtered_projects(cast, client_for, project):
    response = get(client_for(cast.national), f"{GRANTS}?q=糖鎖&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Award number"
    assert rows[1:] == [
        ["23K01234", "糖鎖による精密加工", "基盤研究(C)", "秘密ベータ工業株式会社", "2023–2025", "4550000"]
    ]


# --- patents --------------------------------------------------------------------------------


def test_the_patent_list_searches_and_filters(cast, client_for, patent):
    client = client_for(cast.hq_b)

    def numbers(query: str) -> set[str]:
        text = get(client, f"{PATENTS}?{query}").content.decode()
        return {n for n in ("JP2021123456", "JP2019000001") if n in text}

    assert numbers("") == {"JP2021123456", "JP2019000001"}
    assert numbers("q=B23Q") == {"JP2021123456"}
    assert numbers("q=実願2019-000001") == {"JP2019000001"}
    assert numbers(f"kind={PatentRightKind.UTILITY_MODEL}") == {"JP2019000001"}
    assert numbers("filed_year=2021") == {"JP2021123456"}
    assert numbers("registered=true") == {"JP2021123456"}
    assert numbers("registered=false") == {"JP2019000001"}
    assert numbers(f"organisation={cast.secret_company_b.pk}") == {"JP2021123456"}
    assert (
        get(client_for(cast.hq_a), f"{PATENTS}?organisation={cast.secret_company_b.pk}")
        .content.decode()
        .count("JP2021123456")
        == 0
    )


def test_the_patent_detail_links_only_organisations_the_viewer_may_see(cast, client_for, patent):
    url = f"{PATENTS}{patent.pk}/"
    text = get(client_for(cast.hq_a), url).content.decode()
    assert cast.public_company_b.get_absolute_url() in text
    assert cast.secret_company_b.get_absolute_url() not in text
    assert "Hidden Beta Works" not in text
    assert cast.secret_company_b.get_absolute_url() in get(client_for(cast.hq_b), url).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        f"{GRANTS}?fiscal_year=99999999999999999999",
        f"{GRANTS}?institution=99999999999999999999999",
        f"{PATENTS}?filed_year=99999999999999999999",
        f"{PATENTS}?filed_year=-5",
    ],
)
def test_absurd_numbers_in_filters_are_named_and_crash_nothing(cast, client_for, figures, project, patent, url):
    response = get(client_for(cast.national), url)
    assert response.status_code == 200
    assert "Ensure this value is" in response.content.decode()


def test_an_absurd_statistics_year_matches_nothing(cast, client_for, figures):
    response = get(client_for(cast.national), f"{STATISTICS}?year=99999999999999999999")
    assert response.status_code == 200 and "131016" not in response.content.decode()


def test_the_lists_make_as_many_queries_for_many_rows_as_for_few(
    cast, client_for, figures, project, patent, django_assert_max_num_queries
):
    client = client_for(cast.national)
    counts = {}
    for url in (STATISTICS + "?survey=00200553&year=2021&measure=employees", GRANTS, PATENTS):
        with django_assert_max_num_queries(100) as few:
            get(client, url)
        counts[url] = len(few.captured_queries)
    for n in range(30):
        GrantProject.objects.create(award_number=f"24K{n:05d}", title_ja="課題")
        Patent.objects.create(application_number=f"JP2022{n:06d}", application_number_as_published="x", title="t")
    division = IndustryClass.objects.get(revision="13", code="E")
    for n, municipality in enumerate(Municipality.objects.exclude(code__in=["131016", "131024", "011029"])[:30]):
        RegionalIndustryStatistic.objects.create(
            survey=ACTIVITY, year=2021, municipality=municipality, industry=division, measure=EMPLOYEES, value=n
        )
    for url, before in counts.items():
        with django_assert_max_num_queries(before):
            get(client, url)
