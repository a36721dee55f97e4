from django.urls import path

from renkei.brokerage import views

app_name = "brokerage"
urlpatterns = [
    path("interactions/", views.interaction_list, name="interaction_list"),
    path("interactions/new/", views.interaction_create, name="interaction_create"),
    path("interactions/<int:pk>/", views.interaction_detail, name="interaction_detail"),
    path("interactions/<int:pk>/edit/", views.interaction_edit, name="interaction_edit"),
    path("interactions/<int:pk>/follow-up-done/", views.follow_up_done, name="follow_up_done"),
    path("interactions/<int:pk>/attachments/", views.interaction_attach, name="interaction_attach"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("introductions/", views.board_index, name="board_index"),
    path("introductions/new/", views.introduction_create, name="introduction_create"),
    path("introductions/<int:pk>/", views.introduction_detail, name="introduction_detail"),
    path("introductions/<int:pk>/edit/", views.introduction_edit, name="introduction_edit"),
    path("introductions/<int:pk>/attachments/", views.introduction_attach, name="introduction_attach"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("board/<slug:code>/", views.board, name="board"),
    path("clusters/<slug:code>/conversion/", views.conversion, name="conversion"),
]
