"""Every CRM page for every role of the cast: who gets the page, who is sent to sign in, who gets
403 (no CRM, or may see but not change) and who gets 404 (another cluster's record)."""

from __future__ import annotations

import pytest
from django.urls import reverse

ROLES = ["anonymous", "participant", "coordinator_a", "hq_a", "hq_b", "national", "admin"]
LOGIN = "login"
CRM_USERS = [LOGIN, 403, 200, 200, 200, 200, 200]
WRITERS = [LOGIN, 403, 200, 200, 200, 403, 200]
READ_A = [LOGIN, 403, 200, 200, 404, 200, 200]
READ_B = [LOGIN, 403, 404, 404, 200, 200, 200]
EDIT_A = [LOGIN, 403, 200, 200, 404, 403, 200]
EDIT_B = [LOGIN, 403, 404, 404, 200, 403, 200]

# page -> (url name, argument from the cast and CRM records or None, expected status per role)
PAGES = {
    "interaction list": ("interaction_list", None, CRM_USERS),
    "log interaction": ("interaction_create", None, WRITERS),
    "interaction of A": ("interaction_detail", lambda c, r: r.open_a.pk, READ_A),
    "confidential interaction of A": ("interaction_detail", lambda c, r: r.confidential_a.pk, READ_A),
    "interaction of B": ("interaction_detail", lambda c, r: r.interaction_b.pk, READ_B),
    "edit interaction of A": ("interaction_edit", lambda c, r: r.open_a.pk, EDIT_A),
    "edit interaction of B": ("interaction_edit", lambda c, r: r.interaction_b.pk, EDIT_B),
    "follow-ups": ("follow_ups", None, CRM_USERS),
    "boards": ("board_index", None, [LOGIN, 403, 302, 302, 302, 200, 200]),
    "board of A": ("board", lambda c, r: c.cluster_a.code, [LOGIN, 403, 200, 200, 403, 200, 200]),
    "board of B": ("board", lambda c, r: c.cluster_b.code, [LOGIN, 403, 403, 403, 200, 200, 200]),
    "record introduction": ("introduction_create", None, WRITERS),
    "introduction of A": ("introduction_detail", lambda c, r: r.introduction_a.pk, READ_A),
    "introduction of B": ("introduction_detail", lambda c, r: r.introduction_b.pk, READ_B),
    "edit introduction of A": ("introduction_edit", lambda c, r: r.introduction_a.pk, EDIT_A),
    "edit introduction of B": ("introduction_edit", lambda c, r: r.introduction_b.pk, EDIT_B),
}

CASES = [
    pytest.param(name, argument, role, expected, id=f"{page}-{role}")
    for page, (name, argument, statuses) in PAGES.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "argument", "role", "expected"), CASES)
def test_page_answers_each_role_as_the_rules_say(cast, crm, client_for, name, argument, role, expected):
    args = () if argument is None else (argument(cast, crm),)
    response = client_for(getattr(cast, role)).get(reverse(f"brokerage:{name}", args=args))
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("hq_b", 404), ("national", 403), ("participant", 403)])
def test_posts_from_outside_the_cluster_change_nothing(cast, crm, client_for, role, expected):
    client = client_for(getattr(cast, role))
    moved = client.post(
        reverse("brokerage:introduction_detail", args=[crm.introduction_a.pk]),
        {"to_stage": "met", "on": "2026-04-20"},
    )
    done = client.post(reverse("brokerage:follow_up_done", args=[crm.open_a.pk]))
    assert moved.status_code == expected and done.status_code == expected
    crm.introduction_a.refresh_from_db()
    crm.open_a.refresh_from_db()
    assert crm.introduction_a.stage == "introduced" and not crm.open_a.follow_up_done
