"""The CRM API's routes, registered on the API router by renkei.api.urls."""

from __future__ import annotations

from renkei.brokerage.api import views

ROUTES = [
    ("crm/interactions", views.InteractionViewSet, "crm-interaction"),
    ("crm/introductions", views.IntroductionViewSet, "crm-introduction"),
    ("crm/follow-ups", views.FollowUpViewSet, "crm-follow-up"),
]
