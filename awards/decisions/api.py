"""The decisions API (``/api/v1/decisions/``, ``/api/v1/decision-submissions/``):
decisions with their lists and prizes; drafting from approved nominations, editing a
draft's texts and list, the transition (sign, publish), a replacing draft; each
document's status (rendered for the current content or not) with a request to render it.
Reads are scoped by ``selectors``; writes call the services, so the API refuses exactly
what the services refuse (400 with the reason, 403)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from awards.decisions import selectors, services, tasks
from awards.decisions.services import documents
from awards.models import (
    AwardType,
    Decision,
    DecisionIssuer,
    DecisionItem,
    DecisionState,
    DocumentKind,
    Submission,
)
from emulation_portal.jobs import enqueue
from emulation_portal.permissions import RulesPermission


def _raise(exc: Exception):
    if isinstance(exc, PermissionDenied):
        raise DRFPermissionDenied(str(exc) or None)
    raise DRFValidationError({"detail": [str(m) for m in exc.messages]})


class DecisionItemSerializer(serializers.ModelSerializer):
    nomination = serializers.IntegerField(source="nomination_id", read_only=True)
    name = serializers.SerializerMethodField()
    subject_type = serializers.CharField(source="nomination.subject_type", read_only=True)

    class Meta:
        model = DecisionItem
        fields = [
            "id",
            "order",
            "nomination",
            "name",
            "subject_type",
            "multiple",
            "base_salary",
            "amount",
        ]

    def get_name(self, obj) -> str:
        return str(obj.nomination.nominee)


class DecisionSerializer(serializers.ModelSerializer):
    issuer = serializers.CharField(source="issuer.symbol", read_only=True)
    award_code = serializers.CharField(source="award_type.code", read_only=True)
    reference = serializers.CharField(read_only=True)
    prize_total = serializers.IntegerField(source="total", read_only=True, default=None)

    class Meta:
        model = Decision
        fields = [
            "id",
            "issuer",
            "symbol",
            "number",
            "year",
            "reference",
            "date",
            "award_code",
            "award_year",
            "subject",
            "legal_bases",
            "articles",
            "recipients",
            "signer_prefix",
            "signer_for",
            "signer_title",
            "signer_name",
            "state",
            "replaces",
            "signature_reference",
            "signed_file_sha256",
            "signed_at",
            "published_at",
            "prize_total",
            "version",
        ]
        read_only_fields = fields


class DraftSerializer(serializers.Serializer):
    issuer = serializers.PrimaryKeyRelatedField(queryset=DecisionIssuer.objects.all())
    award_code = serializers.SlugRelatedField(
        slug_field="code", queryset=AwardType.objects.all(), source="award_type"
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    nominations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=5000
    )


class TextsSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)
    subject = serializers.CharField(required=False, max_length=500)
    legal_bases = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    articles = serializers.CharField(required=False, max_length=20000)
    recipients = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    signer_prefix = serializers.CharField(required=False, allow_blank=True, max_length=5)
    signer_for = serializers.CharField(required=False, allow_blank=True, max_length=120)
    signer_title = serializers.CharField(required=False, allow_blank=True, max_length=120)
    signer_name = serializers.CharField(required=False, allow_blank=True, max_length=120)


class ListSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)
    nominations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=5000
    )


class DecisionTransitionSerializer(serializers.Serializer):
    move = serializers.ChoiceField(choices=["sign", "publish"])
    version = serializers.IntegerField(required=False, min_value=1)
    date = serializers.DateField(required=False)
    signature_reference = serializers.CharField(required=False, allow_blank=True, max_length=300)
    signed_file_sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$", required=False, allow_blank=True
    )


class DocumentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    item = serializers.IntegerField(allow_null=True)
    ready = serializers.BooleanField()
    url = serializers.CharField()
    content_sha256 = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Decisions the caller may read (the office: all; staff: published ones)."""

    serializer_class = DecisionSerializer
    permission_classes = [RulesPermission]
    queryset = Decision.objects.none()
    rules = {
        "list": "decisions.browse",
        "retrieve": "decisions.browse",
        "items": "decisions.browse",
        "documents": "decisions.browse",
        "create": "decisions.manage",
        "texts": "decisions.manage",
        "set_list": "decisions.manage",
        "transition": "decisions.manage",
        "replace": "decisions.manage",
        "object:retrieve": "decisions.view",
        "object:items": "decisions.view",
        "object:documents": "decisions.view",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        return selectors.visible_decisions(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=DraftSerializer, responses={201: DecisionSerializer})
    def create(self, request):
        s = DraftSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        c = s.validated_data
        try:
            d = services.create_draft(
                request.user,
                issuer=c["issuer"],
                award_type=c["award_type"],
                year=c["year"],
                nomination_ids=c["nominations"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        d = self.get_queryset().get(pk=d.pk)
        return Response(DecisionSerializer(d).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DecisionItemSerializer(many=True))
    @action(detail=True)
    def items(self, request, pk=None):
        d = self.get_object()
        return Response(DecisionItemSerializer(selectors.items(d), many=True).data)

    @extend_schema(request=TextsSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def texts(self, request, pk=None):
        d = self.get_object()
        s = TextsSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        version = data.pop("version", None)
        try:
            services.update_draft(request.user, d, version=version, **data)
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response(DecisionSerializer(self.get_queryset().get(pk=d.pk)).data)

    @extend_schema(request=ListSerializer, responses=DecisionItemSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="list")
    def set_list(self, request, pk=None):
        d = self.get_object()
        s = ListSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            services.set_list(
                request.user,
                d,
                s.validated_data["nominations"],
                version=s.validated_data.get("version"),
            )
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response(DecisionItemSerializer(selectors.items(d), many=True).data)

    @extend_schema(request=DecisionTransitionSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        d = self.get_object()
        s = DecisionTransitionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        c = dict(s.validated_data)
        move = c.pop("move")
        if move != "sign":
            c = {"version": c.get("version")}
        try:
            services.transition(request.user, d, move, **c)
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response(DecisionSerializer(self.get_queryset().get(pk=d.pk)).data)

    @extend_schema(request=None, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def replace(self, request, pk=None):
        d = self.get_object()
        try:
            new = services.create_replacement(request.user, d)
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response(
            DecisionSerializer(self.get_queryset().get(pk=new.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=DocumentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def documents(self, request, pk=None):
        """GET: each document's status for the current content (the decision, and each
        certificate once signed). POST: ask the worker to render those not rendered yet."""
        d = self.get_object()
        wanted = [(DocumentKind.DECISION, None)]
        if d.state != DecisionState.DRAFT:
            wanted += [(DocumentKind.CERTIFICATE, i) for i in d.items.order_by("order")]
        if request.method == "POST" and not request.user.has_perm("decisions.manage", d):
            raise DRFPermissionDenied()
        out = []
        with transaction.atomic():
            for kind, item in wanted:
                doc, key, _html = documents.current(kind, d, item)
                if doc is None and request.method == "POST":
                    if kind == DocumentKind.DECISION:
                        enqueue(tasks.render_decision, d.pk)
                    else:
                        enqueue(tasks.render_certificate, item.pk)
                url = (
                    reverse("decisions:download", args=[d.pk])
                    if item is None
                    else reverse("decisions:certificate", args=[d.pk, item.pk])
                )
                out.append(
                    {
                        "kind": kind,
                        "item": item.pk if item else None,
                        "ready": doc is not None,
                        "url": url,
                        "content_sha256": key,
                        "size": doc.size if doc else None,
                    }
                )
        code = status.HTTP_202_ACCEPTED if request.method == "POST" else status.HTTP_200_OK
        return Response(DocumentSerializer(out, many=True).data, status=code)


class SubmissionSerializer(serializers.ModelSerializer):
    nominations = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = ["id", "authority", "title", "number", "date", "state", "nominations"]

    def get_nominations(self, obj) -> list[dict]:
        return [
            {"nomination": i.nomination_id, "order": i.order, "granted_by": i.granted_by_id}
            for i in obj.items.all()
        ]


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The ministry's submissions to a higher level (the office only)."""

    serializer_class = SubmissionSerializer
    permission_classes = [RulesPermission]
    queryset = Submission.objects.none()
    rules = {"list": "decisions.manage", "retrieve": "decisions.manage"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        return (
            selectors.visible_submissions(self.request.user)
            .prefetch_related("items")
            .order_by("-created_at", "-id")
        )


def register(router) -> None:
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("decision-submissions", SubmissionViewSet, basename="decision-submission")
    from awards.dossiers import api as dossiers_api

    dossiers_api.register(router)
