"""The visibility rules of the directory, checked through the access helpers."""

from __future__ import annotations

import pytest

from renkei.directory import access


def names(qs) -> set[str]:
    return {o.name_en for o in qs}


@pytest.mark.django_db
class TestOrganisationVisibility:
    def test_anonymous_sees_only_published_organisations(self, cast):
        assert names(access.visible_organisations(cast.anonymous)) == {"Alpha University", "Beta Devices"}

    def test_participant_sees_members_level_but_not_restricted(self, cast):
        seen = names(access.visible_organisations(cast.participant))
        assert {"Alpha Precision", "Alpha University", "Cluster A Promotion Council"} <= seen
        assert "Hidden Alpha Works" not in seen and "Hidden Beta Works" not in seen

    def test_coordinator_sees_own_cluster_restricted_but_not_other(self, cast):
        seen = names(access.visible_organisations(cast.coordinator_a))
        assert "Hidden Alpha Works" in seen
        assert "Hidden Beta Works" not in seen

    def test_national_officer_sees_everything(self, cast):
        assert "Hidden Beta Works" in names(access.visible_organisations(cast.national))

    def test_hq_edits_only_own_cluster_members(self, cast):
        assert access.can_edit_organisation(cast.hq_a, cast.secret_company_a)
        assert not access.can_edit_organisation(cast.hq_a, cast.secret_company_b)
        assert not access.can_edit_organisation(cast.coordinator_a, cast.company_a)
        assert not access.can_edit_organisation(cast.national, cast.company_a)

    def test_participant_edits_only_own_organisation(self, cast):
        assert access.can_edit_organisation(cast.participant, cast.company_a)
        assert not access.can_edit_organisation(cast.participant, cast.university_a)


@pytest.mark.django_db
class TestPersonVisibility:
    def test_anonymous_sees_only_consenting_public_people(self, cast):
        assert {p.family_name_en for p in access.visible_people(cast.anonymous)} == {"Yamada"}

    def test_coordinator_edits_contacts_of_own_cluster_only(self, cast):
        assert access.can_edit_person_contact(cast.coordinator_a, cast.engineer_a)
        assert not access.can_edit_person_contact(cast.coordinator_a, cast.engineer_b)
        assert not access.can_edit_person(cast.coordinator_a, cast.engineer_a)

    def test_participant_edits_self_but_not_strangers(self, cast):
        assert access.can_edit_person(cast.participant, cast.participant_person)
        assert not access.can_edit_person(cast.participant, cast.engineer_a)

    def test_contact_details_hidden_from_visitors(self, cast):
        assert not access.can_see_contact(cast.anonymous, cast.researcher_a)
        assert access.can_see_contact(cast.coordinator_a, cast.engineer_a)
        assert not access.can_see_contact(cast.hq_b, cast.engineer_a)
