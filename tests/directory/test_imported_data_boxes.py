"""The boxes on organisation and person pages that count and link the imported KAKEN projects
and patents: for staff roles only, and only when there is something to list."""

from __future__ import annotations

import pytest

from renkei.imports.models import GrantMember, GrantProject, Patent, PatentApplicant
from tests.directory.helpers import url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def imported(cast):
    """Two projects at university_a, one with researcher_a, and one patent that lists
    university_a twice among its applicants (counted once)."""
    first = GrantProject.objects.create(award_number="23K00001", title_ja="精密計測", institution=cast.university_a)
    GrantProject.objects.create(award_number="23K00002", title_ja="表面処理", institution=cast.university_a)
    GrantMember.objects.create(project=first, sequence=1, name="山田 花子", person=cast.researcher_a)
    patent = Patent.objects.create(
        application_number="JP2022000001", application_number_as_published="特願2022-000001", title="計測装置"
    )
    for sequence in (1, 2):
        PatentApplicant.objects.create(
            patent=patent, sequence=sequence, name="国立大学法人A", organisation=cast.university_a
        )
    return first, patent


def html(client, name: str, pk: int) -> str:
    response = client.get(url(name, pk))
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_the_counts_of_an_organisation_linked_to_the_filtered_lists(cast, client_for, imported):
    project, patent = imported
    client = client_for(cast.coordinator_a)
    text = html(client, "organisation_detail", cast.university_a.pk)
    assert 'id="imported-grants"' in text and 'id="imported-patents"' in text
    grants = f"/imports/grants/?institution={cast.university_a.pk}"
    patents = f"/imports/patents/?organisation={cast.university_a.pk}"
    assert f'<a href="{grants}">2 records</a>' in text
    assert f'<a href="{patents}">1 record</a>' in text
    # The links lead to lists of exactly those records, each row linked to its detail page.
    listed = client.get(grants).content.decode()
    assert project.get_absolute_url() in listed and "23K00002" in listed
    assert patent.get_absolute_url() in client.get(patents).content.decode()


def test_staff_see_the_grant_projects_of_a_person(cast, client_for, imported):
    text = html(client_for(cast.hq_a), "person_detail", cast.researcher_a.pk)
    assert f'<a href="/imports/grants/?person={cast.researcher_a.pk}">1 record</a>' in text
    assert 'id="imported-patents"' not in text  # patents are not linked to people


@pytest.mark.parametrize("who", ["participant", "anonymous"])
def test_participants_and_visitors_see_no_boxes(cast, client_for, imported, who):
    client = client_for(getattr(cast, who) if who != "anonymous" else None)
    for name, pk in (("organisation_detail", cast.university_a.pk), ("person_detail", cast.researcher_a.pk)):
        text = html(client, name, pk)
        assert "imported-grants" not in text and "imported-patents" not in text
        assert "/imports/" not in text


def test_a_zero_count_hides_its_box(cast, client_for, imported):
    client = client_for(cast.national)
    text = html(client, "organisation_detail", cast.company_a.pk)
    assert "imported-grants" not in text and "imported-patents" not in text
    text = html(client, "person_detail", cast.participant_person.pk)
    assert "imported-grants" not in text
    # Only patents: the grants box stays hidden while the patents box shows.
    GrantProject.objects.filter(institution=cast.university_a).update(institution=None)
    text = html(client, "organisation_detail", cast.university_a.pk)
    assert "imported-grants" not in text and 'id="imported-patents"' in text


def test_counts_follow_the_list_filters_for_hidden_records(cast, client_for):
    """A project at Cluster B's hidden company: staff of B see its box; staff of A cannot even
    open the page."""
    GrantProject.objects.create(award_number="23K00003", institution=cast.secret_company_b)
    assert 'id="imported-grants"' in html(client_for(cast.hq_b), "organisation_detail", cast.secret_company_b.pk)
    assert client_for(cast.hq_a).get(url("organisation_detail", cast.secret_company_b.pk)).status_code == 404
