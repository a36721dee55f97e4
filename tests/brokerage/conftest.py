"""CRM records on top of the named cast: in cluster A, an open and a confidential interaction
logged by coordinator_a and an introduction; in cluster B, an interaction and an introduction
by hq_b."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from renkei.brokerage import services
from renkei.brokerage.choices import InteractionKind
from renkei.brokerage.models import Interaction, Introduction

DAY = datetime.date(2026, 4, 10)


@dataclass
class Crm:
    open_a: Interaction
    confidential_a: Interaction
    interaction_b: Interaction
    introduction_a: Introduction
    introduction_b: Introduction


def make_interaction(actor, cluster, *, topic="Consultation on sensors", organisations=(), people=(), **extra):
    interaction = Interaction(
        kind=extra.pop("kind", InteractionKind.CONSULTATION),
        date=extra.pop("date", DAY),
        cluster=cluster,
        topic=topic,
        **extra,
    )
    return services.do_save_interaction(actor, interaction, organisations=organisations, people=people)


def make_introduction(actor, cluster, **parties):
    return services.do_save_introduction(
        actor, Introduction(cluster=cluster, topic="Glycan sensor", introduced_on=DAY, **parties)
    )


@pytest.fixture
def crm(cast) -> Crm:
    return build_crm(cast)


def build_crm(cast) -> Crm:
    return Crm(
        open_a=make_interaction(
            cast.coordinator_a,
            cast.cluster_a,
            topic="Visit to Alpha Precision",
            organisations=[cast.company_a],
            people=[cast.participant_person],
            notes="They want a partner for surface coating.",
            next_follow_up_on=datetime.date(2026, 5, 1),
        ),
        confidential_a=make_interaction(
            cast.coordinator_a,
            cast.cluster_a,
            topic="Hidden Alpha financing",
            organisations=[cast.secret_company_a],
            notes="Cash runs out in March.",
            confidential=True,
        ),
        interaction_b=make_interaction(
            cast.hq_b,
            cast.cluster_b,
            topic="Beta Devices call",
            organisations=[cast.public_company_b],
            notes="Beta note",
        ),
        introduction_a=make_introduction(
            cast.coordinator_a, cast.cluster_a, party_a_organisation=cast.company_a, party_b_person=cast.researcher_a
        ),
        introduction_b=make_introduction(
            cast.hq_b,
            cast.cluster_b,
            party_a_organisation=cast.public_company_b,
            party_b_organisation=cast.secret_company_b,
        ),
    )
