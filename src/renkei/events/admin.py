from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from renkei.events.models import Event, Registration, Table, TimeSlot


class TimeSlotInline(admin.TabularInline):
    model = TimeSlot
    extra = 0


class TableInline(admin.TabularInline):
    model = Table
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title_ja", "title_en", "kind", "starts_at", "status", "capacity"]
    list_filter = ["kind", "status"]
    filter_horizontal = ["clusters"]
    inlines = [TimeSlotInline, TableInline]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["event", "person", "visitor_name", "visitor_email", "status", "created_at", "checked_in_at"]
    list_filter = ["status"]
    raw_id_fields = ["event", "person"]
