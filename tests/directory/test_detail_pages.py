"""What the organisation and person pages show, and to whom."""

from __future__ import annotations

import pytest

from renkei.core.models import RecordSource
from renkei.directory import services
from renkei.directory.models import Affiliation
from tests.directory.helpers import corporate_number, organisation_form_data, url


def page(client, name, pk) -> str:
    response = client.get(url(name, pk))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
class TestOrganisationPage:
    @pytest.mark.usefixtures("english")
    def test_it_shows_the_fields_with_their_labels(self, cast, client_for):
        cast.company_a.corporate_number = corporate_number("700110005901")
        cast.company_a.employees = 1234
        cast.company_a.capital_yen = 50_000_000
        cast.company_a.save()
        html = page(client_for(cast.participant), "organisation_detail", cast.company_a.pk)
        for text in ("アルファ精密", "Alpha Precision", "Tokyo", "1,234", "¥50,000,000", "SME"):
            assert text in html
        assert cast.company_a.corporate_number in html
        assert "<dt>Name (English)</dt>" in html and "<dt>Corporate number</dt>" in html

    def test_generated_records_are_flagged_with_their_note(self, cast, client_for):
        cast.company_a.source = RecordSource.GENERATED
        cast.company_a.source_note = "demo generator v1"
        cast.company_a.save()
        html = page(client_for(cast.participant), "organisation_detail", cast.company_a.pk)
        assert "badge generated" in html
        assert "demo generator v1" in html

    def test_records_from_the_seed_documents_name_their_source(self, cast, client_for):
        cast.university_a.source = RecordSource.SEED_DOCUMENT
        cast.university_a.save()
        html = page(client_for(cast.anonymous), "organisation_detail", cast.university_a.pk)
        assert str(RecordSource.SEED_DOCUMENT.label) in html
        assert "badge generated" not in html

    def test_it_lists_only_the_people_the_reader_may_see(self, cast, client_for):
        Affiliation.objects.create(person=cast.engineer_a, organisation=cast.university_a)
        visitor = page(client_for(cast.anonymous), "organisation_detail", cast.university_a.pk)
        assert "山田 花子" in visitor and "佐藤" not in visitor
        coordinator = page(client_for(cast.coordinator_a), "organisation_detail", cast.university_a.pk)
        assert "山田 花子" in coordinator and "佐藤 一郎" in coordinator

    def test_it_links_memberships_to_their_clusters_and_shows_hq_positions(self, cast, client_for):
        html = page(client_for(cast.anonymous), "organisation_detail", cast.university_a.pk)
        assert "/programmes/clusters/cluster-a/" in html
        assert "Aクラスター" in html
        assert 'id="positions"' in html  # researcher_a is the Research Director of cluster A

    def test_promotion_organisation_shows_the_cluster_it_runs(self, cast, client_for):
        html = page(client_for(cast.participant), "organisation_detail", cast.hq_org_a.pk)
        assert "/programmes/clusters/cluster-a/" in html

    def test_edit_button_only_for_those_who_may_edit(self, cast, client_for):
        edit = url("organisation_edit", cast.company_a.pk)
        assert edit in page(client_for(cast.participant), "organisation_detail", cast.company_a.pk)
        assert edit in page(client_for(cast.hq_a), "organisation_detail", cast.company_a.pk)
        assert edit not in page(client_for(cast.coordinator_a), "organisation_detail", cast.company_a.pk)
        assert edit not in page(client_for(cast.hq_b), "organisation_detail", cast.company_a.pk)

    def test_history_is_shown_to_staff_but_not_to_other_readers(self, cast, client_for):
        assert 'id="history"' in page(client_for(cast.hq_a), "organisation_detail", cast.university_a.pk)
        assert 'id="history"' in page(client_for(cast.coordinator_a), "organisation_detail", cast.university_a.pk)
        assert 'id="history"' in page(client_for(cast.national), "organisation_detail", cast.university_a.pk)
        assert 'id="history"' not in page(client_for(cast.anonymous), "organisation_detail", cast.university_a.pk)
        assert 'id="history"' not in page(client_for(cast.hq_b), "organisation_detail", cast.university_a.pk)
        assert 'id="history"' not in page(client_for(cast.participant), "organisation_detail", cast.university_a.pk)


@pytest.mark.django_db
class TestPersonPage:
    def test_it_shows_names_keywords_and_identifiers(self, cast, client_for):
        cast.researcher_a.researchmap_id = "hanako_yamada"
        cast.researcher_a.orcid = "0000-0002-1825-0097"
        cast.researcher_a.save()
        html = page(client_for(cast.anonymous), "person_detail", cast.researcher_a.pk)
        for text in ("山田 花子", "Hanako Yamada", "ヤマダ ハナコ", "糖鎖工学", "hanako_yamada", "0000-0002-1825-0097"):
            assert text in html
        assert "アルファ大学" in html and "教授" in html  # affiliation
        assert "/programmes/clusters/cluster-a/" in html  # HQ position

    def test_contact_details_only_for_those_who_may_see_them(self, cast, client_for):
        email = "hanako@alpha-u.example"
        assert email not in page(client_for(cast.anonymous), "person_detail", cast.researcher_a.pk)
        assert email not in page(client_for(cast.hq_b), "person_detail", cast.researcher_a.pk)
        assert email in page(client_for(cast.coordinator_a), "person_detail", cast.researcher_a.pk)
        assert email in page(client_for(cast.national), "person_detail", cast.researcher_a.pk)

    def test_affiliations_at_organisations_the_reader_cannot_see_stay_hidden(self, cast, client_for):
        Affiliation.objects.create(person=cast.researcher_a, organisation=cast.secret_company_b, is_primary=False)
        assert "秘密ベータ工業" not in page(client_for(cast.participant), "person_detail", cast.researcher_a.pk)
        assert "秘密ベータ工業" in page(client_for(cast.hq_b), "person_detail", cast.researcher_a.pk)

    def test_buttons_match_what_the_user_may_change(self, cast, client_for):
        edit = url("person_edit", cast.engineer_a.pk)
        contact = url("person_contact_edit", cast.engineer_a.pk)
        add = url("affiliation_create", cast.engineer_a.pk)
        hq = page(client_for(cast.hq_a), "person_detail", cast.engineer_a.pk)
        assert edit in hq and add in hq
        coordinator = page(client_for(cast.coordinator_a), "person_detail", cast.engineer_a.pk)
        assert contact in coordinator and edit not in coordinator and add not in coordinator
        national = page(client_for(cast.national), "person_detail", cast.engineer_a.pk)
        assert edit not in national and contact not in national

    def test_history_only_for_those_who_look_after_the_person(self, cast, client_for):
        assert 'id="history"' in page(client_for(cast.coordinator_a), "person_detail", cast.researcher_a.pk)
        assert 'id="history"' in page(client_for(cast.participant), "person_detail", cast.participant_person.pk)
        assert 'id="history"' not in page(client_for(cast.anonymous), "person_detail", cast.researcher_a.pk)
        assert 'id="history"' not in page(client_for(cast.hq_b), "person_detail", cast.researcher_a.pk)


@pytest.mark.django_db
class TestHistoryShowsWhoChangedWhat:
    def test_an_edit_through_the_page_is_recorded_with_the_acting_user(self, cast, client_for):
        client = client_for(cast.hq_a)
        response = client.post(
            url("organisation_edit", cast.company_a.pk), organisation_form_data(cast.company_a, employees="77")
        )
        assert response.status_code == 302
        html = page(client, "organisation_detail", cast.company_a.pk)
        history = html[html.index('id="history"') :]
        assert "hq_a" in history
        assert "77" in history

    def test_a_contact_change_by_a_coordinator_shows_on_the_person_page(self, cast, client_for):
        services.do_update_person_contact(cast.coordinator_a, cast.engineer_a, phone="03-1234-5678")
        html = page(client_for(cast.hq_a), "person_detail", cast.engineer_a.pk)
        history = html[html.index('id="history"') :]
        assert "coordinator_a" in history and "03-1234-5678" in history
