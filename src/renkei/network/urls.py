from django.urls import path

from renkei.network import views

app_name = "network"
urlpatterns = [
    path("", views.network_explorer, name="explorer"),
    path("export/<str:fmt>/", views.export, name="export"),
]
