"""REST API of the registry (``/api/v1/units/``, ``people/``, ``ratings/``, ``unit-ratings/``,
``initiatives/``, ``disciplines/``, ``blocs/``, ``bloc-memberships/``).

Reads are scoped exactly like the pages (a unit officer sees their own subtree); writes
use the same rules and go through the services. Filters: ``unit`` (a unit code: that unit
and its sub-units), ``year``, ``bloc``, ``person``; ``?search=`` is accent-insensitive.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from emulation_portal.api_errors import as_drf
from emulation_portal.pagination import CappedCountPagination
from emulation_portal.params import query_year
from emulation_portal.permissions import RulesPermission
from units import privacy, selectors, services
from units.models import (
    Bloc,
    BlocMembership,
    Discipline,
    Initiative,
    Person,
    PersonYear,
    PositionLevel,
    Unit,
    UnitRating,
)
from units.selectors import counted_position_level_q


def _scope_unit(request, queryset, prefix: str):
    """Filter ``queryset`` by ``?unit=CODE`` (that unit's subtree) among visible units."""
    code = request.query_params.get("unit")
    if not code:
        return queryset
    unit = selectors.visible_units(request.user).filter(code=code).first()
    if unit is None:
        return queryset.none()
    return queryset.filter(**{f"{prefix}path__startswith": unit.path})


# -- units ---------------------------------------------------------------------------------
class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.all(), required=False, allow_null=True
    )
    successor = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "path",
            "depth",
            "active_from",
            "active_to",
            "successor",
        ]
        read_only_fields = ["path", "depth"]
        validators = []
        extra_kwargs = {"code": {"validators": []}}

    def create(self, data):
        data.pop("successor", None)
        return services.create_unit(self.context["request"].user, **data)

    def update(self, unit, data):
        return services.update_unit(self.context["request"].user, unit, **data)


class UnitViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Units visible to the caller. Filters: ``unit`` (subtree), ``kind``, ``active``."""

    serializer_class = UnitSerializer
    permission_classes = [RulesPermission]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    rules = {
        "list": "units.browse",
        "retrieve": "units.browse",
        "create": "units.add_unit",
        "update": "units.change_unit",
        "partial_update": "units.change_unit",
        "object:retrieve": "units.view_unit",
        "object:update": "units.change_unit",
        "object:partial_update": "units.change_unit",
    }

    def get_queryset(self):
        qs = selectors.visible_units(self.request.user).select_related("parent", "successor")
        qs = _scope_unit(self.request, qs, "")
        params = self.request.query_params
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("active") in ("true", "false"):
            qs = qs.filter(active_to__isnull=params["active"] == "true")
        qs = selectors.search(qs, params.get("search", ""))
        return qs.order_by("path")


# -- people --------------------------------------------------------------------------------
class PersonYearSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PersonYear
        fields = ["year", "unit", "rating", "position_level"]


class PersonSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "code",
            "full_name",
            "gender",
            "birth_date",
            "position",
            "is_manager",
            "unit",
            "unit_name",
        ]
        validators = []
        extra_kwargs = {"code": {"validators": []}}

    def to_representation(self, person):
        """Drops ``birth_date`` for a requester who may not read it (need to know)."""
        data = super().to_representation(person)
        request = self.context.get("request")
        if request is not None and not request.user.has_perm("units.read_birth_date", person):
            data.pop("birth_date", None)
        return data

    def _check_unit(self, unit):
        if not self.context["request"].user.has_perm("units.add_person", unit):
            raise PermissionDenied

    def create(self, data):
        self._check_unit(data["unit"])
        return services.create_person(self.context["request"].user, **data)

    def update(self, person, data):
        if "unit" in data:
            self._check_unit(data["unit"])
        return services.update_person(self.context["request"].user, person, **data)


class PersonDetailSerializer(PersonSerializer):
    years = PersonYearSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "years"]


class PersonViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """People visible to the caller. Filters: ``unit`` (current unit's subtree), ``year``
    (people with a recorded year; with ``rating``), ``bloc`` + ``year`` (people whose
    unit that year belongs to the bloc), ``search``. A national table: its count is capped."""

    permission_classes = [RulesPermission]
    pagination_class = CappedCountPagination
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    rules = {
        "list": "units.browse",
        "retrieve": "units.browse",
        "create": "units.add_person",
        "update": "units.change_person",
        "partial_update": "units.change_person",
        "object:retrieve": "units.view_person",
        "object:update": "units.change_person",
        "object:partial_update": "units.change_person",
    }

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    def get_queryset(self):
        params = self.request.query_params
        qs = selectors.visible_people(self.request.user).select_related("unit")
        qs = _scope_unit(self.request, qs, "unit__")
        year = query_year(params)
        if year:
            years = PersonYear.objects.filter(year=year)
            if params.get("rating"):
                years = years.filter(rating=params["rating"])
            bloc = params.get("bloc")
            if bloc:
                units = BlocMembership.objects.filter(bloc__code=bloc, year=year).values("unit")
                years = years.filter(unit__in=units)
            qs = qs.filter(pk__in=years.values("person_id"))
        elif params.get("bloc"):
            raise ValidationError({"year": _("Give the year with the bloc.")})
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("years", PersonYear.objects.select_related("unit").order_by("year"))
            )
        search = params.get("search", "")
        return selectors.by_name(selectors.search(qs, search), searching=bool(search.strip()))


# -- a person's records ---------------------------------------------------------------------
class PersonRecordViewSet(viewsets.ModelViewSet):
    """Shared by ratings, initiatives and disciplines: visible through the person's scope,
    written by whoever may change the person. National tables: their counts are capped."""

    permission_classes = [RulesPermission]
    pagination_class = CappedCountPagination
    rules = {
        "list": "units.browse",
        "retrieve": "units.browse",
        "create": "units.browse",
        "update": "units.browse",
        "partial_update": "units.browse",
        "destroy": "units.browse",
        "object:update": "units.change_person",
        "object:partial_update": "units.change_person",
        "object:destroy": "units.change_person",
    }
    model = None
    year_field = "year"

    def get_queryset(self):
        params = self.request.query_params
        people = selectors.visible_people(self.request.user)
        qs = self.model.objects.filter(person__in=people).select_related("person")
        qs = _scope_unit(self.request, qs, "person__unit__")
        if params.get("person"):
            qs = qs.filter(person__code=params["person"])
        year = query_year(params)
        if year:
            qs = qs.filter(**{self.year_field: year})
        return qs.order_by("person__code", "pk")

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj.person)

    def _person(self, serializer):
        person = serializer.validated_data["person"]
        if not self.request.user.has_perm("units.change_person", person):
            raise PermissionDenied
        return person


class PersonRef(serializers.SlugRelatedField):
    """A person by code, among the people the caller may see."""

    def __init__(self, **kw):
        super().__init__(slug_field="code", queryset=Person.objects.all(), **kw)

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.visible_people(request.user) if request else Person.objects.none()


class RatingSerializer(serializers.ModelSerializer):
    person = PersonRef()
    unit = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.all(), required=False
    )

    class Meta:
        model = PersonYear
        fields = ["id", "person", "year", "unit", "rating", "position_level"]
        validators = []


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "position_level",
                str,
                enum=PositionLevel.values,
                description="The level the year counts at: the recorded one, else QUAN_LY "
                "for a manager and TRUC_TIEP for anyone else.",
            )
        ]
    )
)
class RatingViewSet(PersonRecordViewSet):
    """People's years: the unit they belonged to, their rating and position level."""

    serializer_class = RatingSerializer
    model = PersonYear
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset().select_related("unit")
        level = self.request.query_params.get("position_level", "")
        if level:
            if level not in PositionLevel.values:
                raise ValidationError(
                    {
                        "position_level": _("%(value)s is not one of: %(choices)s.")
                        % {"value": level[:40], "choices": ", ".join(PositionLevel.values)}
                    }
                )
            qs = qs.filter(counted_position_level_q(level))
        return qs

    def _check_year_units(self, person, year, unit):
        """A unit officer writes a person's year only where both the unit the row names now
        and the unit it will name are in their scope: moving a year into, or rewriting a
        year of, a unit outside it is another unit's history."""
        existing = (
            PersonYear.objects.filter(person=person, year=year).select_related("unit").first()
        )
        units = [unit or (existing.unit if existing else person.unit)]
        if existing is not None:
            units.append(existing.unit)
        user = self.request.user
        if not all(user.has_perm("units.rate_unit_year", u) for u in units):
            raise PermissionDenied

    def perform_create(self, serializer):
        person = self._person(serializer)
        data = serializer.validated_data
        self._check_year_units(person, data["year"], data.get("unit"))
        serializer.instance = services.set_person_year(
            self.request.user,
            person=person,
            year=data["year"],
            rating=data.get("rating", ""),
            unit=data.get("unit"),
            position_level=data.get("position_level"),
        )

    def perform_update(self, serializer):
        py = serializer.instance
        data = serializer.validated_data
        self._check_year_units(py.person, py.year, data.get("unit"))
        serializer.instance = services.set_person_year(
            self.request.user,
            person=py.person,
            year=py.year,
            rating=data.get("rating", py.rating),
            unit=data.get("unit"),
            position_level=data.get("position_level"),
        )


class InitiativeSerializer(serializers.ModelSerializer):
    person = PersonRef()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "person",
            "year",
            "title",
            "kind",
            "scope",
            "recognized_on",
            "recognized_by",
        ]
        validators = []


class InitiativeViewSet(PersonRecordViewSet):
    serializer_class = InitiativeSerializer
    model = Initiative

    def perform_create(self, serializer):
        person = self._person(serializer)
        data = {k: v for k, v in serializer.validated_data.items() if k != "person"}
        serializer.instance = services.add_initiative(self.request.user, person=person, **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "person"}
        serializer.instance = services.update_initiative(
            self.request.user, serializer.instance, **data
        )

    def perform_destroy(self, instance):
        services.delete_initiative(self.request.user, instance)


class DisciplineSerializer(serializers.ModelSerializer):
    person = PersonRef()

    class Meta:
        model = Discipline
        fields = ["id", "person", "level", "start_date", "end_date", "decision_ref", "reason"]
        validators = []


class DisciplineViewSet(PersonRecordViewSet):
    """Discipline of the people the caller needs to know about (units.privacy): the office,
    the officers of the person's unit, a council member for the nominees on their agendas."""

    serializer_class = DisciplineSerializer
    model = Discipline
    year_field = "start_date__year"

    def get_queryset(self):
        user = self.request.user
        return super().get_queryset().filter(privacy.discipline_people_q(user, "person__"))

    def perform_create(self, serializer):
        person = self._person(serializer)
        data = {k: v for k, v in serializer.validated_data.items() if k != "person"}
        serializer.instance = services.add_discipline(self.request.user, person=person, **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "person"}
        serializer.instance = services.update_discipline(
            self.request.user, serializer.instance, **data
        )

    def perform_destroy(self, instance):
        services.delete_discipline(self.request.user, instance)


# -- unit ratings ------------------------------------------------------------------------------
class UnitRatingSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())

    class Meta:
        model = UnitRating
        fields = ["id", "unit", "year", "rating"]
        validators = []


class UnitRatingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Units' own yearly ratings (written by the office); the count is capped."""

    serializer_class = UnitRatingSerializer
    pagination_class = CappedCountPagination
    permission_classes = [RulesPermission]
    rules = {"list": "units.browse", "retrieve": "units.browse", "create": "units.set_unit_rating"}

    def get_queryset(self):
        qs = UnitRating.objects.filter(
            unit__in=selectors.visible_units(self.request.user)
        ).select_related("unit")
        qs = _scope_unit(self.request, qs, "unit__")
        year = query_year(self.request.query_params)
        if year:
            qs = qs.filter(year=year)
        return qs.order_by("unit__path", "year")

    def perform_create(self, serializer):
        serializer.instance = services.set_unit_rating(
            self.request.user, **serializer.validated_data
        )


# -- blocs -------------------------------------------------------------------------------------
class MembershipSerializer(serializers.ModelSerializer):
    bloc = serializers.SlugRelatedField(slug_field="code", queryset=Bloc.objects.all())
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = BlocMembership
        fields = ["id", "bloc", "year", "unit", "unit_name", "role"]
        validators = []


class BlocSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = Bloc
        fields = ["id", "code", "name", "kind", "description", "memberships"]

    def get_memberships(self, bloc) -> list[dict]:
        rows = getattr(bloc, "year_memberships", None)
        if rows is None:
            return []
        return MembershipSerializer(rows, many=True).data


class BlocViewSet(viewsets.ReadOnlyModelViewSet):
    """Blocs and clusters; ``?year=`` adds that year's members (with roles). Filter
    ``kind`` (KHOI or CUM)."""

    serializer_class = BlocSerializer
    permission_classes = [RulesPermission]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    rules = {"list": "units.view_bloc", "retrieve": "units.view_bloc"}

    def get_queryset(self):
        qs = Bloc.objects.all()
        params = self.request.query_params
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        year = query_year(params)
        if year:
            qs = qs.prefetch_related(
                Prefetch(
                    "memberships",
                    BlocMembership.objects.filter(year=year)
                    .select_related("bloc", "unit")
                    .order_by("role", "unit__code"),
                    to_attr="year_memberships",
                )
            )
        return qs.order_by("kind", "code")


class MembershipViewSet(viewsets.ModelViewSet):
    """Bloc memberships by year. Filters: ``bloc``, ``year``, ``unit`` (subtree). The office
    adds members, changes roles (PATCH ``role``) and removes them."""

    serializer_class = MembershipSerializer
    permission_classes = [RulesPermission]
    rules = {
        "list": "units.view_bloc",
        "retrieve": "units.view_bloc",
        "create": "units.change_bloc",
        "update": "units.change_bloc",
        "partial_update": "units.change_bloc",
        "destroy": "units.change_bloc",
    }

    def get_queryset(self):
        params = self.request.query_params
        qs = BlocMembership.objects.select_related("bloc", "unit")
        if params.get("bloc"):
            qs = qs.filter(bloc__code=params["bloc"])
        year = query_year(params)
        if year:
            qs = qs.filter(year=year)
        if params.get("unit"):
            unit = Unit.objects.filter(code=params["unit"]).first()
            qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
        return qs.order_by("bloc__code", "-year", "role", "unit__code")

    def perform_create(self, serializer):
        serializer.instance = services.add_bloc_member(
            self.request.user, **serializer.validated_data
        )

    def update(self, request, *args, **kwargs):
        m = self.get_object()
        role = request.data.get("role")
        if not role or set(request.data) - {"role", "bloc", "year", "unit"}:
            raise ValidationError({"role": _("Only the role can change.")})
        try:
            m = services.set_bloc_role(
                request.user, bloc=m.bloc, year=m.year, unit=m.unit, role=role
            )
        except DjangoValidationError as exc:
            raise as_drf(exc) from None
        return Response(MembershipSerializer(m).data, status=status.HTTP_200_OK)

    def perform_destroy(self, instance):
        services.remove_bloc_member(
            self.request.user, bloc=instance.bloc, year=instance.year, unit=instance.unit
        )


def register(router):
    router.register("units", UnitViewSet, basename="unit")
    router.register("people", PersonViewSet, basename="person")
    router.register("ratings", RatingViewSet, basename="rating")
    router.register("unit-ratings", UnitRatingViewSet, basename="unit-rating")
    router.register("initiatives", InitiativeViewSet, basename="initiative")
    router.register("disciplines", DisciplineViewSet, basename="discipline")
    router.register("blocs", BlocViewSet, basename="bloc")
    router.register("bloc-memberships", MembershipViewSet, basename="bloc-membership")
