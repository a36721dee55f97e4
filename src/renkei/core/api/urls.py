"""The reference data's API routes, registered on the API router by renkei.api.urls."""

from __future__ import annotations

from renkei.core.api import views

ROUTES = [
    ("prefectures", views.PrefectureViewSet, "prefecture"),
    ("bureau-regions", views.BureauRegionViewSet, "bureau-region"),
    ("municipalities", views.MunicipalityViewSet, "municipality"),
    ("industries", views.IndustryClassViewSet, "industry"),
    ("fields", views.TechFieldViewSet, "field"),
]
