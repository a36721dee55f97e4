from django.urls import path

from renkei.directory import views

app_name = "directory"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/contact/", views.person_contact_edit, name="person_contact_edit"),
    path("people/<int:pk>/affiliations/new/", views.affiliation_create, name="affiliation_create"),
    path("affiliations/<int:pk>/edit/", views.affiliation_edit, name="affiliation_edit"),
    path("affiliations/<int:pk>/delete/", views.affiliation_delete, name="affiliation_delete"),
    path("municipalities/", views.municipality_options, name="municipality_options"),
]
