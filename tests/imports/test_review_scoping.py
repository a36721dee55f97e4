"""The review queue is kept per office: the cluster HQ office whose import queued a link reviews
it. Two offices importing the same record each get an item of their own, see only theirs, and
decide only theirs; re-importing within an office adds nothing; an office colleague shares the
office's items. The researchmap namesake case goes through the same mechanism."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from renkei.accounts.models import Role, RoleKind
from renkei.core.models import Visibility
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.imports.choices import LinkKind, ReviewStatus
from renkei.imports.linking import OFFICE_ALL, hq_office, review_office
from renkei.imports.models import PatentApplicant, ReviewItem
from renkei.imports.patents import PatentSource
from renkei.imports.records import do_import_records
from renkei.imports.researchmap import ResearchmapSource, researcher_from_payload
from renkei.imports.review import do_decide_review_item, visible_review_items
from tests.api.conftest import SchemaCheckedClient
from tests.cast import _user

from .helpers import DATA

pytestmark = pytest.mark.django_db

PATENTS = DATA / "jp_patent_list_canonical.csv"
LIST_URL = "/imports/review/"
API_URL = "/api/import-review-items/"
PROFILE = json.loads((DATA / "researchmap_researcher.json").read_text(encoding="utf-8"))


@pytest.fixture
def university(cast):
    """The one organisation named like the patent list's 「国立大学法人架空大学」: public, so every
    office sees it as a candidate, and the applicant's link is uncertain (a name alone)."""
    return Organisation.objects.create(kind="university", name_ja="架空大学", visibility=Visibility.PUBLIC)


def hq_user(username: str, *clusters):
    user = _user(username)
    for cluster in clusters:
        Role.objects.create(user=user, kind=RoleKind.HQ_STAFF, cluster=cluster)
    return user


def import_patents(user):
    return do_import_records(PatentSource(), PATENTS, user=user)


def api_for(user) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def listed_on_page(client, items) -> set[int]:
    text = client.get(LIST_URL).content.decode()
    return {item.pk for item in items if item.get_absolute_url() in text}


def test_the_office_of_an_importer(cast):
    both = hq_user("hq_ab", cast.cluster_b, cast.cluster_a)

    assert review_office(cast.hq_a) == f"hq:{cast.cluster_a.pk}"
    assert review_office(both) == "hq:" + ",".join(str(pk) for pk in sorted([cast.cluster_a.pk, cast.cluster_b.pk]))
    assert review_office(cast.national) == review_office(cast.admin) == review_office(None) == OFFICE_ALL
    assert review_office(cast.coordinator_a) == f"user:{cast.coordinator_a.pk}"
    many = hq_office(range(1000, 1100))
    assert many.startswith("hq#") and len(many) <= 255 and many == hq_office(reversed(range(1000, 1100)))


def test_two_offices_importing_the_same_file_each_review_their_own_link(cast, university, client_for):
    run_a = import_patents(cast.hq_a)
    run_b = import_patents(cast.hq_b)

    item_a = ReviewItem.objects.get(owner=f"hq:{cast.cluster_a.pk}")
    item_b = ReviewItem.objects.get(owner=f"hq:{cast.cluster_b.pk}")
    assert ReviewItem.objects.count() == 2
    assert (item_a.run, item_b.run) == (run_a, run_b)
    assert item_a.key == item_b.key and item_a.kind == item_b.kind == LinkKind.PATENT_APPLICANT
    assert [c.organisation for c in item_b.candidates.all()] == [university]
    assert run_b.skipped == run_a.skipped

    assert list(visible_review_items(cast.hq_a)) == [item_a]
    assert list(visible_review_items(cast.hq_b)) == [item_b]
    assert set(visible_review_items(cast.national)) == {item_a, item_b}
    assert listed_on_page(client_for(cast.hq_a), [item_a, item_b]) == {item_a.pk}
    assert listed_on_page(client_for(cast.hq_b), [item_a, item_b]) == {item_b.pk}
    assert [row["id"] for row in api_for(cast.hq_b).get(API_URL).json()["results"]] == [item_b.pk]


def test_re_importing_within_an_office_adds_nothing_and_a_colleague_shares_the_item(cast, university, client_for):
    import_patents(cast.hq_a)
    item = ReviewItem.objects.get()
    colleague = hq_user("hq_a2", cast.cluster_a)

    import_patents(cast.hq_a)
    again = import_patents(colleague)

    assert ReviewItem.objects.count() == 1
    assert not ReviewItem.objects.filter(run=again).exists()
    assert list(visible_review_items(colleague)) == [item]
    page = client_for(colleague).get(item.get_absolute_url())
    assert page.status_code == 200
    # The colleague may review the item, not open the run another member started.
    assert item.run.get_absolute_url() not in page.content.decode()
    assert client_for(colleague).get(item.run.get_absolute_url()).status_code == 404
    assert item.run.get_absolute_url() in client_for(cast.hq_a).get(item.get_absolute_url()).content.decode()

    do_decide_review_item(colleague, item)
    item.refresh_from_db()
    assert item.status == ReviewStatus.REJECTED and item.decided_by == colleague


def test_hq_staff_of_more_clusters_are_another_office(cast, university):
    import_patents(cast.hq_a)
    both = hq_user("hq_ab", cast.cluster_a, cast.cluster_b)

    import_patents(both)

    mine = ReviewItem.objects.get(run__started_by=both)
    assert ReviewItem.objects.count() == 2 and mine.owner == review_office(both)
    assert list(visible_review_items(both)) == [mine]
    assert mine not in visible_review_items(cast.hq_a) and mine not in visible_review_items(cast.hq_b)


def test_a_rejection_in_one_office_neither_hides_nor_decides_the_others_link(cast, university, client_for):
    import_patents(cast.hq_a)
    item_a = ReviewItem.objects.get()
    do_decide_review_item(cast.hq_a, item_a)

    import_patents(cast.hq_b)  # after A's rejection: B is still asked
    import_patents(cast.hq_a)  # A is not asked again

    item_b = ReviewItem.objects.get(owner=f"hq:{cast.cluster_b.pk}")
    assert ReviewItem.objects.count() == 2 and item_b.status == ReviewStatus.PENDING
    assert list(visible_review_items(cast.hq_b)) == [item_b]

    client = client_for(cast.hq_b)
    response = client.post(item_b.get_absolute_url(), {"action": "confirm", "candidate": item_b.candidates.get().pk})

    assert response.status_code == 302
    item_a.refresh_from_db()
    item_b.refresh_from_db()
    assert item_b.status == ReviewStatus.CONFIRMED and item_b.decided_by == cast.hq_b
    assert item_a.status == ReviewStatus.REJECTED and item_a.decided_by == cast.hq_a and item_a.chosen is None
    assert PatentApplicant.objects.get(name="国立大学法人架空大学").organisation == university


def test_another_office_cannot_open_or_decide_an_item(cast, university, client_for):
    import_patents(cast.hq_a)
    import_patents(cast.hq_b)
    item_a = ReviewItem.objects.get(owner=f"hq:{cast.cluster_a.pk}")
    client = client_for(cast.hq_b)

    assert client.get(item_a.get_absolute_url()).status_code == 404
    assert client.post(item_a.get_absolute_url(), {"action": "reject"}).status_code == 404
    assert api_for(cast.hq_b).get(f"{API_URL}{item_a.pk}/").status_code == 404
    assert (
        api_for(cast.hq_b).post(f"{API_URL}{item_a.pk}/decide/", {"action": "reject"}, format="json").status_code == 404
    )
    with pytest.raises(PermissionDenied):
        do_decide_review_item(cast.hq_b, item_a)
    item_a.refresh_from_db()
    assert item_a.status == ReviewStatus.PENDING


def test_the_database_holds_one_item_per_key_and_office(cast, university):
    import_patents(cast.hq_a)
    item = ReviewItem.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewItem.objects.create(
            run=item.run, line_number=1, kind=item.kind, key=item.key, name=item.name, owner=item.owner
        )
    ReviewItem.objects.create(run=item.run, line_number=1, kind=item.kind, key=item.key, name=item.name, owner="x")
    assert ReviewItem.objects.filter(key=item.key).count() == 2


# --- researchmap profiles held back for their namesakes -----------------------------------------


def tanaka_profile(**changes) -> dict:
    """The sample profile renamed to 田中 健, without researcher numbers (nothing but the
    researchmap ID tells the person)."""
    data = json.loads(json.dumps(PROFILE))
    data.update(permalink="tanaka_ken", family_name={"ja": "田中", "en": "Tanaka"}, identifiers={})
    data["given_name"] = {"ja": "健", "en": "Ken"}
    data.update(changes)
    return data


def import_profiles(tmp_path, user, profile: dict, name: str):
    path = tmp_path / name
    path.write_text(json.dumps(profile, ensure_ascii=False) + "\n", encoding="utf-8")
    return do_import_records(ResearchmapSource(), path, user=user)


@pytest.fixture
def namesakes(cast):
    """Two public people named 田中 健, one at a member of cluster A (HQ A may edit him), one at a
    member of cluster B; every office sees both."""

    def person(organisation) -> Person:
        someone = Person.objects.create(
            family_name_ja="田中", given_name_ja="健", visibility=Visibility.PUBLIC, consent_to_publish=True
        )
        Affiliation.objects.create(person=someone, organisation=organisation)
        return someone

    return person(cast.university_a), person(cast.public_company_b)


def test_another_offices_import_of_a_waiting_profile_leaves_its_item_alone(cast, namesakes, tmp_path):
    import_profiles(tmp_path, cast.hq_a, tanaka_profile(), "a.jsonl")
    item_a = ReviewItem.objects.get()
    row_a = item_a.source_row
    newer = tanaka_profile(identifiers={"orc_id": ["0000-0002-0000-0001"]})

    run_b = import_profiles(tmp_path, cast.hq_b, newer, "b.jsonl")

    item_a.refresh_from_db()
    assert item_a.source_row == row_a and researcher_from_payload(item_a.profile).orcid == ""
    item_b = ReviewItem.objects.get(run=run_b)
    assert item_b.owner == f"hq:{cast.cluster_b.pk}" and item_b.kind == LinkKind.RESEARCHER_PROFILE
    assert researcher_from_payload(item_b.profile).orcid == "0000-0002-0000-0001"
    assert {c.person_id for c in item_b.candidates.all()} == {p.pk for p in namesakes}
    assert run_b.skipped == 1 and run_b.created == 0

    # B's next import refreshes B's item, still not A's.
    newest = tanaka_profile(identifiers={"orc_id": ["0000-0003-0000-0001"]})
    import_profiles(tmp_path, cast.hq_b, newest, "b2.jsonl")
    item_a.refresh_from_db()
    item_b.refresh_from_db()
    assert ReviewItem.objects.count() == 2
    assert researcher_from_payload(item_a.profile).orcid == ""
    assert researcher_from_payload(item_b.profile).orcid == "0000-0003-0000-0001"
    assert list(visible_review_items(cast.hq_a)) == [item_a]
    assert list(visible_review_items(cast.hq_b)) == [item_b]


@pytest.mark.usefixtures("english")
def test_a_profile_decided_in_one_office_is_not_given_to_another_person_by_the_other(cast, namesakes, tmp_path):
    ours, theirs = namesakes
    import_profiles(tmp_path, cast.hq_a, tanaka_profile(), "a.jsonl")
    import_profiles(tmp_path, cast.hq_b, tanaka_profile(), "b.jsonl")
    item_a = ReviewItem.objects.get(owner=f"hq:{cast.cluster_a.pk}")
    item_b = ReviewItem.objects.get(owner=f"hq:{cast.cluster_b.pk}")

    do_decide_review_item(cast.hq_a, item_a, confirm=item_a.candidates.get(person=ours))

    item_b.refresh_from_db()
    assert item_b.status == ReviewStatus.PENDING
    with pytest.raises(ValidationError, match="imported over another person"):
        do_decide_review_item(cast.hq_b, item_b, confirm=item_b.candidates.get(person=theirs))
    with pytest.raises(ValidationError, match="imported since it was queued"):
        do_decide_review_item(cast.hq_b, item_b)  # nor made a new person
    assert Person.objects.get(pk=theirs.pk).researchmap_id == ""
    assert Person.objects.filter(researchmap_id="tanaka_ken").get() == ours
    item_b.refresh_from_db()
    assert item_b.status == ReviewStatus.PENDING


def test_affiliations_queued_by_a_decision_go_to_the_items_office(cast, namesakes, tmp_path):
    Organisation.objects.create(kind="university", name_ja="架空大学", visibility=Visibility.PUBLIC)
    ours, _theirs = namesakes
    import_profiles(tmp_path, cast.hq_a, tanaka_profile(), "a.jsonl")
    item = ReviewItem.objects.get(kind=LinkKind.RESEARCHER_PROFILE)

    do_decide_review_item(cast.admin, item, confirm=item.candidates.get(person=ours))

    affiliation = ReviewItem.objects.get(kind=LinkKind.AFFILIATION)
    assert affiliation.person == ours and affiliation.owner == item.owner == f"hq:{cast.cluster_a.pk}"
    assert affiliation in visible_review_items(cast.hq_a)


# --- the migration that gave the existing items their office -------------------------------------


def test_the_migration_fills_in_the_office_of_each_runs_starter(cast, university):
    migration = importlib.import_module("renkei.imports.migrations.0008_review_items_per_office")
    for user in (cast.hq_a, cast.hq_b, cast.national, cast.coordinator_a):
        import_patents(user)
    items = {item.run.started_by: item for item in ReviewItem.objects.select_related("run__started_by")}
    assert len(items) == 4
    for item in items.values():  # as if queued before the offices existed
        ReviewItem.objects.filter(pk=item.pk).update(owner=f"before:{item.pk}")

    migration.fill_owner(apps, None)

    owners = dict(ReviewItem.objects.values_list("run__started_by", "owner"))
    assert owners == {
        cast.hq_a.pk: f"hq:{cast.cluster_a.pk}",
        cast.hq_b.pk: f"hq:{cast.cluster_b.pk}",
        cast.national.pk: OFFICE_ALL,
        cast.coordinator_a.pk: f"user:{cast.coordinator_a.pk}",
    }
    assert all(owner == review_office(user) for user, owner in ((u, owners[u.pk]) for u in items))
