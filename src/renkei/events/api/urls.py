"""The events API's routes, registered on the API router by renkei.api.urls."""

from __future__ import annotations

from renkei.events.api import views

ROUTES = [
    ("events", views.EventViewSet, "event"),
    ("event-registrations", views.RegistrationViewSet, "event-registration"),
    ("meeting-requests", views.MeetingRequestViewSet, "meeting-request"),
    ("meetings", views.MeetingViewSet, "meeting"),
]
