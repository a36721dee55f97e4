from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from renkei.matching.models import Alert, Challenge, Feedback, InboxItem, Interest, Need, Proposal, Seed


@admin.register(Seed)
class SeedAdmin(SimpleHistoryAdmin):
    list_display = ["title_ja", "title_en", "organisation", "stage", "trl", "visibility", "anonymised", "updated_at"]
    list_filter = ["visibility", "anonymised", "stage", "lang"]
    search_fields = ["title_ja", "title_en", "keywords"]
    raw_id_fields = ["organisation", "created_by"]
    filter_horizontal = ["fields", "clusters", "researchers"]


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ["title_ja", "title_en", "organisation", "status", "visibility", "anonymised", "updated_at"]
    list_filter = ["status", "visibility", "anonymised", "lang"]
    search_fields = ["title_ja", "title_en"]
    raw_id_fields = ["organisation", "contact", "created_by"]
    filter_horizontal = ["fields", "clusters"]


@admin.register(Feedback)
class FeedbackAdmin(SimpleHistoryAdmin):
    list_display = ["need", "target_kind", "target_id", "verdict", "decline_reason", "author", "updated_at"]
    list_filter = ["verdict", "target_kind"]
    raw_id_fields = ["need", "author"]


@admin.register(Interest)
class InterestAdmin(SimpleHistoryAdmin):
    list_display = ["sender_name", "seed", "need", "status", "decline_reason", "routed_to_coordinator", "created_at"]
    list_filter = ["status", "decline_reason", "routed_to_coordinator"]
    raw_id_fields = ["seed", "need", "sender"]


@admin.register(Challenge)
class ChallengeAdmin(SimpleHistoryAdmin):
    list_display = ["need", "deadline"]
    raw_id_fields = ["need"]


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["challenge", "seed", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["challenge", "seed", "author"]


admin.site.register(Alert)
admin.site.register(InboxItem)
