from django.urls import path

from renkei.imports import data_views, views

app_name = "imports"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("new/", views.upload, name="upload"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/rejections.csv", views.run_rejections_csv, name="run_rejections_csv"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("statistics/", data_views.statistics_list, name="statistics_list"),
    path("grants/", data_views.grant_list, name="grant_list"),
    path("grants/<int:pk>/", data_views.grant_detail, name="grant_detail"),
    path("patents/", data_views.patent_list, name="patent_list"),
    path("patents/<int:pk>/", data_views.patent_detail, name="patent_detail"),
    path("corporations/lookup", views.corporation_lookup, name="corporation-lookup"),
]
