"""REST endpoints: the catalogue, rule sets, award records and eligibility verdicts."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from awards import eligibility, selectors
from awards.models import AwardRecord, AwardType, Rule, RuleSet
from emulation_portal.pagination import Pagination
from emulation_portal.params import query_int, query_year
from emulation_portal.permissions import RulesPermission
from units.models import Person, Unit
from units.selectors import visible_people, visible_units


class AwardTypeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = AwardType
        fields = [
            "code",
            "name",
            "name_vi",
            "name_en",
            "subject",
            "category",
            "conferred_by",
            "council_vote",
            "multiplier_person",
            "multiplier_unit",
        ]


class RuleSerializer(serializers.ModelSerializer):
    award_code = serializers.CharField(source="award_type.code")

    class Meta:
        model = Rule
        fields = [
            "award_code",
            "subject",
            "condition",
            "legal_reference",
            "description",
            "vote_threshold",
            "quota_enabled",
            "quota_share",
        ]


class RuleSetSerializer(serializers.ModelSerializer):
    rules = RuleSerializer(many=True, read_only=True)

    class Meta:
        model = RuleSet
        fields = ["code", "name", "effective_from", "effective_to", "legal_reference", "rules"]


class AwardRecordSerializer(serializers.ModelSerializer):
    subject_type = serializers.CharField(read_only=True)
    subject_code = serializers.SerializerMethodField()
    award_code = serializers.CharField(source="award_type.code")

    class Meta:
        model = AwardRecord
        fields = [
            "id",
            "subject_type",
            "subject_code",
            "award_code",
            "year",
            "kind",
            "decision_number",
            "decision_date",
            "source",
        ]

    def get_subject_code(self, rec) -> str:
        return rec.person.code if rec.person_id else rec.unit.code


class VerdictSerializer(serializers.Serializer):
    subject_type = serializers.CharField()
    subject_code = serializers.CharField()
    subject_name = serializers.CharField()
    award_code = serializers.CharField()
    year = serializers.IntegerField()
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    rule_set = serializers.CharField()
    legal_reference = serializers.CharField()

    def to_representation(self, v):
        data = v.as_dict()
        data.update(subject_name=v.subject_name, year=v.year, legal_reference=v.legal_reference)
        return data


@extend_schema_serializer(many=False)  # one page object, not a list of pages
class VerdictPageSerializer(serializers.Serializer):
    """One page of verdicts, shaped like every paginated list of the API."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = VerdictSerializer(many=True)


class AwardTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The award catalogue."""

    serializer_class = AwardTypeSerializer
    permission_classes = [RulesPermission]
    rules = {"list": "awards.view_catalogue", "retrieve": "awards.view_catalogue"}
    lookup_field = "code"
    pagination_class = None
    queryset = AwardType.objects.order_by("order", "code")


class RuleSetViewSet(viewsets.ReadOnlyModelViewSet):
    """Rule sets with their rules (condition trees as JSON)."""

    serializer_class = RuleSetSerializer
    permission_classes = [RulesPermission]
    rules = {"list": "awards.view_catalogue", "retrieve": "awards.view_catalogue"}
    lookup_field = "code"
    pagination_class = None
    queryset = RuleSet.objects.prefetch_related("rules__award_type").order_by("-effective_from")


class AwardRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Titles and rewards received, for the people and units the caller may read.
    Filters: ``year``, ``award``, ``subject`` (person:CODE or unit:CODE)."""

    serializer_class = AwardRecordSerializer
    permission_classes = [RulesPermission]
    rules = {"list": "awards.browse_records", "retrieve": "awards.browse_records"}
    pagination_class = Pagination
    queryset = AwardRecord.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AwardRecord.objects.none()
        user = self.request.user
        qs = (
            AwardRecord.objects.live()
            .filter(Q(person__in=visible_people(user)) | Q(unit__in=visible_units(user)))
            .select_related("award_type", "person", "unit")
            .order_by("-year", "id")
        )
        params = self.request.query_params
        year = query_year(params)
        if year:
            qs = qs.filter(year=year)
        if params.get("award"):
            qs = qs.filter(award_type__code=params["award"])
        if params.get("subject"):
            kind, _sep, code = params["subject"].partition(":")
            if kind not in ("person", "unit"):
                raise DRFValidationError({"subject": _("Use person:CODE or unit:CODE.")})
            qs = qs.filter(**{f"{kind}__code": code})
        return qs


class EligibilityViewSet(viewsets.ViewSet):
    """Eligibility verdicts for a year: ``?year=Y&subject=person:CODE|unit:CODE|person|unit
    &award=CODE&eligible=true``. Reasons are in the caller's language."""

    permission_classes = [RulesPermission]
    rules = {"list": "awards.eligibility_list"}

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
            OpenApiParameter(
                "subject", OpenApiTypes.STR, description="person:CODE, unit:CODE, person or unit"
            ),
            OpenApiParameter("award", OpenApiTypes.STR),
            OpenApiParameter("eligible", OpenApiTypes.BOOL),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=VerdictPageSerializer,
    )
    def list(self, request):
        params = request.query_params
        if not params.get("year", "").strip():
            raise DRFValidationError({"year": _("A year is required, e.g. ?year=2025.")})
        year = query_year(params)
        award = params.get("award") or None
        if award and not AwardType.objects.filter(code=award).exists():
            raise DRFValidationError(
                {"award": _("Unknown award code “%(code)s”.") % {"code": award}}
            )
        subject = params.get("subject", "")
        kind, _sep, code = subject.partition(":")
        if kind and kind not in ("person", "unit"):
            raise DRFValidationError({"subject": _("Use person:CODE, unit:CODE, person or unit.")})
        try:
            if code:
                model = Person if kind == "person" else Unit
                obj = model.objects.filter(code=code).first()
                if obj is None:
                    raise NotFound(
                        _("No %(kind)s with code “%(code)s”.") % {"kind": kind, "code": code}
                    )
                if not request.user.has_perm("awards.view_eligibility", obj):
                    raise PermissionDenied
                stream = iter(eligibility.judge_subject(year, obj, [award] if award else None))
            else:
                stream = selectors.population_verdicts(
                    request.user, year=year, award_code=award, subject_type=kind or None
                )
            if params.get("eligible") in ("true", "1"):
                stream = (v for v in stream if v.eligible)
            elif params.get("eligible") in ("false", "0"):
                stream = (v for v in stream if not v.eligible)
            return _stream_page(request, stream)
        except ValidationError as exc:
            raise DRFValidationError({"year": exc.messages}) from exc


def _stream_page(request, stream, size_default: int = 50, size_max: int = 500) -> Response:
    """Page-number pagination over a verdict stream walked once: keeps the page, counts all."""
    params = request.query_params
    page = query_int(params, "page", min_value=1, max_value=10**9) or 1
    size = query_int(params, "page_size", min_value=1, max_value=10**9) or size_default
    size = min(size, size_max)
    start, items, total = (page - 1) * size, [], 0
    for v in stream:
        if start <= total < start + size:
            items.append(v)
        total += 1

    def link(n):
        return request.build_absolute_uri(request.path + "?" + _with(params, page=n)) if n else None

    return Response(
        {
            "count": total,
            "next": link(page + 1) if start + size < total else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": VerdictSerializer(items, many=True).data,
        }
    )


def _with(params, **changes) -> str:
    q = params.copy()
    for k, v in changes.items():
        q[k] = str(v)
    return q.urlencode()


def register(router) -> None:
    router.register("award-types", AwardTypeViewSet, basename="award-type")
    router.register("rule-sets", RuleSetViewSet, basename="rule-set")
    router.register("award-records", AwardRecordViewSet, basename="award-record")
    router.register("eligibility", EligibilityViewSet, basename="eligibility")
    from awards.council import api as council_api

    council_api.register(router)
    from awards.decisions import api as decisions_api

    decisions_api.register(router)
    from awards.reports import api as reports_api

    reports_api.register(router)
