"""Adding and changing organisations, people and affiliations through the pages. Bad input
shows a message on the field and saves nothing; permissions are checked by the view and again
by the service."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from renkei.core.models import BureauRegion, IndustryClass, Municipality, Prefecture, TechField
from renkei.directory.forms import OrganisationForm, attach_errors
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.programs.models import Membership
from renkei.programs.services import do_create_member_organisation
from tests.directory.helpers import (
    corporate_number,
    organisation_data,
    organisation_form_data,
    person_form_data,
    url,
)

VALID_CORPORATE_NUMBER = corporate_number("700110005901")


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == 200, "an invalid form is shown again, not redirected"
    errors = response.context["form"].errors.get(field)
    assert errors, f"expected a message on {field}, got {response.context['form'].errors!r}"
    html = response.content.decode()
    assert f'id="field-{field}"' in html
    for message in errors:
        assert str(message).replace("'", "&#x27;").replace('"', "&quot;") in html
    return errors


@pytest.fixture
def places(cast):
    region = BureauRegion.objects.create(code="kinki", name_ja="近畿", name_en="Kinki", sort_order=6)
    osaka = Prefecture.objects.create(code="27", name_ja="大阪府", name_en="Osaka", region=region)
    chiyoda = Municipality.objects.create(code="131016", prefecture_id="13", name_ja="千代田区", name_en="Chiyoda")
    osaka_city = Municipality.objects.create(code="271004", prefecture=osaka, name_ja="大阪市", name_en="Osaka")
    merged = Municipality.objects.create(
        code="131024", prefecture_id="13", name_ja="旧中央区", valid_until="2000-01-01"
    )
    return {"osaka": osaka, "chiyoda": chiyoda, "osaka_city": osaka_city, "merged": merged}


@pytest.mark.django_db
class TestCreateOrganisation:
    def test_hq_staff_add_an_organisation_to_their_cluster(self, cast, client_for, places):
        client = client_for(cast.hq_a)
        field = TechField.objects.get(code="life-science")
        industry = IndustryClass.objects.create(code="E", level="division", name_ja="製造業", name_en="Manufacturing")
        data = organisation_data(
            cluster=cast.cluster_a.pk,
            corporate_number=VALID_CORPORATE_NUMBER,
            municipality="131016",
            industry=industry.pk,
            fields=[field.pk],
            visibility="restricted",
        )
        response = client.post(url("organisation_create"), data)
        organisation = Organisation.objects.get(name_en="Test Seiko")
        assert response.status_code == 302 and response["Location"] == organisation.get_absolute_url()
        assert Membership.objects.filter(cluster=cast.cluster_a, organisation=organisation).exists()
        assert list(organisation.fields.all()) == [field]
        assert organisation.municipality_id == "131016" and organisation.industry == industry
        assert organisation.history.get().history_user == cast.hq_a
        # Restricted, but a member of their cluster: they see it and may keep editing it.
        assert client.get(url("organisation_edit", organisation.pk)).status_code == 200

    def test_the_cluster_is_required_for_hq_staff(self, cast, client_for):
        response = client_for(cast.hq_a).post(url("organisation_create"), organisation_data())
        field_errors(response, "cluster")
        assert not Organisation.objects.filter(name_en="Test Seiko").exists()

    def test_hq_staff_cannot_pick_another_cluster(self, cast, client_for):
        response = client_for(cast.hq_a).post(url("organisation_create"), organisation_data(cluster=cast.cluster_b.pk))
        field_errors(response, "cluster")
        assert not Organisation.objects.filter(name_en="Test Seiko").exists()

    def test_the_form_offers_only_the_users_clusters(self, cast, client_for):
        form = client_for(cast.hq_b).get(url("organisation_create")).context["form"]
        assert list(form.fields["cluster"].queryset) == [cast.cluster_b]

    def test_an_administrator_may_add_one_without_a_cluster(self, cast, client_for):
        response = client_for(cast.admin).post(url("organisation_create"), organisation_data())
        assert response.status_code == 302
        organisation = Organisation.objects.get(name_en="Test Seiko")
        assert not organisation.memberships.exists()

    def test_participants_may_not_post_a_new_organisation(self, cast, client_for):
        response = client_for(cast.participant).post(url("organisation_create"), organisation_data())
        assert response.status_code == 403
        assert not Organisation.objects.filter(name_en="Test Seiko").exists()

    def test_visitors_are_sent_to_sign_in(self, cast, client):
        response = client.post(url("organisation_create"), organisation_data())
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert not Organisation.objects.filter(name_en="Test Seiko").exists()


@pytest.mark.django_db
class TestCreateMemberOrganisationService:
    def test_it_writes_both_rows_or_neither(self, cast):
        organisation = Organisation(kind="sme", name_en="Both Or Neither")
        with pytest.raises(PermissionDenied):
            do_create_member_organisation(cast.hq_b, organisation, cast.cluster_a)
        assert not Organisation.objects.filter(name_en="Both Or Neither").exists()

    def test_a_national_officer_may_not_create_organisations_even_with_a_cluster(self, cast):
        with pytest.raises(PermissionDenied):
            do_create_member_organisation(cast.national, Organisation(kind="sme", name_en="X"), cast.cluster_a)
        assert not Organisation.objects.filter(name_en="X").exists()

    def test_invalid_organisation_leaves_no_membership(self, cast):
        with pytest.raises(ValidationError):
            do_create_member_organisation(cast.hq_a, Organisation(kind="sme"), cast.cluster_a)
        assert Membership.objects.filter(cluster=cast.cluster_a).count() == 3


@pytest.mark.django_db
class TestOrganisationInvalidInput:
    """Each case: a clear message on the field, and nothing saved."""

    def post_edit(self, cast, client_for, **changes):
        before = Organisation.history.count()
        response = client_for(cast.hq_a).post(
            url("organisation_edit", cast.company_a.pk), organisation_form_data(cast.company_a, **changes)
        )
        assert Organisation.history.count() == before, "nothing may be saved"
        return response

    @pytest.mark.usefixtures("english")
    def test_bad_check_digit(self, cast, client_for):
        wrong = ("1" if VALID_CORPORATE_NUMBER[0] != "1" else "2") + VALID_CORPORATE_NUMBER[1:]
        errors = field_errors(self.post_edit(cast, client_for, corporate_number=wrong), "corporate_number")
        assert "check digit" in errors[0]
        cast.company_a.refresh_from_db()
        assert cast.company_a.corporate_number is None

    @pytest.mark.parametrize("value", ["12345", "12345678901234", "123456789012a", "１２３４５６７８９０１２３"])
    def test_corporate_number_must_have_13_digits(self, cast, client_for, value):
        errors = field_errors(self.post_edit(cast, client_for, corporate_number=value), "corporate_number")
        assert any("13" in str(e) for e in errors)

    def test_duplicate_corporate_number(self, cast, client_for):
        cast.university_a.corporate_number = VALID_CORPORATE_NUMBER
        cast.university_a.save()
        response = self.post_edit(cast, client_for, corporate_number=VALID_CORPORATE_NUMBER)
        field_errors(response, "corporate_number")
        assert Organisation.objects.filter(corporate_number=VALID_CORPORATE_NUMBER).count() == 1

    def test_duplicate_corporate_number_on_create(self, cast, client_for):
        cast.university_a.corporate_number = VALID_CORPORATE_NUMBER
        cast.university_a.save()
        response = client_for(cast.hq_a).post(
            url("organisation_create"),
            organisation_data(cluster=cast.cluster_a.pk, corporate_number=VALID_CORPORATE_NUMBER),
        )
        field_errors(response, "corporate_number")
        assert not Organisation.objects.filter(name_en="Test Seiko").exists()

    @pytest.mark.usefixtures("english")
    def test_municipality_outside_the_chosen_prefecture(self, cast, client_for, places):
        response = self.post_edit(cast, client_for, prefecture="13", municipality="271004")
        errors = field_errors(response, "municipality")
        assert "prefecture" in str(errors[0])

    def test_a_merged_municipality_is_not_offered(self, cast, client_for, places):
        response = self.post_edit(cast, client_for, municipality="131024")
        field_errors(response, "municipality")

    @pytest.mark.usefixtures("english")
    def test_no_name_at_all(self, cast, client_for):
        errors = field_errors(self.post_edit(cast, client_for, name_ja="", name_en=""), "name_ja")
        assert "name" in str(errors[0])

    def test_bad_postal_code_and_negative_capital(self, cast, client_for):
        response = self.post_edit(cast, client_for, postal_code="12-34", capital_yen="-5")
        field_errors(response, "postal_code")
        field_errors(response, "capital_yen")


@pytest.mark.django_db
class TestEditOrganisation:
    def test_participants_edit_their_own_organisation(self, cast, client_for):
        response = client_for(cast.participant).post(
            url("organisation_edit", cast.company_a.pk),
            organisation_form_data(cast.company_a, capability="五軸加工", corporate_number=VALID_CORPORATE_NUMBER),
        )
        assert response.status_code == 302
        cast.company_a.refresh_from_db()
        assert cast.company_a.capability == "五軸加工"
        assert cast.company_a.history.first().history_user == cast.participant

    def test_hq_staff_cannot_edit_an_organisation_outside_their_clusters(self, cast, client_for):
        outsider = Organisation.objects.create(kind="sme", name_en="Outsider", visibility="members")
        client = client_for(cast.hq_a)
        assert client.get(url("organisation_edit", outsider.pk)).status_code == 403
        response = client.post(url("organisation_edit", outsider.pk), organisation_form_data(outsider, name_en="Mine"))
        assert response.status_code == 403
        outsider.refresh_from_db()
        assert outsider.name_en == "Outsider"

    def test_editing_keeps_an_existing_merged_municipality(self, cast, client_for, places):
        cast.company_a.municipality = places["merged"]
        cast.company_a.save()
        form = OrganisationForm(instance=cast.company_a, user=cast.hq_a)
        assert places["merged"] in form.fields["municipality"].queryset
        assert "東京都 旧中央区" in dict(form.fields["municipality"].choices).values()

    def test_industries_are_offered_as_jsic_code_and_name(self, cast):
        IndustryClass.objects.create(code="E", level="division", name_ja="製造業", name_en="Manufacturing")
        form = OrganisationForm(user=cast.admin)
        assert "E 製造業" in dict(form.fields["industry"].choices).values()


@pytest.mark.django_db
class TestPersonForms:
    def test_participants_edit_their_own_record(self, cast, client_for):
        data = person_form_data(cast.participant_person, research_keywords="精密測定", phone="03-0000-1111")
        response = client_for(cast.participant).post(url("person_edit", cast.participant_person.pk), data)
        assert response.status_code == 302
        cast.participant_person.refresh_from_db()
        assert cast.participant_person.research_keywords == "精密測定"
        assert cast.participant_person.history.first().history_user == cast.participant

    def test_malformed_email(self, cast, client_for):
        data = person_form_data(cast.participant_person, email="not-an-address")
        response = client_for(cast.participant).post(url("person_edit", cast.participant_person.pk), data)
        field_errors(response, "email")
        cast.participant_person.refresh_from_db()
        assert cast.participant_person.email == "takahashi@alpha.example"

    @pytest.mark.usefixtures("english")
    def test_public_without_consent(self, cast, client_for):
        data = person_form_data(cast.participant_person, visibility="public")
        response = client_for(cast.participant).post(url("person_edit", cast.participant_person.pk), data)
        errors = field_errors(response, "visibility")
        assert "consent" in str(errors[0])
        cast.participant_person.refresh_from_db()
        assert cast.participant_person.visibility == "members"

    def test_public_with_consent_is_accepted(self, cast, client_for):
        data = person_form_data(cast.participant_person, visibility="public", consent_to_publish="on")
        response = client_for(cast.participant).post(url("person_edit", cast.participant_person.pk), data)
        assert response.status_code == 302
        cast.participant_person.refresh_from_db()
        assert cast.participant_person.visibility == "public"

    def test_no_name_at_all(self, cast, client_for):
        data = person_form_data(cast.engineer_a, family_name_ja="", family_name_en="", given_name_ja="")
        response = client_for(cast.hq_a).post(url("person_edit", cast.engineer_a.pk), data)
        field_errors(response, "family_name_ja")
        cast.engineer_a.refresh_from_db()
        assert cast.engineer_a.family_name_ja == "佐藤"

    def test_an_administrator_adds_a_person_with_their_first_affiliation(self, cast, client_for):
        data = {
            "family_name_ja": "伊藤",
            "family_name_en": "Ito",
            "visibility": "members",
            "organisation": cast.company_a.pk,
            "title_ja": "主任研究員",
        }
        response = client_for(cast.admin).post(url("person_create"), data)
        person = Person.objects.get(family_name_en="Ito")
        assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
        affiliation = person.affiliations.get()
        assert affiliation.organisation == cast.company_a and affiliation.title_ja == "主任研究員"

    def test_adding_a_person_without_a_name_saves_nothing(self, cast, client_for):
        response = client_for(cast.admin).post(
            url("person_create"), {"visibility": "members", "organisation": cast.company_a.pk, "given_name_en": "Ken"}
        )
        field_errors(response, "family_name_ja")
        assert not Person.objects.filter(given_name_en="Ken").exists()

    def test_the_organisation_choices_are_the_ones_the_user_looks_after(self, cast, client_for):
        form = client_for(cast.participant).get(url("person_create")).context["form"]
        assert list(form.fields["organisation"].queryset) == [cast.company_a]

    @pytest.mark.parametrize("role", ["hq_a", "participant"])
    def test_hq_staff_and_participants_add_a_colleague(self, cast, client_for, role):
        data = {
            "family_name_ja": "伊藤",
            "family_name_en": "Ito",
            "visibility": "members",
            "organisation": cast.company_a.pk,
        }
        response = client_for(getattr(cast, role)).post(url("person_create"), data)
        assert response.status_code == 302
        assert Person.objects.get(family_name_en="Ito").affiliations.get().organisation == cast.company_a

    @pytest.mark.parametrize("role", ["hq_a", "participant"])
    def test_a_refused_person_creation_leaves_nothing_behind(self, cast, client_for, role):
        data = {
            "family_name_ja": "伊藤",
            "family_name_en": "Ito",
            "visibility": "members",
            "organisation": cast.company_a.pk,
        }
        client_for(getattr(cast, role)).post(url("person_create"), data)
        person = Person.objects.filter(family_name_en="Ito").first()
        assert person is None or person.affiliations.exists()


@pytest.mark.django_db
class TestContactForm:
    def test_coordinators_change_only_email_and_phone(self, cast, client_for):
        data = {"email": "ichiro.sato@hidden-alpha.example", "phone": "03-1111-2222", "family_name_en": "Hacked"}
        response = client_for(cast.coordinator_a).post(url("person_contact_edit", cast.engineer_a.pk), data)
        assert response.status_code == 302
        cast.engineer_a.refresh_from_db()
        assert (cast.engineer_a.email, cast.engineer_a.phone) == ("ichiro.sato@hidden-alpha.example", "03-1111-2222")
        assert cast.engineer_a.family_name_en == "Sato"
        assert cast.engineer_a.history.first().history_user == cast.coordinator_a

    def test_malformed_email(self, cast, client_for):
        response = client_for(cast.coordinator_a).post(
            url("person_contact_edit", cast.engineer_a.pk), {"email": "sato@", "phone": ""}
        )
        field_errors(response, "email")
        cast.engineer_a.refresh_from_db()
        assert cast.engineer_a.email == "sato@hidden-alpha.example"

    def test_coordinators_of_another_cluster_are_refused(self, cast, client_for):
        response = client_for(cast.coordinator_a).post(
            url("person_contact_edit", cast.engineer_b.pk), {"email": "x@example.com", "phone": ""}
        )
        assert response.status_code == 404
        cast.engineer_b.refresh_from_db()
        assert cast.engineer_b.email == "suzuki@hidden-beta.example"


@pytest.mark.django_db
class TestAffiliationForms:
    def test_hq_staff_add_edit_and_remove_an_affiliation(self, cast, client_for):
        client = client_for(cast.hq_a)
        response = client.post(
            url("affiliation_create", cast.engineer_a.pk),
            {"organisation": cast.company_a.pk, "title_ja": "顧問", "start_on": "2004-04-01"},
        )
        assert response.status_code == 302
        affiliation = cast.engineer_a.affiliations.get(organisation=cast.company_a)
        assert affiliation.title_ja == "顧問" and affiliation.history.get().history_user == cast.hq_a

        response = client.post(
            url("affiliation_edit", affiliation.pk),
            {
                "organisation": cast.company_a.pk,
                "title_ja": "技術顧問",
                "start_on": "2004-04-01",
                "end_on": "2006-03-31",
            },
        )
        assert response.status_code == 302
        affiliation.refresh_from_db()
        assert affiliation.title_ja == "技術顧問" and str(affiliation.end_on) == "2006-03-31"

        assert (
            url("affiliation_delete", affiliation.pk)
            in client.get(url("affiliation_edit", affiliation.pk)).content.decode()
        )
        response = client.post(url("affiliation_delete", affiliation.pk))
        assert response.status_code == 302 and response["Location"] == cast.engineer_a.get_absolute_url()
        assert not Affiliation.objects.filter(pk=affiliation.pk).exists()
        assert Affiliation.history.filter(id=affiliation.pk, history_type="-").get().history_user == cast.hq_a

    @pytest.mark.usefixtures("english")
    def test_an_affiliation_cannot_end_before_it_starts(self, cast, client_for):
        affiliation = cast.engineer_a.affiliations.get()
        response = client_for(cast.hq_a).post(
            url("affiliation_edit", affiliation.pk),
            {"organisation": affiliation.organisation_id, "start_on": "2005-04-01", "end_on": "2004-03-31"},
        )
        errors = field_errors(response, "end_on")
        assert "before" in str(errors[0])
        affiliation.refresh_from_db()
        assert affiliation.start_on is None and affiliation.end_on is None

    def test_a_new_affiliation_ending_before_it_starts_is_not_added(self, cast, client_for):
        response = client_for(cast.hq_a).post(
            url("affiliation_create", cast.engineer_a.pk),
            {"organisation": cast.company_a.pk, "start_on": "2005-04-01", "end_on": "2004-03-31"},
        )
        field_errors(response, "end_on")
        assert cast.engineer_a.affiliations.count() == 1

    def test_the_organisation_must_be_one_the_user_can_see(self, cast, client_for):
        response = client_for(cast.hq_a).post(
            url("affiliation_create", cast.engineer_a.pk), {"organisation": cast.secret_company_b.pk}
        )
        field_errors(response, "organisation")
        assert cast.engineer_a.affiliations.count() == 1


class TestAttachErrors:
    class Form(forms.Form):
        email = forms.CharField(required=False)

    def test_field_messages_go_to_their_fields_and_the_rest_to_the_top(self):
        form = self.Form({})
        assert form.is_valid()
        attach_errors(form, ValidationError({"email": "bad address", "user": "not yours"}))
        assert form.errors["email"] == ["bad address"]
        assert form.non_field_errors() == ["not yours"]

    def test_a_plain_message_goes_to_the_top(self):
        form = self.Form({})
        assert form.is_valid()
        attach_errors(form, ValidationError("it went wrong"))
        assert form.non_field_errors() == ["it went wrong"]


@pytest.mark.django_db
class TestMunicipalityChoices:
    def test_the_blank_form_offers_the_current_municipalities_of_the_records_prefecture(self, cast, places):
        choices = dict(OrganisationForm(instance=cast.company_a, user=cast.hq_a).fields["municipality"].choices)
        assert "東京都 千代田区" in choices.values()
        assert "大阪府 大阪市" not in choices.values() and "東京都 旧中央区" not in choices.values()

    def test_choosing_a_prefecture_fetches_its_municipalities(self, cast, client, places):
        response = client.get(url("municipality_options"), {"prefecture": "27", "municipality": "271004"})
        html = response.content.decode()
        assert '<option value="271004" selected>大阪府 大阪市</option>' in html
        assert "千代田区" not in html

    def test_the_prefecture_select_asks_for_the_options(self, cast, client_for):
        html = client_for(cast.hq_a).get(url("organisation_create")).content.decode()
        assert f'hx-get="{url("municipality_options")}"' in html
