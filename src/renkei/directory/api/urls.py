"""The directory's API routes, registered on the API router by renkei.api.urls."""

from __future__ import annotations

from renkei.directory.api import views

ROUTES = [
    ("organisations", views.OrganisationViewSet, "organisation"),
    ("people", views.PersonViewSet, "person"),
    ("affiliations", views.AffiliationViewSet, "affiliation"),
]
