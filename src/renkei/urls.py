from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from renkei.web.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("renkei.api.urls")),
    path("imports/", include("renkei.imports.urls")),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("renkei.web.urls")),
    path("directory/", include("renkei.directory.urls")),
    path("programmes/", include("renkei.programs.urls")),
    path("matching/", include("renkei.matching.urls")),
    path("brokerage/", include("renkei.brokerage.urls")),
    path("events/", include("renkei.events.urls")),
    path("jobs/", include("renkei.jobs.urls")),
    path("network/", include("renkei.network.urls")),
    prefix_default_language=True,
)
