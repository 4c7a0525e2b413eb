"""Django admin for the office's corrections. Records are read-only here: every change of
state or content goes through the services (the actions below), so it is checked and
audited like any other."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from awards.models import Attachment, Batch, Disclosure, Nomination, Objection, ReviewComment
from awards.nominations import services


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + [
            f.name for f in self.model._meta.many_to_many
        ]


def _run(modeladmin, request, queryset, move):
    result = services.bulk_transition(request.user, list(queryset), move)
    if result.done:
        modeladmin.message_user(
            request, _("%(n)s nomination(s) done.") % {"n": len(result.done)}, messages.SUCCESS
        )
    for pk, reason in result.refused.items():
        modeladmin.message_user(request, f"#{pk}: {reason}", messages.ERROR)


@admin.action(description=_("Start review of the selected nominations"))
def start_review(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, "start_review")


@admin.action(description=_("Accept the selected nominations for the council"))
def accept(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, "accept")


@admin.action(description=_("Withdraw the selected nominations"))
def withdraw(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, "withdraw")


@admin.action(description=_("Re-check eligibility now"))
def recheck(modeladmin, request, queryset):
    for n in queryset:
        try:
            services.record_verdict(request.user, n)
        except (ValidationError, PermissionDenied) as exc:
            modeladmin.message_user(request, f"#{n.pk}: {exc}", messages.ERROR)


class CommentInline(admin.TabularInline):
    model = ReviewComment
    extra = 0
    can_delete = False
    readonly_fields = ["section", "text", "round", "author", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["id", "award_type", "year", "person", "unit", "proposing_unit", "state"]
    list_filter = ["state", "level", "year", "award_type"]
    search_fields = ["person__full_name", "person__code", "unit__name", "unit__code"]
    list_select_related = ["award_type", "person", "unit", "proposing_unit"]
    actions = [start_review, accept, withdraw, recheck]
    inlines = [CommentInline]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "nomination", "batch", "size", "uploaded_at"]
    list_select_related = ["nomination__award_type", "batch"]


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["title", "proposing_unit", "year", "award_type", "created_at"]
    list_select_related = ["proposing_unit", "award_type"]


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "starts_on", "ends_on"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["nomination", "text", "created_at", "answered_at"]
    list_select_related = ["nomination__award_type"]
