from django.contrib import admin

from renkei.imports.models import (
    Corporation,
    GrantMember,
    GrantProject,
    ImportRejection,
    ImportRun,
    Patent,
    PatentApplicant,
    ResearcherIdentifier,
    ReviewCandidate,
    ReviewItem,
)


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


class GrantMemberInline(admin.TabularInline):
    model = GrantMember
    extra = 0
    can_delete = False
    readonly_fields = ["sequence", "role", "researcher_number", "name", "institution_name", "person"]
    fields = readonly_fields


@admin.register(GrantProject)
class GrantProjectAdmin(ReadOnlyAdmin):
    list_display = ["award_number", "title_ja", "category", "start_fiscal_year", "end_fiscal_year", "institution"]
    search_fields = ["=award_number", "title_ja", "title_en", "keywords"]
    list_select_related = ["institution"]
    inlines = [GrantMemberInline]


class PatentApplicantInline(admin.TabularInline):
    model = PatentApplicant
    extra = 0
    can_delete = False
    readonly_fields = ["sequence", "name", "corporate_number", "address", "organisation"]
    fields = readonly_fields


@admin.register(Patent)
class PatentAdmin(ReadOnlyAdmin):
    list_display = ["application_number", "title", "application_date", "registration_number"]
    search_fields = ["=application_number", "title", "applicants_text", "ipc"]
    inlines = [PatentApplicantInline]


@admin.register(ResearcherIdentifier)
class ResearcherIdentifierAdmin(ReadOnlyAdmin):
    list_display = ["erad_code", "person"]
    search_fields = ["=erad_code"]
    list_select_related = ["person"]


class ReviewCandidateInline(admin.TabularInline):
    model = ReviewCandidate
    extra = 0
    can_delete = False
    readonly_fields = ["organisation", "person", "score", "reason"]
    fields = readonly_fields


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    """Decisions are taken on the review pages (/imports/review/), which make the links."""

    list_display = ["name", "kind", "status", "owner", "run", "line_number", "decided_by", "decided_at"]
    list_filter = ["kind", "status", "owner"]
    search_fields = ["name", "context"]
    list_select_related = ["run", "decided_by"]
    inlines = [ReviewCandidateInline]
