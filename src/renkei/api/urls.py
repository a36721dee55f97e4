"""The REST API under /api/: one router for every app's endpoints, the token endpoint, the
OpenAPI schema (/api/schema/) and its documentation pages (/api/docs/, /api/redoc/), served
from local static files."""

from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from renkei.api.views import ObtainTokenView, not_found
from renkei.brokerage.api.urls import ROUTES as BROKERAGE_ROUTES
from renkei.core.api.urls import ROUTES as CORE_ROUTES
from renkei.directory.api.urls import ROUTES as DIRECTORY_ROUTES
from renkei.events.api.urls import ROUTES as EVENTS_ROUTES
from renkei.imports.api.urls import ROUTES as IMPORTS_ROUTES
from renkei.jobs.api.urls import ROUTES as JOBS_ROUTES
from renkei.matching.api.urls import ROUTES as MATCHING_ROUTES
from renkei.network.api.urls import ROUTES as NETWORK_ROUTES
from renkei.programs.api.urls import ROUTES as PROGRAMS_ROUTES

app_name = "api"

router = DefaultRouter()
for prefix, viewset, basename in [
    *DIRECTORY_ROUTES,
    *PROGRAMS_ROUTES,
    *CORE_ROUTES,
    *MATCHING_ROUTES,
    *JOBS_ROUTES,
    *IMPORTS_ROUTES,
    *BROKERAGE_ROUTES,
    *NETWORK_ROUTES,
    *EVENTS_ROUTES,
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"), name="redoc"),
    path("", include(router.urls)),
    re_path(r"", not_found),
]
