from django.urls import path

from renkei.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("new/", views.upload, name="upload"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/rejections.csv", views.run_rejections_csv, name="run_rejections_csv"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("corporations/lookup", views.corporation_lookup, name="corporation-lookup"),
]
