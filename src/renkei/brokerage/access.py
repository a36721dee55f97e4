"""Who may see and change the coordinator's CRM records (interactions and introductions).

The rules (one place, proved by tests/brokerage/test_access.py and test_page_access.py):
- coordinators and HQ staff of a cluster see its interactions and introductions;
- national officers and administrators read every cluster's records;
- participants and visitors see no CRM record at all, not even about their own organisation;
- notes of a confidential interaction are shown only to their author, the interaction's
  coordinator, the cluster's HQ staff and administrators (national officers read the record,
  not the confidential notes);
- coordinators and HQ staff of a cluster log interactions and introductions there; a coordinator
  edits the interactions they logged or that name them, HQ staff edit all of their cluster's;
- staff of the cluster move an introduction through its stages; only HQ staff reopen a closed one.
- the conversion chart of a cluster is for its HQ staff, national officers and administrators;
- attachments are read by those who read the record's notes (for a confidential interaction:
  its author and coordinator, the cluster's HQ staff and administrators), added by those who
  may change the record, and deleted by the one who uploaded them or the cluster's HQ staff.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from renkei.accounts.scope import scope_for
from renkei.brokerage.models import Attachment, Interaction, Introduction
from renkei.programs.models import Cluster


def can_use_crm(user) -> bool:
    """Whether the user has any CRM page at all (the others get 403 or the sign-in page)."""
    return scope_for(user).is_staff_role


def check_can_use_crm(user) -> None:
    if not can_use_crm(user):
        raise PermissionDenied("Only coordinators, HQ staff and national officers use the CRM.")


def _cluster_rule(user) -> Q | None:
    """None means no restriction."""
    scope = scope_for(user)
    if scope.reads_all:
        return None
    return Q(cluster_id__in=scope.staff_cluster_ids)


def visible_interactions(user) -> QuerySet[Interaction]:
    rule = _cluster_rule(user)
    qs = Interaction.objects.all()
    return qs if rule is None else qs.filter(rule)


def visible_introductions(user) -> QuerySet[Introduction]:
    rule = _cluster_rule(user)
    qs = Introduction.objects.all()
    return qs if rule is None else qs.filter(rule)


def access_interaction(user, pk) -> Interaction:
    """The interaction if the user may see it; 404 otherwise (never reveal that it exists)."""
    try:
        return visible_interactions(user).get(pk=pk)
    except (Interaction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such interaction") from exc


def access_introduction(user, pk) -> Introduction:
    try:
        return visible_introductions(user).get(pk=pk)
    except (Introduction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such introduction") from exc


def can_see_cluster(user, cluster: Cluster) -> bool:
    scope = scope_for(user)
    return scope.reads_all or cluster.pk in scope.staff_cluster_ids


def writable_clusters(user) -> QuerySet[Cluster]:
    """Clusters where the user may log interactions and introductions."""
    scope = scope_for(user)
    if scope.superuser:
        return Cluster.objects.all()
    return Cluster.objects.filter(pk__in=scope.staff_cluster_ids)


def can_write_in(user, cluster_id: int | None) -> bool:
    scope = scope_for(user)
    return scope.superuser or (cluster_id is not None and cluster_id in scope.staff_cluster_ids)


def is_hq_of(user, cluster_id: int | None) -> bool:
    scope = scope_for(user)
    return scope.superuser or (cluster_id is not None and cluster_id in scope.hq_cluster_ids)


def _is_own(user, interaction: Interaction) -> bool:
    return user.is_authenticated and user.pk in {interaction.created_by_id, interaction.coordinator_id}


def can_edit_interaction(user, interaction: Interaction) -> bool:
    if interaction.pk is None:
        return can_write_in(user, interaction.cluster_id)
    if is_hq_of(user, interaction.cluster_id):
        return True
    return can_write_in(user, interaction.cluster_id) and _is_own(user, interaction)


def check_can_edit_interaction(user, interaction: Interaction) -> None:
    if not can_edit_interaction(user, interaction):
        raise PermissionDenied("You may not change this interaction.")


def can_see_notes(user, interaction: Interaction) -> bool:
    """Whether the user reads the interaction's notes (given that they see the interaction)."""
    if not interaction.confidential:
        return can_see_cluster(user, interaction.cluster) if interaction.cluster_id else False
    return is_hq_of(user, interaction.cluster_id) or _is_own(user, interaction)


def can_edit_introduction(user, introduction: Introduction) -> bool:
    return can_write_in(user, introduction.cluster_id)


def check_can_edit_introduction(user, introduction: Introduction) -> None:
    if not can_edit_introduction(user, introduction):
        raise PermissionDenied("You may not change this introduction.")


def can_reopen(user, introduction: Introduction) -> bool:
    return is_hq_of(user, introduction.cluster_id)


def clusters_seen(user) -> QuerySet[Cluster]:
    """Clusters whose CRM records the user reads (for the board and the filters)."""
    scope = scope_for(user)
    if scope.reads_all:
        return Cluster.objects.all()
    return Cluster.objects.filter(pk__in=scope.staff_cluster_ids)


def can_see_conversion(user, cluster: Cluster) -> bool:
    """The conversion chart is for the cluster's HQ staff, national officers and administrators;
    coordinators see the board, not their colleagues' conversion rates."""
    scope = scope_for(user)
    return scope.reads_all or cluster.pk in scope.hq_cluster_ids


# --- attachments ----------------------------------------------------------------------------


def can_read_attachments(user, record: Interaction | Introduction) -> bool:
    """Whether the user opens the files of a record they see: an interaction's follow its notes
    (so a confidential one's are for its author and HQ); an introduction's are for all who see it."""
    if isinstance(record, Interaction):
        return can_see_notes(user, record)
    return can_see_cluster(user, record.cluster)


def can_add_attachment(user, record: Interaction | Introduction) -> bool:
    if isinstance(record, Interaction):
        return can_edit_interaction(user, record)
    return can_edit_introduction(user, record)


def can_delete_attachment(user, attachment: Attachment) -> bool:
    cluster_id = attachment.cluster_id
    if is_hq_of(user, cluster_id):
        return True
    return user.is_authenticated and attachment.uploaded_by_id == user.pk and can_write_in(user, cluster_id)


def access_attachment(user, pk) -> Attachment:
    """The attachment if the user may read it; 404 otherwise, also when they see the record but not
    its confidential files, so a download link never tells who may not follow it what is there."""
    try:
        attachment = Attachment.objects.select_related("interaction__cluster", "introduction__cluster").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such attachment") from exc
    record = attachment.record
    visible = visible_interactions(user) if isinstance(record, Interaction) else visible_introductions(user)
    if not visible.filter(pk=record.pk).exists() or not can_read_attachments(user, record):
        raise Http404("No such attachment")
    return attachment
