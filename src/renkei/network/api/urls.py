"""The network API's routes, registered on the API router by renkei.api.urls."""

from __future__ import annotations

from renkei.network.api import views

ROUTES = [
    ("network", views.NetworkViewSet, "network"),
]
