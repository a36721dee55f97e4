"""The organisation and people lists: search in Japanese, English and kana, filters, sort,
pagination, rows limited to what the reader may see, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core.models import RecordSource, TechField
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.programs.models import Membership
from tests.directory.helpers import url


def listed(client, name: str, **params) -> list[str]:
    """The record names in the list's first column, in order."""
    response = client.get(url(name), params)
    assert response.status_code == 200
    return [str(cells[0]["value"]) for _, cells in response.context["rows"]]


@pytest.fixture
def kana_cast(cast):
    cast.company_a.name_kana = "アルファセイミツ"
    cast.company_a.save()
    return cast


@pytest.mark.django_db
class TestOrganisationSearch:
    @pytest.mark.parametrize(
        "query",
        [
            "アルファ精密",
            "alpha precision",
            "ALPHA",
            "あるふぁせいみつ",
            "アルファセイミツ",
            "ｱﾙﾌｧｾｲﾐﾂ",
            "ＡＬＰＨＡ　ＰＲＥＣＩＳＩＯＮ",
        ],
    )
    def test_it_finds_by_japanese_english_and_kana_in_any_script_or_width(self, kana_cast, client_for, query):
        assert "アルファ精密" in listed(client_for(kana_cast.participant), "organisation_list", q=query)

    def test_every_word_must_match(self, cast, client_for):
        assert listed(client_for(cast.participant), "organisation_list", q="alpha university") == ["アルファ大学"]

    def test_search_never_reaches_records_the_reader_cannot_see(self, cast, client_for):
        assert listed(client_for(cast.participant), "organisation_list", q="hidden") == []
        assert listed(client_for(cast.coordinator_a), "organisation_list", q="hidden") == ["秘密アルファ工業"]


@pytest.mark.django_db
class TestOrganisationRows:
    def test_each_role_lists_what_it_may_see(self, cast, client_for):
        assert set(listed(client_for(cast.anonymous), "organisation_list")) == {"アルファ大学", "ベータデバイス"}
        participant = set(listed(client_for(cast.participant), "organisation_list"))
        assert "アルファ精密" in participant and "秘密アルファ工業" not in participant
        assert len(listed(client_for(cast.national), "organisation_list")) == 6

    def test_generated_records_carry_a_badge(self, cast, client_for):
        cast.university_a.source = RecordSource.GENERATED
        cast.university_a.save()
        response = client_for(cast.anonymous).get(url("organisation_list"))
        badges = {str(cells[0]["value"]): cells[0]["badge"] for _, cells in response.context["rows"]}
        assert badges["アルファ大学"] and not badges["ベータデバイス"]

    def test_columns_show_kind_prefecture_fields_employees_and_clusters(self, cast, client_for):
        cast.university_a.employees = 3000
        cast.university_a.save()
        cast.university_a.fields.add(TechField.objects.get(code="life-science"))
        response = client_for(cast.anonymous).get(url("organisation_list"), {"q": "alpha university"})
        ((_, cells),) = response.context["rows"]
        values = {col.key: cell["value"] for col, cell in zip(response.context["columns"], cells, strict=True)}
        assert values["kind"] == "大学" == OrganisationKind.UNIVERSITY.label
        assert values["prefecture"] == "東京都"
        assert values["fields"] == "ライフサイエンス"
        assert values["employees"] == 3000
        assert values["clusters"] == "Aクラスター"


@pytest.mark.django_db
class TestOrganisationFilters:
    def test_by_kind(self, cast, client_for):
        assert listed(client_for(cast.national), "organisation_list", kind="university") == ["アルファ大学"]

    def test_by_cluster(self, cast, client_for):
        names = listed(client_for(cast.national), "organisation_list", cluster="cluster-b")
        assert set(names) == {"秘密ベータ工業", "ベータデバイス"}

    def test_by_cluster_stays_within_what_the_reader_may_see(self, cast, client_for):
        assert listed(client_for(cast.participant), "organisation_list", cluster="cluster-b") == ["ベータデバイス"]

    def test_by_field_and_prefecture(self, cast, client_for):
        cast.company_a.fields.add(TechField.objects.get(code="life-science"))
        client = client_for(cast.participant)
        assert listed(client, "organisation_list", field="life-science") == ["アルファ精密"]
        assert len(listed(client, "organisation_list", prefecture="13")) == 4

    def test_by_source(self, cast, client_for):
        cast.public_company_b.source = RecordSource.GENERATED
        cast.public_company_b.save()
        assert listed(client_for(cast.anonymous), "organisation_list", source="generated") == ["ベータデバイス"]

    def test_a_bad_filter_value_does_not_break_the_page(self, cast, client_for):
        response = client_for(cast.anonymous).get(url("organisation_list"), {"cluster": "no-such", "page": "x"})
        assert response.status_code == 200


@pytest.mark.django_db
class TestOrganisationSort:
    def test_by_employees_both_ways(self, cast, client_for):
        for organisation, employees in ((cast.university_a, 3000), (cast.public_company_b, 40)):
            organisation.employees = employees
            organisation.save()
        client = client_for(cast.anonymous)
        assert listed(client, "organisation_list", sort="employees") == ["ベータデバイス", "アルファ大学"]
        assert listed(client, "organisation_list", sort="-employees") == ["アルファ大学", "ベータデバイス"]

    def test_by_name_uses_the_reading_in_japanese(self, cast, client_for):
        cast.university_a.name_kana = "ん"  # sorts after every other reading
        cast.university_a.save()
        cast.public_company_b.name_kana = "あ"
        cast.public_company_b.save()
        assert listed(client_for(cast.anonymous), "organisation_list") == ["ベータデバイス", "アルファ大学"]
        assert listed(client_for(cast.anonymous), "organisation_list", sort="-name") == [
            "アルファ大学",
            "ベータデバイス",
        ]

    def test_by_kind_and_prefecture(self, cast, client_for):
        client = client_for(cast.anonymous)
        assert listed(client, "organisation_list", sort="kind") == [
            "ベータデバイス",
            "アルファ大学",
        ]  # sme < university
        assert len(listed(client, "organisation_list", sort="prefecture")) == 2

    def test_an_unknown_sort_key_is_ignored(self, cast, client_for):
        assert len(listed(client_for(cast.anonymous), "organisation_list", sort="password")) == 2


def _bulk_organisations(cast, count: int, start: int = 0) -> None:
    field = TechField.objects.get(code="life-science")
    for i in range(start, start + count):
        organisation = Organisation.objects.create(
            kind="sme",
            name_ja=f"一括{i:03}",
            name_en=f"Bulk {i:03}",
            name_kana=f"いっかつ{i:03}",
            prefecture_id="13",
            visibility="members",
        )
        organisation.fields.add(field)
        Membership.objects.create(cluster=cast.cluster_a, organisation=organisation)
        person = Person.objects.create(
            family_name_ja=f"社員{i:03}", family_name_en=f"Staff{i:03}", visibility="members"
        )
        person.fields.add(field)
        Affiliation.objects.create(person=person, organisation=organisation, title_ja="部長")


@pytest.mark.django_db
class TestPagination:
    def test_pages_split_the_filtered_rows(self, cast, client_for):
        _bulk_organisations(cast, 60)
        client = client_for(cast.participant)
        first = listed(client, "organisation_list", q="bulk", per_page=25)
        third = listed(client, "organisation_list", q="bulk", per_page=25, page=3)
        assert first[0] == "一括000" and len(first) == 25
        assert third == [f"一括{i:03}" for i in range(50, 60)]

    def test_default_page_holds_fifty(self, cast, client_for):
        _bulk_organisations(cast, 60)
        response = client_for(cast.participant).get(url("organisation_list"), {"q": "bulk"})
        assert len(response.context["rows"]) == 50
        assert response.context["page"].paginator.num_pages == 2
        assert 'rel="next"' in response.content.decode()


@pytest.mark.django_db
class TestQueryCounts:
    """A page of 50 rows costs as many queries as a page of 5: no query per row."""

    @pytest.mark.parametrize("name", ["organisation_list", "person_list"])
    @pytest.mark.parametrize("role", ["participant", "hq_a", "national"])
    def test_queries_do_not_grow_with_rows(self, cast, client_for, name, role):
        client = client_for(getattr(cast, role))
        _bulk_organisations(cast, 5)
        with CaptureQueriesContext(connection) as few:
            assert len(client.get(url(name), {"q": "bulk"} if name == "organisation_list" else {}).context["rows"])
        _bulk_organisations(cast, 50, start=5)
        with CaptureQueriesContext(connection) as many:
            response = client.get(url(name), {"q": "bulk"} if name == "organisation_list" else {})
        assert len(response.context["rows"]) == 50
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
class TestPersonList:
    @pytest.mark.parametrize("query", ["山田", "yamada", "Hanako Yamada", "やまだ", "ヤマダ", "ﾔﾏﾀﾞ ﾊﾅｺ", "糖鎖"])
    def test_it_finds_by_japanese_english_kana_and_keywords(self, cast, client_for, query):
        assert listed(client_for(cast.anonymous), "person_list", q=query) == ["山田 花子"]

    def test_each_role_lists_what_it_may_see(self, cast, client_for):
        assert listed(client_for(cast.anonymous), "person_list") == ["山田 花子"]
        participant = set(listed(client_for(cast.participant), "person_list"))
        assert participant == {"山田 花子", "高橋 三郎"}
        assert "佐藤 一郎" in listed(client_for(cast.coordinator_a), "person_list")
        assert "鈴木 次郎" not in listed(client_for(cast.coordinator_a), "person_list")

    def test_columns_show_kana_organisation_title_fields_and_keywords(self, cast, client_for):
        cast.researcher_a.fields.add(TechField.objects.get(code="life-science"))
        response = client_for(cast.anonymous).get(url("person_list"))
        ((_, cells),) = response.context["rows"]
        values = {col.key: cell["value"] for col, cell in zip(response.context["columns"], cells, strict=True)}
        assert values == {
            "name": "山田 花子",
            "kana": "ヤマダ ハナコ",
            "organisation": "アルファ大学",
            "title": "教授",
            "fields": "ライフサイエンス",
            "keywords": "糖鎖工学 glycotechnology",
        }

    def test_the_organisation_column_never_names_an_organisation_the_reader_cannot_see(self, cast, client_for):
        Affiliation.objects.filter(person=cast.researcher_a).update(is_primary=False)
        Affiliation.objects.create(person=cast.researcher_a, organisation=cast.secret_company_b, is_primary=True)
        assert "秘密ベータ工業" not in client_for(cast.participant).get(url("person_list")).content.decode()
        response = client_for(cast.hq_b).get(url("person_list"), {"q": "yamada"})
        assert response.context["rows"][0][1][2]["value"] == "秘密ベータ工業"

    def test_filter_by_organisation_and_cluster(self, cast, client_for):
        client = client_for(cast.national)
        assert listed(client, "person_list", organisation=cast.secret_company_b.pk) == ["鈴木 次郎"]
        assert set(listed(client, "person_list", cluster="cluster-a")) == {"山田 花子", "佐藤 一郎", "高橋 三郎"}

    def test_sort_by_kana(self, cast, client_for):
        cast.participant_person.family_name_kana = "タカハシ"
        cast.participant_person.save()
        client = client_for(cast.participant)
        assert listed(client, "person_list", sort="kana") == ["高橋 三郎", "山田 花子"]
        assert listed(client, "person_list", sort="-kana") == ["山田 花子", "高橋 三郎"]

    def test_a_person_with_two_affiliations_is_listed_once(self, cast, client_for):
        Affiliation.objects.create(person=cast.researcher_a, organisation=cast.company_a, is_primary=False)
        assert listed(client_for(cast.national), "person_list", cluster="cluster-a").count("山田 花子") == 1


@pytest.mark.django_db
def test_htmx_requests_get_only_the_table(cast, client_for):
    response = client_for(cast.anonymous).get(url("organisation_list"), {"q": "alpha"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "アルファ大学" in html


@pytest.mark.django_db
def test_add_button_only_for_those_who_may_create(cast, client_for):
    create = url("organisation_create")
    assert create in client_for(cast.hq_a).get(url("organisation_list")).content.decode()
    assert create not in client_for(cast.participant).get(url("organisation_list")).content.decode()
    assert url("person_create") in client_for(cast.participant).get(url("person_list")).content.decode()
    assert url("person_create") not in client_for(cast.anonymous).get(url("person_list")).content.decode()
