"""Every programme and cluster page for every role: who gets the page, who is sent to sign in,
who gets 403 (may see but not change) and who gets 404 (may not know the record exists)."""

from __future__ import annotations

import pytest

from renkei.programs.models import Membership
from tests.programs.helpers import url

ROLES = ["anonymous", "participant", "coordinator_a", "hq_a", "hq_b", "national", "admin"]
LOGIN = "login"
ALL = [200] * 7
NATIONAL_ONLY = [LOGIN, 403, 403, 403, 403, 200, 200]
EDITORS_OF_A = [LOGIN, 403, 403, 200, 403, 200, 200]


def _membership(organisation: str):
    return lambda cast: Membership.objects.get(organisation=getattr(cast, organisation)).pk


# page -> (url name, argument from the cast or None, expected status per role in ROLES order)
PAGES = {
    "programme list": ("programme_list", None, ALL),
    "programme detail": ("programme_detail", lambda c: c.programme.code, ALL),
    "add programme": ("programme_create", None, NATIONAL_ONLY),
    "edit programme": ("programme_edit", lambda c: c.programme.code, NATIONAL_ONLY),
    "cluster list": ("cluster_list", None, ALL),
    "cluster A": ("cluster_detail", lambda c: c.cluster_a.code, ALL),
    "cluster B": ("cluster_detail", lambda c: c.cluster_b.code, ALL),
    "add cluster": ("cluster_create", None, NATIONAL_ONLY),
    "edit cluster A": ("cluster_edit", lambda c: c.cluster_a.code, EDITORS_OF_A),
    "edit cluster B": ("cluster_edit", lambda c: c.cluster_b.code, [LOGIN, 403, 403, 403, 200, 200, 200]),
    "add member to A": ("membership_create", lambda c: c.cluster_a.code, EDITORS_OF_A),
    "add position to A": ("position_create", lambda c: c.cluster_a.code, EDITORS_OF_A),
    "add budget to A": ("budget_create", lambda c: c.cluster_a.code, EDITORS_OF_A),
    "edit members-only membership of A": ("membership_edit", _membership("company_a"), EDITORS_OF_A),
    "edit restricted membership of A": (
        "membership_edit",
        _membership("secret_company_a"),
        [LOGIN, 404, 403, 200, 404, 200, 200],
    ),
    "edit restricted membership of B": (
        "membership_edit",
        _membership("secret_company_b"),
        [LOGIN, 404, 404, 404, 200, 200, 200],
    ),
    "edit position in A": ("position_edit", lambda c: c.cluster_a.positions.get().pk, EDITORS_OF_A),
    "edit budget of A": ("budget_edit", lambda c: c.cluster_a.budgets.get().pk, EDITORS_OF_A),
}

CASES = [
    pytest.param(name, argument, role, expected, id=f"{page}-{role}")
    for page, (name, argument, statuses) in PAGES.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "argument", "role", "expected"), CASES)
def test_page_answers_each_role_as_the_rules_say(cast, client_for, name, argument, role, expected):
    args = () if argument is None else (argument(cast),)
    response = client_for(getattr(cast, role)).get(url(name, *args))
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == expected


DELETES = {
    "membership_delete": lambda c: Membership.objects.get(organisation=c.secret_company_a).pk,
    "position_delete": lambda c: c.cluster_a.positions.get().pk,
    "budget_delete": lambda c: c.cluster_a.budgets.get().pk,
}


@pytest.mark.django_db
class TestDeleting:
    @pytest.mark.parametrize("name", DELETES)
    def test_delete_accepts_only_post(self, cast, client_for, name):
        response = client_for(cast.hq_a).get(url(name, DELETES[name](cast)))
        assert response.status_code == 405

    @pytest.mark.parametrize("name", DELETES)
    @pytest.mark.parametrize(
        ("role", "expected"), [("coordinator_a", 403), ("hq_b", None), ("participant", None), ("anonymous", LOGIN)]
    )
    def test_delete_is_refused_to_those_who_may_not_edit_the_cluster(self, cast, client_for, name, role, expected):
        pk = DELETES[name](cast)
        response = client_for(getattr(cast, role)).post(url(name, pk))
        if expected == LOGIN:
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            # The restricted membership is invisible to hq_b and the participant (404); the
            # public position and budget are visible but not theirs to change (403).
            hidden = name == "membership_delete" and role in {"hq_b", "participant"}
            assert response.status_code == (expected or (404 if hidden else 403))
        assert cast.cluster_a.memberships.count() == 3
        assert cast.cluster_a.positions.count() == 1
        assert cast.cluster_a.budgets.count() == 1

    @pytest.mark.parametrize("name", DELETES)
    def test_hq_staff_delete_from_their_cluster(self, cast, client_for, name):
        response = client_for(cast.hq_a).post(url(name, DELETES[name](cast)))
        assert response.status_code == 302 and response["Location"] == cast.cluster_a.get_absolute_url()
        counts = (cast.cluster_a.memberships.count(), cast.cluster_a.positions.count(), cast.cluster_a.budgets.count())
        expected = {"membership_delete": (2, 1, 1), "position_delete": (3, 0, 1), "budget_delete": (3, 1, 0)}
        assert counts == expected[name]

    def test_unknown_records_are_404(self, cast, client_for):
        client = client_for(cast.admin)
        assert client.get(url("cluster_detail", "no-such-cluster")).status_code == 404
        assert client.get(url("programme_detail", "no-such-programme")).status_code == 404
        for name in ("membership_edit", "position_edit", "budget_edit"):
            assert client.get(url(name, 999999)).status_code == 404
        assert client.post(url("budget_delete", 999999)).status_code == 404
