from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from renkei.directory.models import Affiliation, Organisation, Person


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation", "person"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name_ja", "name_en", "kind", "prefecture", "corporate_number", "visibility", "source"]
    list_filter = ["kind", "visibility", "source", "prefecture__region"]
    search_fields = ["name_ja", "name_en", "name_kana", "corporate_number"]
    autocomplete_fields = ["municipality", "industry"]
    filter_horizontal = ["fields"]
    inlines = [AffiliationInline]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["family_name_ja", "given_name_ja", "family_name_en", "given_name_en", "visibility", "source"]
    list_filter = ["visibility", "consent_to_publish", "source"]
    search_fields = ["family_name_ja", "given_name_ja", "family_name_en", "family_name_kana", "email"]
    raw_id_fields = ["user"]
    filter_horizontal = ["fields"]
    inlines = [AffiliationInline]
