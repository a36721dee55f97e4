"""The matching API's routes, registered on the API router by renkei.api.urls."""

from __future__ import annotations

from renkei.matching.api import views

ROUTES = [
    ("seeds", views.SeedViewSet, "seed"),
    ("needs", views.NeedViewSet, "need"),
    ("matching", views.MatchingViewSet, "matching"),
    ("expressions-of-interest", views.InterestViewSet, "interest"),
    ("alerts", views.AlertViewSet, "alert"),
    ("inbox", views.InboxViewSet, "inbox"),
]
