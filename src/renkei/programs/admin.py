from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from renkei.programs.models import Budget, Cluster, HQPosition, Membership, Programme


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_ja", "name_en", "ministry", "phase", "start_fy", "end_fy"]
    list_filter = ["ministry"]


class BudgetInline(admin.TabularInline):
    model = Budget
    extra = 0


class HQPositionInline(admin.TabularInline):
    model = HQPosition
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_ja", "name_en", "programme", "bureau_region", "start_fy", "verified"]
    list_filter = ["programme", "bureau_region", "verified", "is_trial"]
    search_fields = ["code", "name_ja", "name_en", "region_label"]
    filter_horizontal = ["prefectures", "fields"]
    raw_id_fields = ["promotion_organisation"]
    inlines = [HQPositionInline, BudgetInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "organisation", "role", "start_on", "end_on"]
    list_filter = ["cluster__programme", "role"]
    raw_id_fields = ["organisation"]
    search_fields = ["organisation__name_ja", "organisation__name_en", "cluster__code"]
