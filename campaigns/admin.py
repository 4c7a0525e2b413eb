"""Django admin: office staff browse everything; changes go through the pages and services
(every model is read-only here, except through the actions, which call services)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns import models, services


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PhaseInline(admin.TabularInline):
    model = models.Phase
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("year", "name", "kind", "state", "starts_on", "ends_on", "launched_at")
    list_filter = ("kind", "state", "year")
    search_fields = ("name", "theme")
    inlines = [PhaseInline]
    actions = ["launch", "close"]

    def _run(self, request, queryset, func):
        for campaign in queryset:
            try:
                func(request.user, campaign)
            except ValidationError as exc:
                self.message_user(request, f"{campaign}: {'; '.join(exc.messages)}", messages.ERROR)

    @admin.action(description=_("Launch the selected campaigns"))
    def launch(self, request, queryset):
        self._run(request, queryset, services.launch_campaign)

    @admin.action(description=_("Close the selected campaigns"))
    def close(self, request, queryset):
        self._run(request, queryset, services.close_campaign)


@admin.register(models.Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "unit", "collective_title", "state", "submitted_at")
    list_filter = ("state", "campaign__year")
    search_fields = ("unit__name", "unit__code")


@admin.register(models.Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ("bloc", "year", "version", "state", "locked_at")
    list_filter = ("state", "year", "bloc")


@admin.register(models.Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ("criterion", "unit", "self_points", "final_points", "adjusted_by", "version")
    list_filter = ("criterion__pledge__year", "criterion__pledge__bloc")


@admin.register(models.Ranking)
class RankingAdmin(ReadOnlyAdmin):
    list_display = ("bloc", "year", "computed_at", "published_at")
    list_filter = ("year", "bloc")


@admin.register(models.BlocMeeting)
class BlocMeetingAdmin(ReadOnlyAdmin):
    list_display = ("bloc", "year", "kind", "held_on", "place", "host", "result_recorded_at")
    list_filter = ("kind", "year", "bloc")


@admin.register(models.AcclamationProposal)
class AcclamationProposalAdmin(ReadOnlyAdmin):
    list_display = ("bloc", "year", "unit", "award_code", "votes", "voters")
    list_filter = ("year", "award_code", "bloc")


for model in (models.AcclamationVote, models.ElectionVote, models.Signature):
    admin.site.register(model, ReadOnlyAdmin)
