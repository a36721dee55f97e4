from django.contrib import admin

from renkei.imports.models import Corporation, ImportRejection, ImportRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Imported records are written by the importers only; the admin shows them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Corporation)
class CorporationAdmin(ReadOnlyAdmin):
    list_display = ["corporate_number", "name", "prefecture_name", "city_name", "process", "update_date"]
    list_filter = ["kind", "process"]
    search_fields = ["=corporate_number", "name"]
    show_full_result_count = False  # five million rows: no count(*) on every page


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "source", "file_name", "status", "rows_read", "created", "updated", "rejected"]
    list_filter = ["source", "status"]
    search_fields = ["file_name", "sha256"]


@admin.register(ImportRejection)
class ImportRejectionAdmin(ReadOnlyAdmin):
    """Rejected rows, filtered by run (`?run__id__exact=N`); a run can have thousands."""

    list_display = ["run", "line_number", "field", "reason"]
    list_filter = ["field"]
    search_fields = ["reason", "raw"]
    list_select_related = ["run"]
