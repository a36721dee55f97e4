from django.urls import path

from renkei.matching import views

app_name = "matching"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("seeds/", views.seed_list, name="seed_list"),
    path("seeds/new/", views.seed_create, name="seed_create"),
    path("seeds/<int:pk>/", views.seed_detail, name="seed_detail"),
    path("seeds/<int:pk>/edit/", views.seed_edit, name="seed_edit"),
    path("seeds/<int:pk>/interest/", views.seed_interest, name="seed_interest"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/interest/", views.need_interest, name="need_interest"),
    path("needs/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("needs/<int:pk>/challenge/", views.challenge_open, name="challenge_open"),
    path("interests/<int:pk>/decline/", views.interest_decline, name="interest_decline"),
    path("alerts/new/", views.alert_create, name="alert_create"),
    path("alerts/<int:pk>/delete/", views.alert_delete, name="alert_delete"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("challenges/", views.challenge_list, name="challenge_list"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenge_detail"),
    path("challenges/<int:pk>/propose/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/status/", views.proposal_status, name="proposal_status"),
]
