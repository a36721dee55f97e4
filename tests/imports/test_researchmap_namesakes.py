"""researchmap profiles that match people by name only: held in the review queue with the
candidates and why, linked to the person a reviewer confirms or imported as a new person when the
candidates are rejected (in the service, the page and the API), never asked twice."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token

from renkei.core.models import RecordSource, Visibility
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.imports.choices import LinkKind, ReviewStatus
from renkei.imports.models import ImportRun, ResearcherIdentifier, ReviewItem
from renkei.imports.records import do_import_records
from renkei.imports.researchmap import ResearchmapSource, researcher_from_payload
from renkei.imports.review import do_decide_review_item
from tests.api.conftest import SchemaCheckedClient

from .helpers import DATA

pytestmark = pytest.mark.django_db

PROFILE = json.loads((DATA / "researchmap_researcher.json").read_text(encoding="utf-8"))


def sato_profile(**changes) -> dict:
    """The sample profile, renamed to the cast's engineer A (佐藤 一郎, at Hidden Alpha Works)."""
    data = json.loads(json.dumps(PROFILE))
    data.update(permalink="sato_ichiro", family_name={"ja": "佐藤", "en": "Sato"})
    data["given_name"] = {"ja": "一郎", "en": "Ichiro"}
    data["identifiers"] = {"erad_id": ["12345678"], "orc_id": ["0000-0001-2345-6789"]}
    data.update(changes)
    return data


def run_import(tmp_path, profiles: list[dict], user=None, name: str = "r.jsonl") -> ImportRun:
    path = tmp_path / name
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in profiles), encoding="utf-8")
    return do_import_records(ResearchmapSource(), path, user=user)


def imported(permalink: str = "sato_ichiro"):
    return Person.objects.filter(researchmap_id=permalink)


def test_a_profile_matching_a_person_by_name_only_waits_for_review(cast, tmp_path):
    run = run_import(tmp_path, [sato_profile()], user=cast.hq_a)

    assert (run.rows_read, run.created, run.updated, run.skipped, run.rejected) == (1, 0, 0, 1, 0)
    item = ReviewItem.objects.get()
    assert (item.kind, item.status, item.run, item.line_number) == (
        LinkKind.RESEARCHER_PROFILE,
        ReviewStatus.PENDING,
        run,
        1,
    )
    assert item.name == "佐藤 一郎" and item.context == "架空大学" and item.person is None
    assert [(c.person, c.reason) for c in item.candidates.all()] == [(cast.engineer_a, "same name")]
    assert researcher_from_payload(item.profile).erad_codes == ["12345678"]
    assert not imported().exists() and not ResearcherIdentifier.objects.exists()


def test_confirming_links_the_profile_to_the_person(cast, tmp_path):
    Organisation.objects.create(kind="university", name_ja="架空大学", visibility=Visibility.PUBLIC)
    run_import(tmp_path, [sato_profile()], user=cast.hq_a)
    item = ReviewItem.objects.get(kind=LinkKind.RESEARCHER_PROFILE)
    people = Person.objects.count()

    do_decide_review_item(cast.hq_a, item, confirm=item.candidates.get())

    engineer = Person.objects.get(pk=cast.engineer_a.pk)
    assert engineer.researchmap_id == "sato_ichiro" and engineer.orcid == "0000-0001-2345-6789"
    assert engineer.visibility == Visibility.RESTRICTED and engineer.email == "sato@hidden-alpha.example"
    assert ResearcherIdentifier.objects.get(erad_code="12345678").person == engineer
    assert Person.objects.count() == people
    item.refresh_from_db()
    assert item.status == ReviewStatus.CONFIRMED and item.decided_by == cast.hq_a
    # The profile's affiliation by name alone is queued in turn, for the confirmed person.
    assert ReviewItem.objects.get(kind=LinkKind.AFFILIATION).person == engineer

    again = run_import(tmp_path, [sato_profile()], user=cast.hq_a, name="again.jsonl")
    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 1, 0)
    assert ReviewItem.objects.count() == 2


def test_rejecting_imports_the_profile_as_a_new_person(cast, tmp_path):
    run_import(tmp_path, [sato_profile()], user=cast.hq_a)
    item = ReviewItem.objects.get()

    do_decide_review_item(cast.hq_a, item)

    new = imported().get()
    assert new.pk != cast.engineer_a.pk and (new.family_name_ja, new.given_name_ja) == ("佐藤", "一郎")
    assert new.visibility == Visibility.RESTRICTED and not new.consent_to_publish
    assert new.source == RecordSource.IMPORT
    assert ResearcherIdentifier.objects.get(erad_code="12345678").person == new
    assert Person.objects.get(pk=cast.engineer_a.pk).researchmap_id == ""
    item.refresh_from_db()
    assert item.status == ReviewStatus.REJECTED and item.chosen is None

    again = run_import(tmp_path, [sato_profile()], name="again.jsonl")  # found by its researchmap ID
    assert (again.created, again.unchanged, again.skipped) == (0, 1, 0)
    assert ReviewItem.objects.count() == 1 and imported().count() == 1


def test_re_importing_while_it_waits_refreshes_the_profile_and_queues_nothing_new(cast, tmp_path):
    run_import(tmp_path, [sato_profile()], user=cast.hq_a)
    newer = sato_profile(identifiers={"erad_id": ["12345678"], "orc_id": ["0000-0002-0000-0001"]})

    again = run_import(tmp_path, [newer], user=cast.hq_a, name="again.jsonl")

    assert (again.created, again.skipped) == (0, 1)
    item = ReviewItem.objects.get()
    assert researcher_from_payload(item.profile).orcid == "0000-0002-0000-0001"
    do_decide_review_item(cast.hq_a, item, confirm=item.candidates.get())
    assert Person.objects.get(pk=cast.engineer_a.pk).orcid == "0000-0002-0000-0001"


def test_a_namesake_with_another_researcher_number_is_someone_else(cast, tmp_path):
    ResearcherIdentifier.objects.create(person=cast.engineer_a, erad_code="87654321")

    run = run_import(tmp_path, [sato_profile()], user=cast.hq_a)

    assert run.created == 1 and not ReviewItem.objects.exists()
    assert imported().get().pk != cast.engineer_a.pk


def test_a_profile_without_a_given_name_or_namesake_the_importer_may_see_is_imported_at_once(cast, tmp_path):
    family_only = sato_profile(permalink="sato_only", given_name={"en": "Ichiro"}, identifiers={})

    as_hq_a = run_import(tmp_path, [family_only], user=cast.hq_a)
    as_hq_b = run_import(tmp_path, [sato_profile()], user=cast.hq_b, name="b.jsonl")  # engineer A is hidden

    assert as_hq_a.created == 1 and as_hq_b.created == 1
    assert not ReviewItem.objects.exists()


def test_the_candidates_say_why_they_may_be_the_researcher(cast, tmp_path):
    university = Organisation.objects.create(kind="university", name_ja="架空大学", name_en="Kakuu University")
    # A reviewer confirmed before that 「架空大学」 is this university: profiles naming it link at once.
    do_import_records(ResearchmapSource(), DATA / "researchmap_researcher.json")
    affiliation = ReviewItem.objects.get(kind=LinkKind.AFFILIATION)
    do_decide_review_item(cast.admin, affiliation, confirm=affiliation.candidates.get())
    at_university = Person.objects.create(family_name_ja="佐藤", given_name_ja="一郎")
    Affiliation.objects.create(person=at_university, organisation=university)
    other_profile = Person.objects.create(family_name_ja="佐藤", given_name_ja="一郎", researchmap_id="sato_old")

    run_import(tmp_path, [sato_profile()])

    item = ReviewItem.objects.get(kind=LinkKind.RESEARCHER_PROFILE)
    reasons = [(c.person_id, c.score, c.reason) for c in item.candidates.all()]
    assert reasons == [
        (at_university.pk, 0.9, "same name and affiliation (架空大学)"),
        (cast.engineer_a.pk, 0.6, "same name"),
        (other_profile.pk, 0.4, "same name, but another researchmap profile (sato_old)"),
    ]


def test_two_namesakes_in_one_file_hold_the_second_for_review(cast, tmp_path):
    first = sato_profile(permalink="sato_a", identifiers={}, family_name={"ja": "架空"})
    first["given_name"] = {"ja": "三郎"}
    second = dict(first, permalink="sato_b")

    run = run_import(tmp_path, [first, second])

    assert (run.created, run.skipped) == (1, 1)
    item = ReviewItem.objects.get()
    assert [c.person.researchmap_id for c in item.candidates.all()] == ["sato_a"]
    assert item.candidates.get().reason == "same name, but another researchmap profile (sato_a)"


def test_a_profile_whose_number_was_taken_meanwhile_cannot_be_confirmed(cast, tmp_path):
    run_import(tmp_path, [sato_profile()], user=cast.hq_a)
    item = ReviewItem.objects.get()
    ResearcherIdentifier.objects.create(person=cast.researcher_a, erad_code="12345678")

    with pytest.raises(ValidationError, match="12345678 already belongs to another person"):
        do_decide_review_item(cast.hq_a, item, confirm=item.candidates.get())

    item.refresh_from_db()
    assert item.status == ReviewStatus.PENDING
    assert Person.objects.get(pk=cast.engineer_a.pk).researchmap_id == ""


def test_rejecting_a_profile_whose_person_was_entered_meanwhile_creates_no_second_person(cast, tmp_path):
    run_import(tmp_path, [sato_profile()], user=cast.hq_a)
    item = ReviewItem.objects.get()
    Person.objects.create(family_name_ja="佐藤", given_name_ja="一郎", researchmap_id="sato_ichiro")  # by hand

    again = run_import(tmp_path, [sato_profile()], user=cast.hq_b, name="b.jsonl")
    assert again.rejected == 1  # found by its ID now, but HQ B may not change that person

    with pytest.raises(ValidationError, match="確認待ちになった後に別の取込みで登録済み"):
        do_decide_review_item(cast.hq_a, item)

    assert imported().count() == 1
    item.refresh_from_db()
    assert item.status == ReviewStatus.PENDING


@pytest.fixture
def english_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.mark.usefixtures("english")
def test_the_review_page_explains_and_rejecting_there_creates_the_person(cast, tmp_path, english_client):
    run_import(tmp_path, [sato_profile()], user=cast.hq_a)
    item = ReviewItem.objects.get()
    english_client.force_login(cast.hq_a)

    page = english_client.get(item.get_absolute_url()).content.decode()
    assert "researchmap profile → person" in page and "sato_ichiro" in page and "12345678" in page
    assert "Reject: import as a new person" in page and "the profile is then imported as a new person" in page

    response = english_client.post(item.get_absolute_url(), {"action": "reject"}, follow=True)

    assert "the profile was imported as a new person" in response.content.decode()
    assert imported().get().pk != cast.engineer_a.pk


def test_confirming_through_the_api(cast, tmp_path):
    run_import(tmp_path, [sato_profile()], user=cast.hq_a)
    item = ReviewItem.objects.get()
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.hq_a).key}")

    listed = client.get("/api/import-review-items/", {"kind": "researcher_profile"}).json()["results"]
    assert [row["id"] for row in listed] == [item.pk] and listed[0]["candidates"][0]["person"] == cast.engineer_a.pk
    candidate = item.candidates.get()
    answer = client.post(
        f"/api/import-review-items/{item.pk}/decide/", {"action": "confirm", "candidate": candidate.pk}, format="json"
    )

    assert answer.status_code == 200 and answer.json()["status"] == ReviewStatus.CONFIRMED
    assert Person.objects.get(pk=cast.engineer_a.pk).researchmap_id == "sato_ichiro"
