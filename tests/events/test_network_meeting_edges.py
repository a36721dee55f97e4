"""Held business meetings become dated `event_meeting` ties in the network: person ↔ person and
organisation ↔ organisation, in the scope of the event's clusters."""

from __future__ import annotations

from renkei.core.fiscal import fiscal_year_of
from renkei.events.choices import MeetingStatus
from renkei.network.builder import CRM_TIE_TYPES, TIE_TYPES, build_platform_network, org_id, person_id
from tests.events.test_followup_survey import Setting


def _meeting_ties(network) -> list[tuple[frozenset[str], int, int]]:
    kind = network.types.index("event_meeting") if "event_meeting" in network.types else -1
    return [
        (frozenset((network.ids[s], network.ids[t])), int(year), int(cluster))
        for s, t, c, year, cluster in zip(
            network.source, network.target, network.type_code, network.start_fy, network.cluster, strict=True
        )
        if c == kind
    ]


def test_a_held_meeting_ties_the_people_and_their_organisations(cast):
    setting = Setting(cast)
    year = fiscal_year_of(setting.held.slot.starts_at.date())
    ties = _meeting_ties(build_platform_network([cast.cluster_a]))
    people = frozenset({person_id(cast.participant_person.pk), person_id(cast.researcher_a.pk)})
    organisations = frozenset({org_id(cast.company_a.pk), org_id(cast.university_a.pk)})
    # the meeting with the visitor (no person record) and the no-show add nothing
    assert sorted(ties, key=str) == sorted(
        [(people, year, cast.cluster_a.pk), (organisations, year, cast.cluster_a.pk)], key=str
    )
    assert "event_meeting" in TIE_TYPES and "event_meeting" in CRM_TIE_TYPES


def test_meetings_not_held_add_no_tie(cast):
    setting = Setting(cast)
    setting.held.status = MeetingStatus.CANCELLED
    setting.held.save(update_fields=["status"])
    assert _meeting_ties(build_platform_network([cast.cluster_a])) == []


def test_another_clusters_network_leaves_the_events_meetings_out(cast):
    Setting(cast)
    assert _meeting_ties(build_platform_network([cast.cluster_b])) == []
    assert len(_meeting_ties(build_platform_network())) == 2  # nationally they are there
