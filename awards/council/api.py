"""The council API (``/api/v1/councils/``, ``/api/v1/council-sessions/``): councils with
their terms and members; sessions with their agenda, attendance, the member's ballot
(casting is the member's own act), progress, and the results after closing. Reads are
scoped by ``selectors``; writes call the services, so the API refuses exactly what the
services refuse (400 with the reason, 403)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from awards.council import selectors, services
from awards.models import (
    Attendance,
    Council,
    CouncilMember,
    CouncilSession,
    CouncilTerm,
    SessionItem,
)
from emulation_portal.permissions import RulesPermission


def _raise(exc: Exception):
    if isinstance(exc, PermissionDenied):
        raise DRFPermissionDenied(str(exc) or None)
    if hasattr(exc, "error_dict"):
        raise DRFValidationError(
            {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    raise DRFValidationError({"detail": [str(m) for m in exc.messages]})


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    unit_code = serializers.CharField(source="unit.code", default=None, read_only=True)

    class Meta:
        model = CouncilMember
        fields = ["id", "name", "role", "position", "unit_code", "votes", "order"]


class TermSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = CouncilTerm
        fields = ["id", "starts_on", "ends_on", "decision_number", "decision_date", "members"]


class CouncilSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    terms = TermSerializer(many=True, read_only=True)

    class Meta:
        model = Council
        fields = ["id", "name", "level", "unit_code", "is_active", "terms"]


class CouncilViewSet(viewsets.ReadOnlyModelViewSet):
    """Councils the caller may see (the office: all; a member: their own)."""

    serializer_class = CouncilSerializer
    permission_classes = [RulesPermission]
    rules = {"list": "council.browse", "retrieve": "council.browse"}
    queryset = Council.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Council.objects.none()
        return selectors.visible_councils(self.request.user).prefetch_related(
            "terms__members__user", "terms__members__unit"
        )


class AgendaItemSerializer(serializers.ModelSerializer):
    award_code = serializers.CharField(source="award_type.code", read_only=True)
    nominee = serializers.SerializerMethodField()

    class Meta:
        model = SessionItem
        fields = ["id", "order", "nomination", "award_code", "nominee"]

    def get_nominee(self, item) -> str:
        return str(item.nomination.nominee)


class ResultSerializer(AgendaItemSerializer):
    class Meta(AgendaItemSerializer.Meta):
        fields = AgendaItemSerializer.Meta.fields + [
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


class SessionSerializer(serializers.ModelSerializer):
    council = serializers.PrimaryKeyRelatedField(queryset=Council.objects.all())
    items = AgendaItemSerializer(many=True, read_only=True)

    class Meta:
        model = CouncilSession
        fields = [
            "id",
            "council",
            "term",
            "title",
            "date",
            "place",
            "year",
            "secret",
            "state",
            "version",
            "members_count",
            "present_count",
            "quorum_numerator",
            "quorum_denominator",
            "opened_at",
            "closed_at",
            "published_at",
            "minutes_job",
            "items",
        ]
        read_only_fields = [
            f for f in fields if f not in ("council", "title", "date", "place", "year", "secret")
        ]


class SessionTransitionSerializer(serializers.Serializer):
    move = serializers.ChoiceField(choices=list(services.MOVES))
    version = serializers.IntegerField(required=False)


class AttendanceSerializer(serializers.ModelSerializer):
    member = serializers.PrimaryKeyRelatedField(queryset=CouncilMember.objects.all())
    substitute = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Attendance
        fields = ["member", "status", "substitute", "authorisation_name", "note"]
        read_only_fields = ["authorisation_name"]


class SubstituteSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    substitute = serializers.IntegerField(help_text="the substitute's user id")
    authorisation = serializers.FileField()


class BallotSerializer(serializers.Serializer):
    choices = serializers.DictField(
        child=serializers.CharField(), help_text='{"<item id>": "approve|disapprove|abstain"}'
    )
    member = serializers.IntegerField(
        required=False, help_text="written opinion: the absent member (secretary only)"
    )


class RecusalSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True)


class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Council sessions the caller may see. Writes go through the services."""

    serializer_class = SessionSerializer
    permission_classes = [RulesPermission]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    rules = {
        "list": "council.vote",
        "retrieve": "council.vote",
        "create": "council.manage",
        "transition": "council.browse",
        "agenda": "council.browse",
        "attendance": "council.browse",
        "substitute": "council.browse",
        "ballot": "council.vote",
        "recuse": "council.browse",
        "progress": "council.browse",
        "results": "council.browse",
        "object:retrieve": "council.view_session",
        "object:transition": "council.view_session",
        "object:attendance": "council.view_session",
        "object:substitute": "council.run_session",
        "object:ballot": "council.vote",
        "object:recuse": "council.view_session",
        "object:progress": "council.progress",
        "object:results": "council.results",
        "object:agenda": "council.run_session",
    }
    queryset = CouncilSession.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CouncilSession.objects.none()
        return selectors.visible_sessions(self.request.user).prefetch_related(
            "items__award_type", "items__nomination__person", "items__nomination__unit"
        )

    def get_object(self):
        if self.action == "ballot":
            # a substitute sees only the session they stand in at: look it up in full
            obj = get_object_or_404(
                selectors.visible_sessions(self.request.user), pk=self.kwargs["pk"]
            )
            self.check_object_permissions(self.request, obj)
            return obj
        return super().get_object()

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.create_session(
                self.request.user,
                data["council"],
                title=data["title"],
                date=data["date"],
                year=data["year"],
                place=data.get("place", ""),
                secret=data.get("secret", True),
            )
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)

    @extend_schema(request=SessionTransitionSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        session = self.get_object()
        form = SessionTransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            session = services.transition(
                request.user,
                session,
                form.validated_data["move"],
                version=form.validated_data.get("version"),
            )
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response(SessionSerializer(self.get_queryset().get(pk=session.pk)).data)

    @extend_schema(request=None, responses={200: None})
    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None):
        """Build the agenda from the nominations accepted for this council."""
        session = self.get_object()
        try:
            result = services.build_agenda(request.user, session)
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response({"added": result.added, "refused": result.refused})

    @extend_schema(request=AttendanceSerializer, responses=AttendanceSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, pk=None):
        session = self.get_object()
        if request.method == "POST":
            form = AttendanceSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            try:
                services.set_attendance(
                    request.user,
                    session,
                    form.validated_data["member"],
                    form.validated_data["status"],
                    note=form.validated_data.get("note", ""),
                )
            except (ValidationError, PermissionDenied) as exc:
                _raise(exc)
        rows = Attendance.objects.filter(session=session).select_related("member")
        return Response(AttendanceSerializer(rows, many=True).data)

    @extend_schema(request=SubstituteSerializer, responses=AttendanceSerializer)
    @action(detail=True, methods=["post"])
    def substitute(self, request, pk=None):
        from django.contrib.auth import get_user_model

        session = self.get_object()
        form = SubstituteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        member = CouncilMember.objects.filter(
            pk=form.validated_data["member"], term_id=session.term_id
        ).first()
        user = get_user_model().objects.filter(pk=form.validated_data["substitute"]).first()
        if member is None or user is None:
            raise DRFValidationError({"detail": ["Unknown member or substitute."]})
        try:
            row = services.authorise_substitute(
                request.user,
                session,
                member,
                substitute=user,
                authorisation=form.validated_data["authorisation"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response(AttendanceSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BallotSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def ballot(self, request, pk=None):
        """Cast the caller's ballot (the member only, or their authorised substitute); with
        ``member``, the secretary enters that absent member's written opinion. Answers the
        receipt code."""
        session = self.get_object()
        form = BallotSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        choices = form.validated_data["choices"]
        try:
            if form.validated_data.get("member"):
                member = CouncilMember.objects.filter(
                    pk=form.validated_data["member"], term_id=session.term_id
                ).first()
                if member is None:
                    raise ValidationError(_not_member())
                receipt = services.enter_written_opinion(request.user, session, member, choices)
            else:
                receipt = services.cast(request.user, session, choices)
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecusalSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def recuse(self, request, pk=None):
        session = self.get_object()
        form = RecusalSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = session.items.filter(pk=form.validated_data["item"]).first()
        if item is None:
            raise DRFValidationError({"item": [_not_on_agenda()]})
        try:
            services.recuse(
                request.user, session, item, reason=form.validated_data.get("reason", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            _raise(exc)
        return Response({"item": item.pk}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: None})
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """x of y cast (never contents), for the chair, the secretary and the office."""
        return Response(selectors.progress(self.get_object()))

    @extend_schema(responses={200: None})
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """After closing: each item's figures and result, and every receipt with its
        ballot's choices."""
        session = self.get_object()
        data = selectors.results(session)
        return Response(
            {
                "items": [
                    {
                        **ResultSerializer(row["item"]).data,
                        "members": row["members"],
                        "percent": str(row["percent"]),
                        "threshold": str(row["threshold"]),
                    }
                    for row in data["items"]
                ],
                "receipts": [
                    {**r, "choices": {str(k): v for k, v in r["choices"].items()}}
                    for r in data["receipts"]
                ],
            }
        )


def _not_member():
    from django.utils.translation import gettext as _

    return _("This person is not a member of the session's council term.")


def _not_on_agenda():
    from django.utils.translation import gettext as _

    return _("This item is not on the session's agenda.")


def register(router) -> None:
    router.register("councils", CouncilViewSet, basename="council")
    router.register("council-sessions", SessionViewSet, basename="council-session")
