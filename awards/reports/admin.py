"""Django admin: the forms' layouts (a new circular is a new layout record) and the office's
own statistics for forms 0604/0605 are kept here, each save with an audit event; filed
summary editions are read-only (only the rendering job files them)."""

from django.contrib import admin
from django.db import transaction

from awards.models import OfficeStatistics, ReportLayout, SummaryEdition
from emulation_portal import audit


class Audited(admin.ModelAdmin):
    audit_fields: list[str] = []

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = (
                audit.snapshot(type(obj).objects.get(pk=obj.pk), self.audit_fields)
                if change
                else None
            )
            super().save_model(request, obj, form, change)
            audit.record(
                request.user,
                f"reports.{type(obj).__name__.lower()}_{'change' if change else 'add'}",
                obj,
                before=before,
                after=audit.snapshot(obj, self.audit_fields),
            )


@admin.register(ReportLayout)
class ReportLayoutAdmin(Audited):
    list_display = ["code", "title", "circular", "effective_from", "effective_to"]
    list_filter = ["code", "circular"]
    audit_fields = ["code", "title", "circular", "effective_from", "effective_to", "layout"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfficeStatistics)
class OfficeStatisticsAdmin(Audited):
    list_display = ["year", "offices", "staff_full_time", "staff_part_time", "staff_women"]
    audit_fields = [
        "year",
        "offices",
        "dedicated_offices",
        "staff_full_time",
        "staff_part_time",
        "staff_women",
        "note",
    ]


@admin.register(SummaryEdition)
class SummaryEditionAdmin(admin.ModelAdmin):
    list_display = ["year", "scope", "edition", "checksum", "created_at", "created_by"]
    list_filter = ["year"]
    readonly_fields = [f.name for f in SummaryEdition._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
