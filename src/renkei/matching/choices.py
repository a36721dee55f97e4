from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The language a listing was written in (the other one may be given too)."""

    JA = "ja", _("Japanese")
    EN = "en", _("English")


class ListingVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    CLUSTER = "cluster", _("Members of its clusters")
    COORDINATORS = "coordinators", _("Cluster coordinators only")


class Stage(models.TextChoices):
    """How far a seed has come, from the laboratory to the market."""

    BASIC = "basic", _("Basic research")
    APPLIED = "applied", _("Applied research")
    PROOF = "proof", _("Proof of concept")
    PROTOTYPE = "prototype", _("Prototype")
    PRACTICAL = "practical", _("Ready for practical use")
    MARKET = "market", _("On the market")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Verdict(models.TextChoices):
    """A coordinator's judgement of a suggestion."""

    USEFUL = "useful", _("Useful")
    NOT_USEFUL = "not_useful", _("Not useful")
    INTRODUCED = "introduced", _("Introduced")


class TargetKind(models.TextChoices):
    SEED = "seed", _("Seed")
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Researcher")


class DeclineReason(models.TextChoices):
    TOO_EARLY = "too_early", _("Too early")
    ADVANTAGE_UNCLEAR = "advantage_unclear", _("Advantage unclear")
    ROUTE_UNCLEAR = "route_unclear", _("Route to market unclear")
    TOO_VAGUE = "too_vague", _("Description too vague")
    OUTSIDE_FIELD = "outside_field", _("Outside our field")
    OTHER = "other", _("Other")


class InterestStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    DECLINED = "declined", _("Declined")
    ACCEPTED = "accepted", _("Accepted")


class InboxKind(models.TextChoices):
    ALERT_MATCH = "alert_match", _("New match for an alert")
    INTEREST = "interest", _("Expression of interest")
    DECLINE = "decline", _("Interest declined")
    PROPOSAL = "proposal", _("Proposal to a challenge")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    DECLINED = "declined", _("Not shortlisted")
