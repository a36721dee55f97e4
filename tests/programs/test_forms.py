"""Changing programmes, clusters and a cluster's members, HQ positions and budgets through the
pages. Bad input shows a message on the field and saves nothing; a user reaching for another
cluster is refused by the view and again by the service."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from renkei.programs.models import Budget, Cluster, HQPosition, Membership, Programme
from renkei.programs.services import do_save_budget
from tests.programs.helpers import cluster_form_data, field_errors, programme_data, url


@pytest.mark.django_db
class TestMemberships:
    def test_hq_staff_add_a_member_to_their_cluster(self, cast, client_for):
        data = {"organisation": cast.public_company_b.pk, "role": "core", "start_on": "2003-04-01", "end_on": ""}
        response = client_for(cast.hq_a).post(url("membership_create", cast.cluster_a.code), data)
        assert response.status_code == 302 and response["Location"] == cast.cluster_a.get_absolute_url()
        membership = Membership.objects.get(cluster=cast.cluster_a, organisation=cast.public_company_b)
        assert membership.role == "core" and str(membership.start_on) == "2003-04-01"
        assert membership.history.get().history_user == cast.hq_a

    def test_a_membership_ending_before_it_starts_is_refused_on_the_end_field(self, cast, client_for):
        data = {
            "organisation": cast.public_company_b.pk,
            "role": "member",
            "start_on": "2005-04-01",
            "end_on": "2004-03-31",
        }
        response = client_for(cast.hq_a).post(url("membership_create", cast.cluster_a.code), data)
        field_errors(response, "end_on")
        assert not Membership.objects.filter(organisation=cast.public_company_b, cluster=cast.cluster_a).exists()

    @pytest.mark.usefixtures("english")
    def test_a_duplicate_membership_is_refused_on_the_organisation_field(self, cast, client_for):
        data = {"organisation": cast.company_a.pk, "role": "member"}
        response = client_for(cast.hq_a).post(url("membership_create", cast.cluster_a.code), data)
        assert field_errors(response, "organisation") == ["This organisation already has this role in the cluster."]
        assert Membership.objects.filter(organisation=cast.company_a, cluster=cast.cluster_a).count() == 1

    def test_the_same_organisation_may_hold_another_role(self, cast, client_for):
        data = {"organisation": cast.company_a.pk, "role": "core"}
        response = client_for(cast.hq_a).post(url("membership_create", cast.cluster_a.code), data)
        assert response.status_code == 302
        assert Membership.objects.filter(organisation=cast.company_a, cluster=cast.cluster_a).count() == 2

    def test_hq_staff_cannot_add_an_organisation_they_cannot_see(self, cast, client_for):
        data = {"organisation": cast.secret_company_b.pk, "role": "member"}
        response = client_for(cast.hq_a).post(url("membership_create", cast.cluster_a.code), data)
        field_errors(response, "organisation")
        assert not Membership.objects.filter(organisation=cast.secret_company_b, cluster=cast.cluster_a).exists()

    def test_hq_staff_edit_a_membership(self, cast, client_for):
        membership = Membership.objects.get(organisation=cast.secret_company_a)
        data = {"organisation": cast.secret_company_a.pk, "role": "supporter", "start_on": "2002-04-01", "note": "x"}
        response = client_for(cast.hq_a).post(url("membership_edit", membership.pk), data)
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.role == "supporter" and membership.note == "x"

    def test_an_edit_ending_before_it_starts_changes_nothing(self, cast, client_for):
        membership = Membership.objects.get(organisation=cast.company_a)
        data = {"organisation": cast.company_a.pk, "role": "member", "start_on": "2005-04-01", "end_on": "2001-01-01"}
        response = client_for(cast.hq_a).post(url("membership_edit", membership.pk), data)
        field_errors(response, "end_on")
        membership.refresh_from_db()
        assert membership.start_on is None and membership.end_on is None

    def test_hq_of_b_cannot_post_a_member_into_cluster_a(self, cast, client_for):
        data = {"organisation": cast.public_company_b.pk, "role": "member"}
        response = client_for(cast.hq_b).post(url("membership_create", cast.cluster_a.code), data)
        assert response.status_code == 403
        assert not Membership.objects.filter(organisation=cast.public_company_b, cluster=cast.cluster_a).exists()

    def test_hq_of_b_cannot_move_a_membership_of_a(self, cast, client_for):
        membership = Membership.objects.get(organisation=cast.company_a)
        data = {"organisation": cast.public_company_b.pk, "role": "core"}
        response = client_for(cast.hq_b).post(url("membership_edit", membership.pk), data)
        assert response.status_code == 403
        membership.refresh_from_db()
        assert membership.organisation == cast.company_a and membership.role == "member"


@pytest.mark.django_db
class TestPositions:
    def test_hq_staff_appoint_a_president(self, cast, client_for):
        data = {"person": cast.researcher_a.pk, "kind": "president", "start_on": "2002-04-01"}
        response = client_for(cast.hq_a).post(url("position_create", cast.cluster_a.code), data)
        assert response.status_code == 302
        assert HQPosition.objects.filter(cluster=cast.cluster_a, kind="president", person=cast.researcher_a).exists()

    def test_a_position_ending_before_it_starts_is_refused(self, cast, client_for):
        data = {"person": cast.researcher_a.pk, "kind": "coordinator", "start_on": "2004-04-01", "end_on": "2003-01-01"}
        response = client_for(cast.hq_a).post(url("position_create", cast.cluster_a.code), data)
        field_errors(response, "end_on")
        assert not HQPosition.objects.filter(kind="coordinator").exists()

    def test_a_person_hidden_from_the_user_cannot_be_appointed(self, cast, client_for):
        data = {"person": cast.engineer_b.pk, "kind": "coordinator"}
        response = client_for(cast.hq_a).post(url("position_create", cast.cluster_a.code), data)
        field_errors(response, "person")
        assert not HQPosition.objects.filter(person=cast.engineer_b).exists()


@pytest.mark.django_db
class TestBudgets:
    def test_hq_staff_add_a_budget(self, cast, client_for):
        data = {"fiscal_year": "2003", "source": "national", "amount_yen": "480000000", "note": ""}
        response = client_for(cast.hq_a).post(url("budget_create", cast.cluster_a.code), data)
        assert response.status_code == 302
        assert Budget.objects.get(cluster=cast.cluster_a, fiscal_year=2003).amount_yen == 480_000_000

    @pytest.mark.parametrize("year", ["1900", "2101"])
    def test_a_fiscal_year_out_of_range_is_refused(self, cast, client_for, year):
        data = {"fiscal_year": year, "source": "national", "amount_yen": "1"}
        response = client_for(cast.hq_a).post(url("budget_create", cast.cluster_a.code), data)
        assert any("1950" in str(m) for m in field_errors(response, "fiscal_year"))
        assert cast.cluster_a.budgets.count() == 1

    def test_a_negative_amount_is_refused(self, cast, client_for):
        data = {"fiscal_year": "2004", "source": "local", "amount_yen": "-5"}
        response = client_for(cast.hq_a).post(url("budget_create", cast.cluster_a.code), data)
        field_errors(response, "amount_yen")
        assert cast.cluster_a.budgets.count() == 1

    @pytest.mark.usefixtures("english")
    def test_a_second_budget_for_the_same_year_and_source_is_refused_on_the_year(self, cast, client_for):
        data = {"fiscal_year": "2002", "source": "national", "amount_yen": "1"}
        response = client_for(cast.hq_a).post(url("budget_create", cast.cluster_a.code), data)
        errors = field_errors(response, "fiscal_year")
        assert errors == ["The cluster already has a budget from this source for this fiscal year."]
        assert cast.cluster_a.budgets.get().amount_yen == 500_000_000

    def test_the_same_year_from_another_source_is_fine(self, cast, client_for):
        data = {"fiscal_year": "2002", "source": "local", "amount_yen": "100000000"}
        response = client_for(cast.hq_a).post(url("budget_create", cast.cluster_a.code), data)
        assert response.status_code == 302
        assert cast.cluster_a.budgets.count() == 2

    def test_editing_a_budget_into_a_duplicate_saves_nothing(self, cast, client_for):
        other = Budget.objects.create(cluster=cast.cluster_a, fiscal_year=2003, amount_yen=1)
        data = {"fiscal_year": "2002", "source": "national", "amount_yen": "2"}
        response = client_for(cast.hq_a).post(url("budget_edit", other.pk), data)
        field_errors(response, "fiscal_year")
        other.refresh_from_db()
        assert (other.fiscal_year, other.amount_yen) == (2003, 1)

    def test_the_service_refuses_hq_staff_of_another_cluster(self, cast):
        with pytest.raises(PermissionDenied):
            do_save_budget(cast.hq_b, Budget(cluster=cast.cluster_a, fiscal_year=2010, amount_yen=1))
        assert not Budget.objects.filter(fiscal_year=2010).exists()


@pytest.mark.django_db
class TestClusters:
    def test_hq_staff_update_their_cluster_but_not_its_programme_or_code(self, cast, client_for):
        other = Programme.objects.create(code="other", name_ja="他", name_en="Other", ministry="mext", start_fy=2002)
        data = cluster_form_data(cast.cluster_a, theme="糖鎖", programme=other.pk, code="taken", verified="on")
        response = client_for(cast.hq_a).post(url("cluster_edit", cast.cluster_a.code), data)
        assert response.status_code == 302
        cast.cluster_a.refresh_from_db()
        assert cast.cluster_a.theme == "糖鎖"
        assert (cast.cluster_a.programme, cast.cluster_a.code, cast.cluster_a.verified) == (
            cast.programme,
            "cluster-a",
            False,
        )

    def test_a_cluster_ending_before_it_starts_is_refused(self, cast, client_for):
        data = cluster_form_data(cast.cluster_a, start_fy="2005", end_fy="2001")
        response = client_for(cast.hq_a).post(url("cluster_edit", cast.cluster_a.code), data)
        field_errors(response, "end_fy")
        cast.cluster_a.refresh_from_db()
        assert (cast.cluster_a.start_fy, cast.cluster_a.end_fy) == (2001, 2005)

    def test_national_officer_adds_a_cluster(self, cast, client_for):
        template = Cluster(programme=cast.programme, code="cluster-c", name_ja="Cクラスター", name_en="Cluster C")
        data = cluster_form_data(template, prefectures=["13"], start_fy="2003")
        response = client_for(cast.national).post(url("cluster_create"), data)
        cluster = Cluster.objects.get(code="cluster-c")
        assert response.status_code == 302 and response["Location"] == cluster.get_absolute_url()
        assert [p.code for p in cluster.prefectures.all()] == ["13"]

    @pytest.mark.parametrize("code", ["new", "clusters"])
    def test_a_reserved_code_is_refused(self, cast, client_for, code):
        template = Cluster(programme=cast.programme, code=code, name_en="Shadow")
        response = client_for(cast.national).post(url("cluster_create"), cluster_form_data(template))
        field_errors(response, "code")
        assert not Cluster.objects.filter(code=code).exists()

    def test_a_cluster_needs_a_name(self, cast, client_for):
        template = Cluster(programme=cast.programme, code="nameless")
        response = client_for(cast.national).post(url("cluster_create"), cluster_form_data(template))
        field_errors(response, "name_ja")
        assert not Cluster.objects.filter(code="nameless").exists()

    def test_hq_of_b_cannot_post_changes_to_cluster_a(self, cast, client_for):
        data = cluster_form_data(cast.cluster_a, theme="taken over")
        response = client_for(cast.hq_b).post(url("cluster_edit", cast.cluster_a.code), data)
        assert response.status_code == 403
        cast.cluster_a.refresh_from_db()
        assert cast.cluster_a.theme == ""


@pytest.mark.django_db
class TestProgrammes:
    def test_national_officer_adds_and_edits_a_programme(self, cast, client_for):
        client = client_for(cast.national)
        response = client.post(url("programme_create"), programme_data())
        programme = Programme.objects.get(code="new-programme")
        assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
        response = client.post(url("programme_edit", "new-programme"), programme_data(name_en="Renamed", code="x"))
        programme.refresh_from_db()
        assert response.status_code == 302
        assert (programme.name_en, programme.code) == ("Renamed", "new-programme")

    def test_a_programme_ending_before_it_starts_is_refused(self, cast, client_for):
        response = client_for(cast.national).post(url("programme_create"), programme_data(end_fy="2001"))
        field_errors(response, "end_fy")
        assert not Programme.objects.filter(code="new-programme").exists()

    def test_a_duplicate_code_is_refused(self, cast, client_for):
        response = client_for(cast.national).post(url("programme_create"), programme_data(code="test-programme"))
        field_errors(response, "code")
        assert Programme.objects.count() == 1

    def test_hq_staff_cannot_post_a_programme(self, cast, client_for):
        response = client_for(cast.hq_a).post(url("programme_create"), programme_data())
        assert response.status_code == 403
        assert not Programme.objects.filter(code="new-programme").exists()
