from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renkei.web import dashboard


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: the reader's own clusters first (HQ staff, coordinators, participants),
    then the national view, every count limited to what the reader may see."""
    context = {
        "own_clusters": dashboard.cluster_summaries(request.user),
        **dashboard.national_dashboard(request.user),
    }
    return render(request, "web/home.html", context)
