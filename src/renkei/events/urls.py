from django.urls import path

from renkei.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/register/", views.event_register, name="event_register"),
    path("<int:pk>/check-in/", views.event_check_in, name="event_check_in"),
    path("<int:pk>/slots/new/", views.time_slot_create, name="time_slot_create"),
    path("<int:pk>/tables/new/", views.table_create, name="table_create"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
]
