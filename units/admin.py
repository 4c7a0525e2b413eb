"""Django admin for the office: every save and delete goes through the services, so the
tree's paths, the search text and the audit log stay right."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from emulation_portal.admin import ServiceRefusalMixin
from units import services
from units.models import (
    Bloc,
    BlocMembership,
    Discipline,
    Initiative,
    Person,
    PersonYear,
    Unit,
    UnitOfficer,
    UnitRating,
)


class ServiceAdmin(ServiceRefusalMixin, admin.ModelAdmin):
    """Routes saves to ``write(request, obj, form, change)`` and deletes to ``remove``."""

    def save_model(self, request, obj, form, change):
        self.write(request, obj, form, change)

    def write(self, request, obj, form, change):  # pragma: no cover - each admin defines it
        raise NotImplementedError

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletes one by one, through the services
        return actions


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = services.UNIT_FIELDS

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        if self.instance.pk and parent is not None and "parent" in self.changed_data:
            try:
                services.check_no_cycle(self.instance, parent)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    form = UnitAdminForm
    list_display = ["code", "name", "kind", "parent", "active_to"]
    list_filter = ["kind"]
    search_fields = ["code", "search_text"]
    autocomplete_fields = ["parent", "successor"]
    ordering = ["path"]

    def write(self, request, obj, form, change):
        data = {f: form.cleaned_data.get(f) for f in form.changed_data}
        if change:
            services.update_unit(request.user, Unit.objects.get(pk=obj.pk), **data)
        else:
            created = services.create_unit(
                request.user,
                code=obj.code,
                name=obj.name,
                kind=obj.kind,
                parent=obj.parent,
                short_name=obj.short_name,
                active_from=obj.active_from,
                active_to=obj.active_to,
            )
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False  # close a unit instead: its history must stay


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    list_display = ["code", "full_name", "gender", "unit", "position", "is_manager"]
    list_filter = ["gender", "is_manager"]
    search_fields = ["code", "search_text"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]

    def write(self, request, obj, form, change):
        fields = ["code", "full_name", "gender", "birth_date", "position", "is_manager", "unit"]
        if change:
            services.update_person(request.user, obj, **{f: getattr(obj, f) for f in fields})
        else:
            obj.pk = services.create_person(request.user, **{f: getattr(obj, f) for f in fields}).pk


@admin.register(PersonYear)
class PersonYearAdmin(ServiceAdmin):
    list_display = ["person", "year", "unit", "rating", "position_level"]
    list_filter = ["year", "rating", "position_level"]
    search_fields = ["person__code", "person__search_text"]
    autocomplete_fields = ["person", "unit"]
    list_select_related = ["person", "unit"]

    def write(self, request, obj, form, change):
        obj.pk = services.set_person_year(
            request.user,
            person=obj.person,
            year=obj.year,
            rating=obj.rating,
            unit=obj.unit,
            position_level=obj.position_level,
        ).pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitRating)
class UnitRatingAdmin(ServiceAdmin):
    list_display = ["unit", "year", "rating"]
    list_filter = ["year", "rating"]
    autocomplete_fields = ["unit"]

    def write(self, request, obj, form, change):
        obj.pk = services.set_unit_rating(
            request.user, unit=obj.unit, year=obj.year, rating=obj.rating
        ).pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Discipline)
class DisciplineAdmin(ServiceAdmin):
    list_display = ["person", "level", "start_date", "end_date"]
    list_filter = ["level"]
    autocomplete_fields = ["person"]

    def write(self, request, obj, form, change):
        fields = ["level", "start_date", "end_date", "decision_ref", "reason"]
        if change:
            services.update_discipline(request.user, obj, **{f: getattr(obj, f) for f in fields})
        else:
            obj.pk = services.add_discipline(
                request.user, person=obj.person, **{f: getattr(obj, f) for f in fields}
            ).pk

    def delete_model(self, request, obj):
        services.delete_discipline(request.user, obj)


@admin.register(Initiative)
class InitiativeAdmin(ServiceAdmin):
    list_display = ["title", "person", "year", "kind", "scope", "recognized_on"]
    list_filter = ["year", "scope", "kind"]
    autocomplete_fields = ["person"]

    def write(self, request, obj, form, change):
        fields = ["year", "title", "kind", "scope", "recognized_on", "recognized_by"]
        if change:
            services.update_initiative(request.user, obj, **{f: getattr(obj, f) for f in fields})
        else:
            obj.pk = services.add_initiative(
                request.user, person=obj.person, **{f: getattr(obj, f) for f in fields}
            ).pk

    def delete_model(self, request, obj):
        services.delete_initiative(request.user, obj)


@admin.register(Bloc)
class BlocAdmin(ServiceAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]

    def write(self, request, obj, form, change):
        if change:
            services.update_bloc(
                request.user, obj, name=obj.name, kind=obj.kind, description=obj.description
            )
        else:
            obj.pk = services.create_bloc(
                request.user,
                code=obj.code,
                name=obj.name,
                kind=obj.kind,
                description=obj.description,
            ).pk


@admin.register(BlocMembership)
class BlocMembershipAdmin(ServiceAdmin):
    list_display = ["bloc", "year", "unit", "role"]
    list_filter = ["year", "bloc", "role"]
    autocomplete_fields = ["bloc", "unit"]
    list_select_related = ["bloc", "unit"]

    def get_readonly_fields(self, request, obj=None):
        return ["bloc", "year", "unit"] if obj else []

    def write(self, request, obj, form, change):
        if change:
            services.set_bloc_role(
                request.user, bloc=obj.bloc, year=obj.year, unit=obj.unit, role=obj.role
            )
        else:
            obj.pk = services.add_bloc_member(
                request.user, bloc=obj.bloc, year=obj.year, unit=obj.unit, role=obj.role
            ).pk

    def delete_model(self, request, obj):
        services.remove_bloc_member(request.user, bloc=obj.bloc, year=obj.year, unit=obj.unit)


@admin.register(UnitOfficer)
class UnitOfficerAdmin(ServiceAdmin):
    list_display = ["user", "unit"]
    autocomplete_fields = ["unit"]
    list_select_related = ["user", "unit"]

    def write(self, request, obj, form, change):
        if change:
            old = UnitOfficer.objects.get(pk=obj.pk)
            services.remove_officer(request.user, user=old.user, unit=old.unit)
        obj.pk = services.assign_officer(request.user, user=obj.user, unit=obj.unit).pk

    def delete_model(self, request, obj):
        services.remove_officer(request.user, user=obj.user, unit=obj.unit)
