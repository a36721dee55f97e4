from __future__ import annotations

from django.db import connection
from django.http import HttpResponse


def healthz(request):
    """Liveness and database check for load balancers and monitoring: 200 "ok" or 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
