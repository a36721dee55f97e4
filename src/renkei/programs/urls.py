from django.urls import path

from renkei.programs import views

app_name = "programs"

# The fixed prefixes come first: "<slug:code>/" would otherwise capture "clusters/" and "new/".
# ProgrammeForm and ClusterForm refuse codes that collide with them (see forms.RESERVED_CODES).
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("new/", views.programme_create, name="programme_create"),
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/new/", views.cluster_create, name="cluster_create"),
    path("clusters/<slug:code>/", views.cluster_detail, name="cluster_detail"),
    path("clusters/<slug:code>/edit/", views.cluster_edit, name="cluster_edit"),
    path("clusters/<slug:code>/members/new/", views.membership_create, name="membership_create"),
    path("clusters/<slug:code>/positions/new/", views.position_create, name="position_create"),
    path("clusters/<slug:code>/budgets/new/", views.budget_create, name="budget_create"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/delete/", views.membership_delete, name="membership_delete"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/<int:pk>/delete/", views.position_delete, name="position_delete"),
    path("budgets/<int:pk>/edit/", views.budget_edit, name="budget_edit"),
    path("budgets/<int:pk>/delete/", views.budget_delete, name="budget_delete"),
    path("<slug:code>/", views.programme_detail, name="programme_detail"),
    path("<slug:code>/edit/", views.programme_edit, name="programme_edit"),
]
