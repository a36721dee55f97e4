"""The jobs API's routes, registered on the API router by renkei.api.urls."""

from __future__ import annotations

from renkei.jobs.api import views

ROUTES = [
    ("jobs", views.JobViewSet, "job"),
]
