from django.urls import path

from renkei.brokerage import views

app_name = "brokerage"
urlpatterns = [
    path("interactions/", views.interaction_list, name="interaction_list"),
    path("interactions/new/", views.interaction_create, name="interaction_create"),
    path("interactions/<int:pk>/", views.interaction_detail, name="interaction_detail"),
    path("interactions/<int:pk>/edit/", views.interaction_edit, name="interaction_edit"),
    path("interactions/<int:pk>/follow-up-done/", views.follow_up_done, name="follow_up_done"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("introductions/", views.board_index, name="board_index"),
    path("introductions/new/", views.introduction_create, name="introduction_create"),
    path("introductions/<int:pk>/", views.introduction_detail, name="introduction_detail"),
    path("introductions/<int:pk>/edit/", views.introduction_edit, name="introduction_edit"),
    path("board/<slug:code>/", views.board, name="board"),
    path("clusters/<slug:code>/conversion/", views.conversion, name="conversion"),
]
