"""REST endpoints (``/api/v1/``): campaigns, registrations, pledges, signatures, scores,
rankings and votes. Writes go through the services; their ``ValidationError`` becomes a 400
with the message, ``PermissionDenied`` a 403. Lists are scoped like the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from campaigns import selectors, services
from campaigns.models import (
    AcclamationProposal,
    AcclamationVote,
    Campaign,
    Criterion,
    ElectionVote,
    Pledge,
    Ranking,
    RankingEntry,
    Registration,
    RegistrationEntry,
    Score,
    Signature,
)
from emulation_portal.permissions import RulesPermission
from emulation_portal.validators import LONG_TEXT_MAX
from units.models import BlocMembership, Person, Unit


def call(func, *args, **kwargs):
    """Run a service; its ValidationError becomes a DRF 400 with the same messages."""
    try:
        return func(*args, **kwargs)
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise ValidationError(detail) from None


def bloc_year_scope(user, bloc_field="bloc_id", year_field="year") -> Q:
    """Bloc-years the user may read: all for the office, else those of their units."""
    if user.has_perm("campaigns.view_all"):
        return Q()
    pairs = set(
        BlocMembership.objects.filter(selectors.scope_filter(user, "unit__")).values_list(
            "bloc_id", "year"
        )
    )
    q = Q(pk__in=[])
    for bloc_id, year in pairs:
        q |= Q(**{bloc_field: bloc_id, year_field: year})
    return q


class UnitRef(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Unit.objects.all(), **kwargs)


# --- campaigns -----------------------------------------------------------------------------


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "year",
            "kind",
            "name",
            "theme",
            "description",
            "starts_on",
            "ends_on",
            "state",
            "launched_at",
            "launch_reference",
            "closed_at",
        ]
        read_only_fields = ["state", "launched_at", "launch_reference", "closed_at"]
        validators = []  # the service says why, in the user's language


class CloseSerializer(serializers.Serializer):
    """No body."""


class LaunchSerializer(serializers.Serializer):
    reference = serializers.CharField(required=False, allow_blank=True, max_length=200)


class CampaignViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Campaigns: everyone reads; the office creates, edits, launches and closes."""

    serializer_class = CampaignSerializer
    permission_classes = [RulesPermission]
    filterset_fields = ["year", "kind", "state"]
    rules = {
        "list": "campaigns.browse",
        "retrieve": "campaigns.browse",
        "create": "campaigns.manage_campaign",
        "update": "campaigns.manage_campaign",
        "partial_update": "campaigns.manage_campaign",
        "launch": "campaigns.manage_campaign",
        "close": "campaigns.manage_campaign",
    }
    queryset = Campaign.objects.order_by("-year", "id")

    def perform_create(self, serializer):
        serializer.instance = call(
            services.create_campaign, self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = call(
            services.update_campaign,
            self.request.user,
            serializer.instance,
            **serializer.validated_data,
        )

    @action(detail=True, methods=["post"], serializer_class=LaunchSerializer)
    def launch(self, request, pk=None):
        data = LaunchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = call(
            services.launch_campaign,
            request.user,
            self.get_object(),
            reference=data.validated_data.get("reference", ""),
        )
        return Response(CampaignSerializer(campaign).data)

    @action(detail=True, methods=["post"], serializer_class=CloseSerializer)
    def close(self, request, pk=None):
        campaign = call(services.close_campaign, request.user, self.get_object())
        return Response(CampaignSerializer(campaign).data)


# --- registrations -------------------------------------------------------------------------


class EntrySerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(
        slug_field="code", queryset=Person.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = RegistrationEntry
        fields = ["kind", "person", "title_code", "initiative_title"]


class RegistrationSerializer(serializers.ModelSerializer):
    unit = UnitRef()
    entries = EntrySerializer(many=True, read_only=True)
    people = serializers.ListField(
        child=serializers.DictField(),
        write_only=True,
        required=False,
        help_text="[{person: code, title: code}]",
    )
    initiatives = serializers.ListField(
        child=serializers.CharField(max_length=500), write_only=True, required=False
    )
    submit = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Registration
        fields = [
            "id",
            "campaign",
            "unit",
            "collective_title",
            "targets",
            "state",
            "submitted_at",
            "entries",
            "people",
            "initiatives",
            "submit",
        ]
        read_only_fields = ["state", "submitted_at"]
        validators = []  # uniqueness is the service's: a second save replaces the first


class RegistrationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Registrations: a unit officer saves (create = create or replace) their unit's; the
    office reads all, officers their units'."""

    serializer_class = RegistrationSerializer
    permission_classes = [RulesPermission]
    filterset_fields = ["campaign", "state"]
    rules = {
        "list": "campaigns.browse",
        "retrieve": "campaigns.browse",
        "create": "campaigns.register",
    }

    def get_queryset(self):
        return (
            selectors.registrations_for(self.request.user)
            .prefetch_related("entries__person")
            .order_by("id")
        )

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        people = []
        for item in data.get("people", []):
            person = Person.objects.filter(code=item.get("person")).first()
            if person is None or not item.get("title"):
                raise ValidationError({"people": [f"unknown person or title: {item}"]})
            people.append(services.PersonTarget(person, str(item["title"])))
        reg = call(
            services.save_registration,
            request.user,
            data["campaign"],
            data["unit"],
            collective_title=data["collective_title"],
            targets=data.get("targets", ""),
            people=people,
            initiatives=data.get("initiatives", []),
            submit=data.get("submit", False),
        )
        reg = self.get_queryset().get(pk=reg.pk)
        return Response(self.get_serializer(reg).data, status=status.HTTP_201_CREATED)


# --- pledges and signatures ----------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "order", "name", "kind", "max_points"]


class SignatureSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Signature
        fields = ["id", "pledge", "unit", "signed_at"]


class PledgeSerializer(serializers.ModelSerializer):
    bloc = serializers.SlugRelatedField(slug_field="code", read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    signatures = SignatureSerializer(many=True, read_only=True)

    class Meta:
        model = Pledge
        fields = [
            "id",
            "bloc",
            "year",
            "version",
            "state",
            "title",
            "text",
            "targets",
            "change_note",
            "locked_at",
            "criteria",
            "signatures",
        ]


class SignSerializer(serializers.Serializer):
    unit = UnitRef()


class PledgeViewSet(viewsets.ReadOnlyModelViewSet):
    """Pledges of the bloc-years the caller takes part in (all for the office); ``sign``
    signs for one of the caller's member units."""

    serializer_class = PledgeSerializer
    permission_classes = [RulesPermission]
    filterset_fields = ["bloc", "year", "state"]
    rules = {
        "list": "campaigns.browse",
        "retrieve": "campaigns.browse",
        "sign": "campaigns.browse",
        "object:sign": "campaigns.sign_pledge",
    }

    def get_queryset(self):
        return (
            Pledge.objects.filter(bloc_year_scope(self.request.user))
            .select_related("bloc")
            .prefetch_related("criteria", "signatures__unit")
            .order_by("bloc__code", "-year", "-version")
        )

    @action(detail=True, methods=["post"], serializer_class=SignSerializer)
    def sign(self, request, pk=None):
        pledge = self.get_object()
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signature = call(services.sign_pledge, request.user, pledge, data.validated_data["unit"])
        return Response(SignatureSerializer(signature).data, status=status.HTTP_201_CREATED)


class SignatureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SignatureSerializer
    permission_classes = [RulesPermission]
    filterset_fields = ["pledge"]
    rules = {"list": "campaigns.browse", "retrieve": "campaigns.browse"}

    def get_queryset(self):
        return (
            Signature.objects.filter(
                bloc_year_scope(self.request.user, "pledge__bloc_id", "pledge__year")
            )
            .select_related("unit")
            .order_by("id")
        )


# --- scores --------------------------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer):
    unit = UnitRef()
    points = serializers.DecimalField(max_digits=7, decimal_places=2, write_only=True)
    version = serializers.IntegerField(required=False, allow_null=True)

    class Meta:
        model = Score
        fields = [
            "id",
            "criterion",
            "unit",
            "max_points",
            "self_points",
            "evidence",
            "final_points",
            "reason",
            "version",
            "points",
        ]
        read_only_fields = ["max_points", "self_points", "final_points", "reason"]
        validators = []


class AdjustSerializer(serializers.Serializer):
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    reason = serializers.CharField(max_length=LONG_TEXT_MAX)
    version = serializers.IntegerField()


class ScoreViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Scores: a member unit's officer saves its own (create = create or update, with the
    ``version`` last read); the bloc leader's officer ``adjust``s one with a reason."""

    serializer_class = ScoreSerializer
    permission_classes = [RulesPermission]
    filterset_fields = ["criterion", "criterion__pledge", "unit"]
    rules = {
        "list": "campaigns.browse",
        "retrieve": "campaigns.browse",
        "create": "campaigns.browse",
        "adjust": "campaigns.browse",
        "object:adjust": "campaigns.view_bloc_year",  # the service refuses with its reason
    }

    def get_queryset(self):
        return (
            Score.objects.filter(
                bloc_year_scope(
                    self.request.user, "criterion__pledge__bloc_id", "criterion__pledge__year"
                )
            )
            .select_related("unit", "criterion__pledge")
            .order_by("id")
        )

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        score = call(
            services.save_self_score,
            request.user,
            d["criterion"],
            d["unit"],
            points=d["points"],
            evidence=d.get("evidence", ""),
            version=d.get("version"),
        )
        return Response(ScoreSerializer(score).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=AdjustSerializer)
    def adjust(self, request, pk=None):
        score = self.get_object()
        data = AdjustSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        score = call(services.adjust_score, request.user, score, **data.validated_data)
        return Response(ScoreSerializer(score).data)


# --- rankings ------------------------------------------------------------------------------


class RankingEntrySerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = RankingEntry
        fields = [
            "rank",
            "unit",
            "total",
            "standard_total",
            "bonus_total",
            "penalty_total",
            "previous_rank",
            "tie_note",
        ]


class RankingSerializer(serializers.ModelSerializer):
    bloc = serializers.SlugRelatedField(slug_field="code", read_only=True)
    entries = RankingEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Ranking
        fields = ["id", "bloc", "year", "computed_at", "published_at", "explanation", "entries"]


class RankingViewSet(viewsets.ReadOnlyModelViewSet):
    """Published rankings for everyone; unpublished ones for the office and the bloc."""

    serializer_class = RankingSerializer
    permission_classes = [RulesPermission]
    filterset_fields = ["bloc", "year"]
    rules = {"list": "campaigns.browse", "retrieve": "campaigns.browse"}

    def get_queryset(self):
        scope = Q(published_at__isnull=False) | bloc_year_scope(self.request.user)
        return (
            Ranking.objects.filter(scope)
            .select_related("bloc")
            .prefetch_related("entries__unit")
            .order_by("bloc__code", "-year")
        )


# --- votes ---------------------------------------------------------------------------------


class AcclamationVoteSerializer(serializers.ModelSerializer):
    voting_unit = UnitRef()
    candidate = UnitRef()

    class Meta:
        model = AcclamationVote
        fields = ["id", "meeting", "voting_unit", "award_code", "candidate", "cast_at"]
        validators = []


class ElectionVoteSerializer(serializers.ModelSerializer):
    voting_unit = UnitRef()
    candidate = UnitRef()

    class Meta:
        model = ElectionVote
        fields = ["id", "meeting", "voting_unit", "office", "candidate", "cast_at"]
        validators = []


class _VoteViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [RulesPermission]
    filterset_fields = ["meeting"]
    rules = {
        "list": "campaigns.browse",
        "retrieve": "campaigns.browse",
        "create": "campaigns.browse",
    }
    model = None

    def get_queryset(self):
        return (
            self.model.objects.filter(
                bloc_year_scope(self.request.user, "meeting__bloc_id", "meeting__year")
            )
            .select_related("voting_unit", "candidate")
            .order_by("id")
        )


class AcclamationVoteViewSet(_VoteViewSet):
    """Votes for CO_BO / BK_BO at a year-end meeting; one per unit and award."""

    serializer_class = AcclamationVoteSerializer
    model = AcclamationVote

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = call(
            services.cast_acclamation_vote,
            self.request.user,
            d["meeting"],
            voting_unit=d["voting_unit"],
            award_code=d["award_code"],
            candidate=d["candidate"],
        )


class ElectionVoteViewSet(_VoteViewSet):
    """Votes for next year's leader and deputy; one per unit and office."""

    serializer_class = ElectionVoteSerializer
    model = ElectionVote

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = call(
            services.cast_election_vote,
            self.request.user,
            d["meeting"],
            voting_unit=d["voting_unit"],
            office=d["office"],
            candidate=d["candidate"],
        )


class ProposalSerializer(serializers.ModelSerializer):
    bloc = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AcclamationProposal
        fields = [
            "id",
            "bloc",
            "year",
            "unit",
            "award_code",
            "votes",
            "voters",
            "meeting",
            "created_at",
        ]


class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """The blocs' acclamation results (CO_BO / BK_BO proposals) that the nominations
    workflow turns into nominations: the office reads all, officers their blocs'."""

    serializer_class = ProposalSerializer
    permission_classes = [RulesPermission]
    filterset_fields = ["bloc", "year", "award_code"]
    rules = {"list": "campaigns.browse", "retrieve": "campaigns.browse"}

    def get_queryset(self):
        return (
            AcclamationProposal.objects.filter(bloc_year_scope(self.request.user))
            .select_related("bloc", "unit")
            .order_by("-year", "bloc__code", "award_code", "-votes")
        )


def register(router) -> None:
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("registrations", RegistrationViewSet, basename="registration")
    router.register("pledges", PledgeViewSet, basename="pledge")
    router.register("signatures", SignatureViewSet, basename="signature")
    router.register("scores", ScoreViewSet, basename="score")
    router.register("rankings", RankingViewSet, basename="ranking")
    router.register("acclamation-votes", AcclamationVoteViewSet, basename="acclamation-vote")
    router.register("election-votes", ElectionVoteViewSet, basename="election-vote")
    router.register("acclamation-proposals", ProposalViewSet, basename="acclamation-proposal")
