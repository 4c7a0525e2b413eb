"""The nominations API (``/api/v1/nominations/``): nominations, their attachments,
transitions and review comments. Reads are scoped by ``selectors``; every write calls a
service, so the API refuses exactly what the pages refuse (400 with the reason, 403, or 409
for a stale version)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from awards.models import (
    Attachment,
    AttachmentKind,
    AwardKind,
    AwardType,
    Nomination,
    ReviewComment,
    Section,
)
from awards.nominations import selectors, services
from emulation_portal.permissions import RulesPermission
from emulation_portal.validators import LONG_TEXT_MAX
from units.models import Initiative, Person, Unit


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceField(serializers.ChoiceField):
    """A choice of stable codes, documented as a plain string: the code lists live in
    ``codes.md`` and the model choices, and one enum per field name would collide with the
    other apps' ``kind`` fields in the schema."""


def _raise(exc: Exception):
    if isinstance(exc, PermissionDenied):
        raise DRFPermissionDenied(str(exc) or None)
    if getattr(exc, "code", None) == "stale":
        from rest_framework.exceptions import APIException

        class Conflict(APIException):
            status_code = status.HTTP_409_CONFLICT
            default_code = "stale"

        raise Conflict(exc.messages[0])
    if hasattr(exc, "error_dict"):
        raise DRFValidationError(
            {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    raise DRFValidationError({"detail": [str(m) for m in exc.messages]})


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True, help_text="submission_letter, report, …")

    class Meta:
        model = Attachment
        fields = [
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "url",
        ]

    def get_url(self, obj) -> str:
        return reverse("nominations:download", args=[obj.pk])


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True, default="")

    class Meta:
        model = ReviewComment
        fields = ["id", "section", "text", "round", "author", "created_at"]
        read_only_fields = ["round", "author", "created_at"]


class NominationSerializer(serializers.ModelSerializer):
    award_code = serializers.CharField(source="award_type.code", read_only=True)
    subject_type = serializers.CharField(read_only=True)
    nominee_code = serializers.SerializerMethodField()
    nominee_name = serializers.SerializerMethodField()
    proposing_unit_code = serializers.CharField(source="proposing_unit.code", read_only=True)
    deadline = serializers.DateField(read_only=True, allow_null=True, required=False)
    open_objections = serializers.IntegerField(read_only=True, required=False)
    kind = serializers.CharField(read_only=True, help_text="cong_trang, dot_xuat, …")

    class Meta:
        model = Nomination
        fields = [
            "id",
            "subject_type",
            "nominee_code",
            "nominee_name",
            "award_code",
            "kind",
            "year",
            "level",
            "proposing_unit_code",
            "state",
            "submit_count",
            "version",
            "eligible",
            "override_reason",
            "batch",
            "background",
            "achievements",
            "rewards_received",
            "initiative",
            "deliberation_date",
            "deliberation_attendees",
            "deliberation_votes",
            "submitted_at",
            "accepted_at",
            "deadline",
            "open_objections",
        ]
        read_only_fields = fields

    def get_nominee_code(self, obj) -> str:
        return obj.nominee.code

    def get_nominee_name(self, obj) -> str:
        return obj.person.full_name if obj.person_id else obj.unit.name


class CreateSerializer(serializers.Serializer):
    person_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    unit_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    award_code = serializers.SlugRelatedField(
        slug_field="code", queryset=AwardType.objects.filter(is_active=True)
    )
    award_kind = CodeChoiceField(choices=AwardKind.choices, default=AwardKind.CONG_TRANG)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    proposing_unit_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.all()
    )

    def validate(self, data):
        pcode, ucode = data.get("person_code"), data.get("unit_code")
        if bool(pcode) == bool(ucode):
            raise serializers.ValidationError("person_code XOR unit_code")
        data["person"] = Person.objects.filter(code=pcode).first() if pcode else None
        data["unit"] = Unit.objects.filter(code=ucode).first() if ucode else None
        if pcode and data["person"] is None:
            raise serializers.ValidationError({"person_code": "unknown"})
        if ucode and data["unit"] is None:
            raise serializers.ValidationError({"unit_code": "unknown"})
        return data


class DossierSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    background = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT_MAX)
    achievements = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT_MAX)
    rewards_received = serializers.CharField(
        required=False, allow_blank=True, max_length=LONG_TEXT_MAX
    )
    initiative = serializers.PrimaryKeyRelatedField(
        queryset=Initiative.objects.all(), required=False, allow_null=True
    )
    deliberation_date = serializers.DateField(required=False, allow_null=True)
    deliberation_attendees = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    deliberation_votes = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class TransitionSerializer(serializers.Serializer):
    move = serializers.ChoiceField(choices=list(services.MOVES))
    version = serializers.IntegerField(required=False)
    comments = CommentSerializer(many=True, required=False)


class UploadSerializer(serializers.Serializer):
    document_kind = CodeChoiceField(choices=AttachmentKind.choices)
    file = serializers.FileField()
    version = serializers.IntegerField(required=False)


class NominationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Nominations the caller may read. Filters as on the queue page: unit, bloc, award,
    state, eligible, overdue, year, level, q."""

    serializer_class = NominationSerializer
    permission_classes = [RulesPermission]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = Nomination.objects.none()
    filter_backends: list = []
    rules = {
        "list": "nominations.browse",
        "retrieve": "nominations.browse",
        "create": "nominations.create",
        # Detail actions: anyone who browses nominations reaches them; the object rule and
        # the service decide on the one nomination.
        "partial_update": "nominations.browse",
        "transition": "nominations.browse",
        "comments": "nominations.browse",
        "attachments": "nominations.browse",
        "object:retrieve": "nominations.view",
        "object:partial_update": "nominations.view",
        "object:transition": "nominations.view",
        "object:comments": "nominations.view",
        "object:attachments": "nominations.view",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Nomination.objects.none()
        if self.action == "list":
            return selectors.queue(self.request.user, self.request.query_params)
        return selectors.with_queue_data(selectors.visible(self.request.user))

    def list(self, request, *args, **kwargs):
        """Page the narrow ids first, then fetch the page's rows with their joins."""
        ids = self.paginate_queryset(self.get_queryset().values_list("pk", flat=True))
        rows = selectors.rows_for(ids)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(request=CreateSerializer, responses=NominationSerializer)
    def create(self, request):
        s = CreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        try:
            n = services.create_nomination(
                request.user,
                award_type=d["award_code"],
                year=d["year"],
                proposing_unit=d["proposing_unit_code"],
                person=d["person"],
                unit=d["unit"],
                kind=d["award_kind"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        n = selectors.with_queue_data(Nomination.objects.filter(pk=n.pk)).get()
        return Response(NominationSerializer(n).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DossierSerializer, responses=NominationSerializer)
    def partial_update(self, request, pk=None):
        n = self.get_object()
        s = DossierSerializer(data=request.data, partial=False)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        version = d.pop("version")
        try:
            services.update_dossier(request.user, n, version=version, **d)
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response(NominationSerializer(self.get_queryset().get(pk=n.pk)).data)

    @extend_schema(request=TransitionSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        n = self.get_object()
        s = TransitionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        comments = [(c.get("section", Section.GENERAL), c["text"]) for c in d.get("comments", [])]
        try:
            services.transition(
                request.user, n, d["move"], version=d.get("version"), comments=comments
            )
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response(NominationSerializer(self.get_queryset().get(pk=n.pk)).data)

    @extend_schema(request=CommentSerializer, responses=CommentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        n = self.get_object()
        if request.method == "POST":
            s = CommentSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            try:
                services.add_comment(
                    request.user,
                    n,
                    section=s.validated_data.get("section", Section.GENERAL),
                    text=s.validated_data["text"],
                )
            except (ValidationError, PermissionDenied) as exc:
                _raise(exc)
        rows = ReviewComment.objects.filter(nomination=n).select_related("author")
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(CommentSerializer(rows, many=True).data, status=code)

    @extend_schema(request=UploadSerializer, responses=AttachmentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def attachments(self, request, pk=None):
        n = self.get_object()
        if request.method == "POST":
            s = UploadSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            try:
                services.add_attachment(
                    request.user,
                    n,
                    s.validated_data["file"],
                    kind=s.validated_data["document_kind"],
                    version=s.validated_data.get("version"),
                )
            except (ValidationError, PermissionDenied) as exc:
                _raise(exc)
        rows = Attachment.objects.filter(nomination=n)
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(AttachmentSerializer(rows, many=True).data, status=code)


def register(router):
    router.register("nominations", NominationViewSet, basename="nomination")
