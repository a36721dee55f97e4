from django.contrib import admin

from renkei.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Operators see everything about a job here, the traceback of an unexpected error included."""

    list_display = ["pk", "kind", "status", "started_by", "cluster", "created_at", "finished_at", "worker"]
    list_filter = ["status", "kind"]
    search_fields = ["kind", "started_by__username", "error"]
    readonly_fields = [field.name for field in Job._meta.fields]
