"""Django admin: the office keeps councils, their terms and members here (through the
services when adding members is needed from code; the forms below write the same rows,
audited by the admin log). Sessions, attendance and ballots are read-only: a ballot is
never changed, by anyone."""

from django.contrib import admin

from awards.models import (
    Ballot,
    BallotChoice,
    Council,
    CouncilMember,
    CouncilSession,
    CouncilTerm,
    SessionItem,
    VoterRoll,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TermInline(admin.TabularInline):
    model = CouncilTerm
    extra = 0
    fields = ["starts_on", "ends_on", "decision_number", "decision_date"]
    show_change_link = True


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "unit", "is_active"]
    list_filter = ["level", "is_active"]
    list_select_related = ["unit"]
    autocomplete_fields = []
    raw_id_fields = ["unit"]
    inlines = [TermInline]

    def has_delete_permission(self, request, obj=None):
        return False


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    fields = ["user", "role", "position", "unit", "votes", "order"]
    raw_id_fields = ["user", "unit"]


@admin.register(CouncilTerm)
class CouncilTermAdmin(admin.ModelAdmin):
    list_display = ["council", "starts_on", "ends_on", "decision_number"]
    list_select_related = ["council"]
    inlines = [MemberInline]

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(admin.TabularInline):
    model = SessionItem
    extra = 0
    can_delete = False
    fields = [
        "order",
        "nomination",
        "approvals",
        "disapprovals",
        "abstentions",
        "recusals",
        "passed",
        "rank",
        "tied",
        "casting",
        "approved",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CouncilSession)
class CouncilSessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "council", "date", "state", "secret", "members_count"]
    list_filter = ["state", "council"]
    list_select_related = ["council"]
    inlines = [ItemInline]


class ChoiceInline(admin.TabularInline):
    model = BallotChoice
    extra = 0
    can_delete = False
    fields = ["item", "choice"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["receipt", "session", "written", "secret"]
    list_filter = ["session"]
    inlines = [ChoiceInline]


@admin.register(VoterRoll)
class VoterRollAdmin(ReadOnlyAdmin):
    list_display = ["session", "member"]
    list_filter = ["session"]
