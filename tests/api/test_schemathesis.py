"""Fuzz every API operation from its OpenAPI schema (schemathesis) as a signed-in token user:
whatever the input, the API must never answer with a server error, and must answer only as its
schema documents.

Bounded so the run takes well under a minute: a few examples per operation, fuzzing phase only,
with a fixed seed so a failure reproduces."""

from __future__ import annotations

import itertools

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from renkei.matching.models import Alert, InboxItem, Interest, Need, Seed
from renkei.wsgi import application
from tests.matching.listings import make_need, make_seed

pytestmark = pytest.mark.slow

CONFIG = {
    "seed": 20260401,
    "phases": {
        "examples": {"enabled": False},
        "coverage": {"enabled": False},
        "stateful": {"enabled": False},
    },
    "generation": {"max-examples": 10, "mode": "all"},
}


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """Called as a real WSGI app, Django closes "old" database connections around each request,
    which ends the test's transaction on PostgreSQL. Django's own test client does the same as
    this fixture: it detaches that handler while the request runs."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(cast) -> dict[str, str]:
    # HQ staff of cluster A: writes succeed on cluster A and are refused elsewhere, so the fuzzer
    # reaches both the services and the permission paths.
    token, _ = Token.objects.get_or_create(user=cast.hq_a)
    return {"Authorization": f"Token {token.key}"}


# Loaded when the module is collected (the schema view needs no database). schemathesis's lazy
# `from_fixture` loader does not work with pytest 9 (it sets a node attribute pytest removed).
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", application, config=SchemathesisConfig.from_dict(CONFIG)
)


# No server errors, and every answer is one the schema documents, in the documented format.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

_turn = itertools.count()


def _listing_a(cast, kind: str) -> int:
    """A public seed or need in cluster A, which the fuzzing user (HQ staff of A) may change."""
    model = Seed if kind == "seed" else Need
    existing = model.objects.filter(clusters=cast.cluster_a).values_list("pk", flat=True).first()
    if existing:
        return existing
    make = make_seed if kind == "seed" else make_need
    return make(cast.company_a, clusters=[cast.cluster_a], visibility="public").pk


def _aim_at_real_records(case, cast) -> None:
    """Point every other case at records that exist, so the fuzzer reaches the serializers and
    services instead of stopping at 404s and unknown links; the rest stay as generated."""
    if next(_turn) % 2:
        return

    def first(queryset):  # earlier examples may have deleted some records
        return queryset.values_list("pk", flat=True).first() or 1

    ids = {
        "organisations": cast.company_a.pk,
        "people": cast.engineer_a.pk,
        "affiliations": first(cast.engineer_a.affiliations.all()),
        "memberships": first(cast.cluster_a.memberships.all()),
        "hq-positions": first(cast.cluster_a.positions.all()),
        "budgets": first(cast.cluster_a.budgets.all()),
        "clusters": "cluster-a",
        "programmes": "test-programme",
        "prefectures": "13",
        "bureau-regions": "kanto",
        "fields": "life-science",
        "seeds": _listing_a(cast, "seed"),
        "needs": _listing_a(cast, "need"),
        "expressions-of-interest": first(Interest.objects.all()),
        "alerts": first(Alert.objects.all()),
        "inbox": first(InboxItem.objects.all()),
    }
    resource = case.path.split("/")[2]
    for name in case.path_parameters or {}:
        if resource in ids:
            case.path_parameters[name] = ids[resource]
    if isinstance(case.body, dict):
        links = {
            "cluster": "cluster-a",
            "programme": "test-programme",
            "organisation": cast.public_company_b.pk,
            "person": cast.researcher_a.pk,
            "prefecture": "13",
            "prefectures": ["13"],
            "fields": ["life-science"],
            "promotion_organisation": cast.hq_org_a.pk,
            "bureau_region": "kanto",
            "municipality": None,
            "industry": None,
            "seed": ids["seeds"],
            "need": ids["needs"],
            "clusters": ["cluster-a"],
            "researchers": [cast.researcher_a.pk],
            "contact": cast.participant_person.pk,
        }
        for name, value in links.items():
            if name in case.body:
                case.body[name] = value


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_input_makes_the_api_fail(case, cast, token_header):
    _aim_at_real_records(case, cast)
    response = case.call(headers=token_header)
    case.validate_response(response, checks=CHECKS)
