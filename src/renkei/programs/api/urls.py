"""The programmes' API routes, registered on the API router by renkei.api.urls."""

from __future__ import annotations

from renkei.programs.api import views

ROUTES = [
    ("programmes", views.ProgrammeViewSet, "programme"),
    ("clusters", views.ClusterViewSet, "cluster"),
    ("memberships", views.MembershipViewSet, "membership"),
    ("hq-positions", views.HQPositionViewSet, "hq-position"),
    ("budgets", views.BudgetViewSet, "budget"),
]
