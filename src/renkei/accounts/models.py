"""Roles (役割): what a signed-in user may do, scoped to a cluster, an organisation or the nation."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renkei.directory.models import Organisation
from renkei.programs.models import Cluster


class RoleKind(models.TextChoices):
    NATIONAL_OFFICER = "national_officer", _("National officer")
    HQ_STAFF = "hq_staff", _("Cluster HQ staff")
    COORDINATOR = "coordinator", _("Coordinator")
    PARTICIPANT = "participant", _("Participant")


CLUSTER_SCOPED = {RoleKind.HQ_STAFF, RoleKind.COORDINATOR}


class Role(models.Model):
    """One role held by one user. A user may hold several (HQ staff of one cluster and coordinator
    of another); permissions are the union."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    kind = models.CharField(_("role"), max_length=24, choices=RoleKind.choices)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="roles", verbose_name=_("cluster")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("organisation"),
    )

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["hq_staff", "coordinator"]) | Q(cluster__isnull=False),
                name="role_cluster_scoped_needs_cluster",
            ),
            models.UniqueConstraint(fields=["user", "kind", "cluster", "organisation"], name="role_unique"),
        ]

    def __str__(self) -> str:
        scope = self.cluster or self.organisation or _("national")
        return f"{self.user} — {self.get_kind_display()} ({scope})"

    def clean(self) -> None:
        if self.kind in CLUSTER_SCOPED and not self.cluster_id:
            raise ValidationError({"cluster": _("This role needs a cluster.")})
        if self.kind == RoleKind.PARTICIPANT and not self.organisation_id:
            raise ValidationError({"organisation": _("A participant role needs an organisation.")})


class LoginFailure(models.Model):
    """A failed sign-in, kept for throttling by username and by client address."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
