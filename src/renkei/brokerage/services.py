"""Every write to the CRM goes through these functions, each checking the actor's permission
itself, validating the whole record and writing it (with its history) in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.accounts.models import CLUSTER_SCOPED, Role
from renkei.accounts.scope import scope_for
from renkei.brokerage import access
from renkei.brokerage.choices import PIPELINE, IntroductionStage
from renkei.brokerage.models import Interaction, Introduction, StageChange
from renkei.core.services import save_validated
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.models import Organisation, Person


def today() -> datetime.date:
    return timezone.localdate()


def user_name(user) -> str:
    """How a coordinator (or any user) is named on CRM pages, exports and the API."""
    return user.get_full_name() or user.get_username()


def cluster_staff(cluster_id: int) -> QuerySet:
    """Users who may be named coordinator of a CRM record in the cluster (its coordinators and HQ)."""
    users = Role.objects.filter(cluster_id=cluster_id, kind__in=CLUSTER_SCOPED).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True).order_by("username")


def _check_write(actor, record, can_edit) -> None:
    """The actor must be allowed to change the record where it is stored now and where it goes:
    otherwise a coordinator could move another cluster's record into their own, or theirs away."""
    if not scope_for(actor).authenticated:
        raise PermissionDenied("Sign in to change CRM records.")
    if record.pk is not None:
        stored = type(record).objects.get(pk=record.pk)
        if not can_edit(actor, stored):
            raise PermissionDenied("You may not change this record.")
    if not access.can_write_in(actor, record.cluster_id):
        raise PermissionDenied("You may not write CRM records in this cluster.")


def _check_parties(
    actor, organisations: Iterable[Organisation], people: Iterable[Person], org_field: str, person_field: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    org_ids = {o.pk for o in organisations if o is not None}
    person_ids = {p.pk for p in people if p is not None}
    if org_ids - set(visible_organisations(actor).filter(pk__in=org_ids).values_list("pk", flat=True)):
        errors[org_field] = _("You may not name an organisation you cannot see.")
    if person_ids - set(visible_people(actor).filter(pk__in=person_ids).values_list("pk", flat=True)):
        errors[person_field] = _("You may not name a person you cannot see.")
    return errors


def _check_listings(actor, need, seed, need_field: str, seed_field: str) -> dict[str, str]:
    from renkei.matching.access import visible_needs, visible_seeds

    errors: dict[str, str] = {}
    if need is not None and not visible_needs(actor).filter(pk=need.pk).exists():
        errors[need_field] = _("You may not link a need you cannot see.")
    if seed is not None and not visible_seeds(actor).filter(pk=seed.pk).exists():
        errors[seed_field] = _("You may not link a seed you cannot see.")
    return errors


def _check_coordinator(record, errors: dict[str, str]) -> None:
    if record.coordinator_id is None or record.cluster_id is None:
        return
    if not cluster_staff(record.cluster_id).filter(pk=record.coordinator_id).exists():
        errors["coordinator"] = _("The coordinator must be a coordinator or HQ staff of the cluster.")


# --- interactions -------------------------------------------------------------------------


def do_save_interaction(
    actor,
    interaction: Interaction,
    *,
    organisations: Iterable[Organisation] = (),
    people: Iterable[Person] = (),
) -> Interaction:
    """Log a new interaction or change one; the actor becomes the coordinator when none is named."""
    _check_write(actor, interaction, access.can_edit_interaction)
    organisations, people = list(organisations), list(people)
    if interaction.pk is None:
        interaction.created_by = actor
        if interaction.coordinator_id is None:
            interaction.coordinator = actor
    # Only parties named now are checked: one already on the record stays even if the actor may
    # not see it (another coordinator named it), so an edit does not fail or drop it unseen.
    linked_orgs: set[int] = set()
    linked_people: set[int] = set()
    if interaction.pk is not None:
        linked_orgs = set(interaction.organisations.values_list("pk", flat=True))
        linked_people = set(interaction.people.values_list("pk", flat=True))
    named_orgs = [o for o in organisations if o.pk not in linked_orgs]
    named_people = [p for p in people if p.pk not in linked_people]
    errors = _check_parties(actor, named_orgs, named_people, "organisations", "people")
    errors.update(_check_listings(actor, interaction.need, interaction.seed, "need", "seed"))
    _check_coordinator(interaction, errors)
    if errors:
        raise ValidationError(errors)
    return save_validated(interaction, actor=actor, m2m={"organisations": organisations, "people": people})


def do_mark_follow_up_done(actor, interaction: Interaction) -> Interaction:
    access.check_can_edit_interaction(actor, interaction)
    interaction.follow_up_done = True
    interaction._history_user = actor
    interaction.save(update_fields=["follow_up_done", "updated_at"])
    return interaction


def overdue_follow_ups(user, *, on: datetime.date | None = None) -> QuerySet[Interaction]:
    """Follow-ups due before `on` (today) and not done: a coordinator's own, and for HQ staff
    every coordinator's in their clusters (their workload)."""
    on = on or today()
    scope = scope_for(user)
    rows = access.visible_interactions(user).filter(
        next_follow_up_on__lt=on, next_follow_up_on__isnull=False, follow_up_done=False
    )
    if not scope.reads_all:
        rows = rows.filter(Q(cluster_id__in=scope.hq_cluster_ids) | Q(coordinator=user))
    return rows.order_by("next_follow_up_on", "pk")


# --- introductions ------------------------------------------------------------------------


def do_save_introduction(actor, introduction: Introduction) -> Introduction:
    """Record a new introduction (at the stage "introduced") or change its details. The stage
    changes only through do_move_stage, so every move is validated and dated."""
    _check_write(actor, introduction, access.can_edit_introduction)
    creating = introduction.pk is None
    if creating:
        introduction.stage = IntroductionStage.INTRODUCED
        introduction.closed_reason = ""
        if introduction.coordinator_id is None:
            introduction.coordinator = actor
    else:
        stored = Introduction.objects.values("stage", "closed_reason").get(pk=introduction.pk)
        introduction.stage, introduction.closed_reason = stored["stage"], stored["closed_reason"]
    errors: dict[str, str] = {}
    for side in ("a", "b"):
        errors.update(
            _check_parties(
                actor,
                [getattr(introduction, f"party_{side}_organisation")],
                [getattr(introduction, f"party_{side}_person")],
                f"party_{side}_organisation",
                f"party_{side}_person",
            )
        )
    errors.update(
        _check_listings(actor, introduction.source_need, introduction.source_seed, "source_need", "source_seed")
    )
    if introduction.introduced_on and introduction.introduced_on > today():
        errors["introduced_on"] = _("The introduction cannot be in the future.")
    _check_coordinator(introduction, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        save_validated(introduction, actor=actor)
        if creating:
            StageChange.objects.create(
                introduction=introduction,
                from_stage="",
                to_stage=IntroductionStage.INTRODUCED,
                on=introduction.introduced_on,
                by=actor,
            )
    return introduction


def check_stage_move(actor, introduction: Introduction, to_stage: str, on: datetime.date | None, reason: str) -> None:
    """The pipeline's rules. A move goes forward (skipping stages is allowed: an NDA may come at
    the first meeting); it never goes back. Any open stage but "commercialised" may be closed,
    with a reason; only HQ staff reopen a closed introduction, also with a reason."""
    current = introduction.stage
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if to_stage not in IntroductionStage.values:
        raise ValidationError({"to_stage": _("Choose a stage of the pipeline.")})
    if to_stage == current:
        errors["to_stage"] = _("The introduction is already at this stage.")
    elif current == IntroductionStage.CLOSED:
        if not access.can_reopen(actor, introduction):
            errors["to_stage"] = _("Only the cluster's HQ staff may reopen a closed introduction.")
        elif not reason:
            errors["reason"] = _("Give the reason for reopening.")
    elif current == IntroductionStage.COMMERCIALISED:
        errors["to_stage"] = _("A commercialised introduction has reached the end of the pipeline.")
    elif to_stage == IntroductionStage.CLOSED:
        if not reason:
            errors["reason"] = _("Give the reason for closing.")
    elif PIPELINE.index(to_stage) < PIPELINE.index(current):
        errors["to_stage"] = _("An introduction does not move back in the pipeline; close it with a reason instead.")
    if on is None:
        errors["on"] = _("Give the date of the move.")
    else:
        last = introduction.stage_changes.order_by("-on").values_list("on", flat=True).first()
        if on > today():
            errors["on"] = _("The date cannot be in the future.")
        elif last is not None and on < last:
            errors["on"] = _("The date cannot be before the previous stage (%(date)s).") % {"date": f"{last:%Y-%m-%d}"}
    if errors:
        raise ValidationError(errors)


def do_move_stage(
    actor, introduction: Introduction, to_stage: str, *, on: datetime.date | None, reason: str = ""
) -> StageChange:
    access.check_can_edit_introduction(actor, introduction)
    with transaction.atomic():
        # Lock the row so two moves at once cannot both pass the rules against the same stage.
        locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
        check_stage_move(actor, locked, to_stage, on, reason)
        change = StageChange.objects.create(
            introduction=locked, from_stage=locked.stage, to_stage=to_stage, on=on, reason=reason.strip(), by=actor
        )
        locked.stage = to_stage
        locked.closed_reason = reason.strip() if to_stage == IntroductionStage.CLOSED else ""
        locked._history_user = actor
        locked._change_reason = reason.strip()
        locked.save(update_fields=["stage", "closed_reason", "updated_at"])
    introduction.refresh_from_db()
    return change


def stage_counts(introductions: QuerySet[Introduction]) -> dict[str, int]:
    """How many introductions stand at each stage (every stage present, zero when none)."""
    counts = dict.fromkeys(IntroductionStage.values, 0)
    for row in introductions.order_by().values("stage").annotate(n=Count("pk")):
        counts[row["stage"]] = row["n"]
    return counts
