"""The imports API's routes, registered on the API router by renkei.api.urls."""

from __future__ import annotations

from renkei.imports.api import views

ROUTES = [
    ("import-runs", views.ImportRunViewSet, "import-run"),
    ("import-review-items", views.ReviewItemViewSet, "import-review-item"),
    ("regional-industry-statistics", views.RegionalIndustryStatisticViewSet, "regional-industry-statistic"),
]
