"""The review queue in the web UI: who sees which links, the filters, confirming (which makes the
link) and rejecting (which is recorded), each once."""

from __future__ import annotations

import pytest

from renkei.core.models import Visibility
from renkei.directory.models import Organisation, Person
from renkei.imports.choices import LinkKind, ReviewStatus
from renkei.imports.models import GrantProject, PatentApplicant, ReviewItem
from renkei.imports.patents import PatentSource
from renkei.imports.records import do_import_records
from renkei.imports.researchmap import ResearchmapSource

from .helpers import DATA

pytestmark = pytest.mark.django_db

LIST_URL = "/imports/review/"


@pytest.fixture
def english(english, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return english


@pytest.fixture
def queued(cast):
    """An affiliation queued by HQ A's researchmap import, a patent applicant by HQ B's patent import."""
    university = Organisation.objects.create(kind="university", name_ja="架空大学", visibility=Visibility.PUBLIC)
    do_import_records(ResearchmapSource(), DATA / "researchmap_researcher.json", user=cast.hq_a)
    do_import_records(PatentSource(), DATA / "jp_patent_list_canonical.csv", user=cast.hq_b)
    affiliation = ReviewItem.objects.get(kind=LinkKind.AFFILIATION)
    applicant = ReviewItem.objects.get(kind=LinkKind.PATENT_APPLICANT)
    return university, affiliation, applicant


def test_hq_staff_see_the_links_of_their_imports_and_national_officers_all(cast, client_for, queued, english):
    _university, affiliation, applicant = queued

    def listed(user) -> set[int]:
        text = client_for(user).get(LIST_URL).content.decode()
        return {item.pk for item in (affiliation, applicant) if item.get_absolute_url() in text}

    assert listed(cast.hq_a) == {affiliation.pk}
    assert listed(cast.hq_b) == {applicant.pk}
    assert listed(cast.national) == listed(cast.admin) == {affiliation.pk, applicant.pk}
    assert client_for(cast.hq_b).get(affiliation.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["participant", "coordinator_a"])
def test_roles_that_do_not_import_cannot_review(cast, client_for, queued, who):
    client = client_for(cast.users()[who])
    _university, affiliation, _applicant = queued

    assert client.get(LIST_URL).status_code == 403
    assert client.get(affiliation.get_absolute_url()).status_code == 403
    assert client.post(affiliation.get_absolute_url(), {"action": "reject"}).status_code == 403
    affiliation.refresh_from_db()
    assert affiliation.status == ReviewStatus.PENDING


def test_a_visitor_is_sent_to_sign_in(cast, client_for, queued):
    response = client_for(None).get(LIST_URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_list_filters_by_status_kind_source_and_run(cast, client_for, queued, english):
    _university, affiliation, applicant = queued
    client = client_for(cast.national)

    def listed(query: str) -> set[int]:
        text = client.get(f"{LIST_URL}?{query}").content.decode()
        return {item.pk for item in (affiliation, applicant) if item.get_absolute_url() in text}

    assert listed("status=pending") == {affiliation.pk, applicant.pk}
    assert listed("kind=affiliation") == {affiliation.pk}
    assert listed("source=patents") == {applicant.pk}
    assert listed(f"run={affiliation.run_id}") == {affiliation.pk}
    assert listed("status=confirmed") == set()


def test_confirming_makes_the_affiliation_and_records_who_and_when(cast, client_for, queued, english):
    university, affiliation, _applicant = queued
    client = client_for(cast.hq_a)
    page = client.get(affiliation.get_absolute_url()).content.decode()
    candidate = affiliation.candidates.get(organisation=university)
    assert "架空大学" in page and f'value="{candidate.pk}"' in page and "工学研究科" in page

    response = client.post(affiliation.get_absolute_url(), {"action": "confirm", "candidate": candidate.pk})

    assert response.status_code == 302
    affiliation.refresh_from_db()
    assert affiliation.status == ReviewStatus.CONFIRMED and affiliation.chosen == candidate
    assert affiliation.decided_by == cast.hq_a and affiliation.decided_at is not None
    person = Person.objects.get(researchmap_id="kakuu_taro")
    made = person.affiliations.get()
    assert (made.organisation, made.department, made.title_ja, made.is_primary) == (
        university,
        "工学研究科",
        "教授",
        True,
    )

    again = client.post(affiliation.get_absolute_url(), {"action": "confirm", "candidate": candidate.pk})
    assert again.status_code == 400 and "already been decided" in again.content.decode()
    assert person.affiliations.count() == 1


def test_rejecting_records_the_decision_and_makes_no_link(cast, client_for, queued, english):
    _university, _affiliation, applicant = queued
    client = client_for(cast.hq_b)

    response = client.post(applicant.get_absolute_url(), {"action": "reject"})

    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == ReviewStatus.REJECTED and applicant.decided_by == cast.hq_b
    assert PatentApplicant.objects.get(pk=applicant.patent_applicant_id).organisation is None


def test_a_candidate_the_reviewer_may_not_see_cannot_be_chosen(cast, client_for, queued, english):
    _university, affiliation, _applicant = queued
    hidden = Organisation.objects.create(kind="university", name_ja="架空大学 別", visibility=Visibility.RESTRICTED)
    foreign = affiliation.candidates.create(organisation=hidden, score=0.5, reason="test")
    client = client_for(cast.hq_a)

    assert f'value="{foreign.pk}"' not in client.get(affiliation.get_absolute_url()).content.decode()
    response = client.post(affiliation.get_absolute_url(), {"action": "confirm", "candidate": foreign.pk})

    assert response.status_code == 404
    affiliation.refresh_from_db()
    assert affiliation.status == ReviewStatus.PENDING


def test_a_bad_decision_names_the_problem(cast, client_for, queued, english):
    _university, affiliation, _applicant = queued
    client = client_for(cast.hq_a)

    missing = client.post(affiliation.get_absolute_url(), {"action": "confirm"})
    unknown = client.post(affiliation.get_absolute_url(), {"action": "publish"})

    assert missing.status_code == 400 and "Choose the record" in missing.content.decode()
    assert unknown.status_code == 400 and "Confirm a candidate or reject" in unknown.content.decode()


def test_the_navigation_links_the_review_queue_for_importing_roles_only(cast, client_for):
    for who, shown in [("hq_a", True), ("national", True), ("coordinator_a", False), ("participant", False)]:
        page = client_for(cast.users()[who]).get("/ja/").content.decode()
        assert ('href="/imports/review/?status=pending"' in page) is shown, who


def test_confirming_a_grant_institution_links_the_project(cast, client_for, english):
    from renkei.imports.kaken import KakenSource

    university = Organisation.objects.create(kind="university", name_ja="架空大学")
    do_import_records(KakenSource(), DATA / "kaken_grantAwards.xml", user=cast.national)
    item = ReviewItem.objects.get(kind=LinkKind.GRANT_INSTITUTION)

    client_for(cast.national).post(
        item.get_absolute_url(), {"action": "confirm", "candidate": item.candidates.get().pk}
    )

    assert GrantProject.objects.get().institution == university
