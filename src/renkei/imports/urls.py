from django.urls import path

from renkei.imports import views

app_name = "imports"

urlpatterns = [
    path("corporations/lookup", views.corporation_lookup, name="corporation-lookup"),
]
