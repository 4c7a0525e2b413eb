"""Django admin: administrators keep the catalogue, base salary and rule sets; the office
keeps award records. Every save goes through ``awards.services`` (validated, audited)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards import services
from awards.models import (
    AwardRecord,
    AwardType,
    BaseSalary,
    EligibilityVerdict,
    InitiativeUse,
    Rule,
    RuleSet,
)
from emulation_portal.admin import ServiceRefusalMixin


class ServiceSaveMixin(ServiceRefusalMixin):
    """Routes the admin's save and delete through a service."""

    save_service = None
    delete_service = None

    def save_model(self, request, obj, form, change):
        type(self).save_service(request.user, obj)

    def delete_model(self, request, obj):
        if self.delete_service is None:
            return super().delete_model(request, obj)
        type(self).delete_service(request.user, obj)


@admin.register(AwardType)
class AwardTypeAdmin(ServiceSaveMixin, admin.ModelAdmin):
    save_service = services.save_award_type
    list_display = [
        "code",
        "name_vi",
        "name_en",
        "subject",
        "category",
        "conferred_by",
        "council_vote",
        "multiplier_person",
        "multiplier_unit",
        "is_active",
    ]
    list_filter = ["category", "subject", "council_vote"]
    search_fields = ["code", "name_vi", "name_en"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(BaseSalary)
class BaseSalaryAdmin(ServiceSaveMixin, admin.ModelAdmin):
    save_service = services.save_base_salary
    list_display = ["effective_from", "amount", "legal_reference"]


class RuleInline(admin.TabularInline):
    model = Rule
    fk_name = "rule_set"
    fields = ["award_type", "subject", "legal_reference", "vote_threshold", "quota_enabled"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(ServiceSaveMixin, admin.ModelAdmin):
    save_service = services.save_rule_set
    list_display = ["code", "name", "effective_from", "effective_to", "legal_reference"]
    inlines = [RuleInline]


@admin.register(Rule)
class RuleAdmin(ServiceSaveMixin, admin.ModelAdmin):
    save_service = services.save_rule
    list_display = ["rule_set", "award_type", "subject", "vote_threshold", "quota_enabled"]
    list_filter = ["rule_set", "subject", "quota_enabled"]
    search_fields = ["award_type__code", "legal_reference", "description"]
    list_select_related = ["rule_set", "award_type"]


@admin.register(AwardRecord)
class AwardRecordAdmin(ServiceSaveMixin, admin.ModelAdmin):
    save_service = services.save_award_record
    delete_service = services.delete_award_record
    list_display = ["year", "award_type", "person", "unit", "kind", "decision_number", "source"]
    list_filter = ["year", "kind", "source", "award_type"]
    search_fields = [
        "person__code",
        "person__full_name",
        "unit__code",
        "unit__name",
        "decision_number",
    ]
    raw_id_fields = ["person", "unit"]
    list_select_related = ["award_type", "person", "unit"]
    readonly_fields = ["created_at", "created_by"]
    actions = ["delete_selected_records"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletions go through the service
        return actions

    @admin.action(description=_("Delete the selected award records"), permissions=["delete"])
    def delete_selected_records(self, request, queryset):
        for record in queryset:
            try:
                services.delete_award_record(request.user, record)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InitiativeUse)
class InitiativeUseAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "award_type", "year", "award_record"]
    list_select_related = ["initiative", "award_type", "award_record"]


@admin.register(EligibilityVerdict)
class EligibilityVerdictAdmin(ReadOnlyAdmin):
    list_display = ["award_type", "year", "person", "unit", "eligible", "rule_set", "recorded_at"]
    list_filter = ["year", "eligible", "rule_set"]
    list_select_related = ["award_type", "person", "unit", "rule_set"]
