"""Django admin: issuers (their symbols and titles) and prize multiples are configuration
kept here; decisions, their lists, documents and submissions are read here and changed
through the services (pages, API). A decision is read-only once signed (the model refuses
a save as well); only a draft's texts may be corrected here."""

from django.contrib import admin

from awards.decisions.services.drafting import TEXT_FIELDS
from awards.models import (
    Decision,
    DecisionDocument,
    DecisionIssuer,
    DecisionItem,
    ExternalDecision,
    PrizeMultiple,
    Submission,
    SubmissionItem,
)


class NoDelete:
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(NoDelete):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DecisionIssuer)
class DecisionIssuerAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["name", "symbol", "is_ministry", "unit", "head_title"]
    raw_id_fields = ["unit"]


@admin.register(PrizeMultiple)
class PrizeMultipleAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["rule_set", "award_type", "subject", "multiple", "confirmed"]
    list_filter = ["rule_set", "subject", "confirmed"]
    list_select_related = ["rule_set", "award_type"]


class ItemInline(ReadOnly, admin.TabularInline):
    model = DecisionItem
    extra = 0
    fields = ["order", "nomination", "multiple", "base_salary", "amount"]
    readonly_fields = fields


@admin.register(Decision)
class DecisionAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["__str__", "issuer", "award_type", "award_year", "date", "state"]
    list_filter = ["state", "issuer", "award_type"]
    list_select_related = ["issuer", "award_type"]
    search_fields = ["subject", "symbol"]
    inlines = [ItemInline]
    fields = [
        "issuer",
        "symbol",
        "number",
        "year",
        "date",
        "award_type",
        "award_year",
        *TEXT_FIELDS,
        "state",
        "replaces",
        "signature_reference",
        "signed_file_sha256",
        "signed_by",
        "signed_at",
        "published_at",
    ]

    def has_add_permission(self, request):
        return False  # drafts are built from approved nominations on the decisions page

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_draft:
            return [f for f in self.fields if f not in TEXT_FIELDS]
        return self.fields


@admin.register(DecisionDocument)
class DecisionDocumentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["file", "kind", "decision", "size", "rendered_at"]
    list_filter = ["kind"]


class SubmissionItemInline(ReadOnly, admin.TabularInline):
    model = SubmissionItem
    extra = 0
    fields = ["order", "nomination", "granted_by"]
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "authority", "date", "state"]
    inlines = [SubmissionItemInline]


@admin.register(ExternalDecision)
class ExternalDecisionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["number", "authority", "date", "submission"]
