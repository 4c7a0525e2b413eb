"""Campaigns, registrations, pledges, scoring, ranking and acclamation.

Invariants are kept by the database (unique and check constraints); services in
``campaigns.services`` are the only writers. Award codes (``CO_BO``, ``BK_BO``, titles a
unit registers for) are plain strings: the awards app sits above this one.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from emulation_portal.validators import LONG_TEXT_MAX
from units.models import MAX_YEAR, MIN_YEAR, Bloc, BlocRole, Person, Unit

POINTS = {"max_digits": 7, "decimal_places": 2}


def _year_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR), name=name
    )


class CampaignKind(models.TextChoices):
    ANNUAL = "annual", _("Annual campaign")
    THEMATIC = "thematic", _("Thematic drive")
    NATIONAL = "national", _("National movement")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LAUNCHED = "launched", _("Launched")
    CLOSED = "closed", _("Closed")


class Campaign(models.Model):
    """An emulation campaign: the year's annual campaign (one per year), a thematic drive
    with its own dates, or a national movement units respond to."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=CampaignKind.choices)
    name = models.CharField(_("name"), max_length=400)
    theme = models.CharField(_("theme"), max_length=500, blank=True)
    description = models.TextField(_("description"), max_length=LONG_TEXT_MAX, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(
        _("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("launched by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    launch_reference = models.CharField(_("launch document"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "kind", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(kind="annual"), name="campaign_one_annual_per_year"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(launched_at__isnull=False),
                name="campaign_launch_recorded",
            ),
            _year_check("campaign_year_in_range"),
        ]

    def __str__(self):
        return self.name


class PhaseKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    PLEDGE = "pledge", _("Pledge signing")
    MID_YEAR = "mid_year", _("Mid-year review")
    SCORING = "scoring", _("Year-end scoring")
    NOMINATIONS = "nominations", _("Nominations")


class Phase(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("phase"), max_length=12, choices=PhaseKind.choices)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign", "opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="phase_one_per_kind"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="phase_period_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.campaign}: {self.get_kind_display()}"


class PhaseExtension(models.Model):
    """A later deadline for one unit, always with a reason."""

    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), on_delete=models.CASCADE, related_name="extensions"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE)
    closes_on = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"), max_length=LONG_TEXT_MAX)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.UniqueConstraint(fields=["phase", "unit"], name="phase_extension_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="phase_extension_has_reason"),
        ]

    def __str__(self):
        return f"{self.phase} / {self.unit}: {self.closes_on}"


class Registration(models.Model):
    """A unit's registration (đăng ký thi đua) for a campaign: the collective title it aims
    for, and its entries (people aiming for individual titles, planned initiatives)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="registrations"
    )
    collective_title = models.CharField(_("collective title aimed for"), max_length=20)
    targets = models.TextField(_("targets"), max_length=LONG_TEXT_MAX, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["campaign", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="registration_unique"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="registration_submission_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} / {self.unit}"


class RegistrationEntry(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person aiming for a title")
        INITIATIVE = "initiative", _("Planned initiative")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT
    )
    title_code = models.CharField(_("title aimed for"), max_length=20, blank=True)
    initiative_title = models.CharField(_("initiative"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("registration entry")
        verbose_name_plural = _("registration entries")
        ordering = ["registration", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="person", person__isnull=False, initiative_title="") & ~Q(title_code="")
                )
                | (Q(kind="initiative", person__isnull=True) & ~Q(initiative_title="")),
                name="registration_entry_shape",
            ),
            models.UniqueConstraint(
                fields=["registration", "person", "title_code"],
                condition=Q(kind="person"),
                name="registration_entry_person_unique",
            ),
        ]

    def __str__(self):
        return self.initiative_title or f"{self.person}: {self.title_code}"


class MeetingKind(models.TextChoices):
    SIGNING = "signing", _("Pledge signing")
    MID_YEAR = "mid_year", _("Mid-year review")
    YEAR_END = "year_end", _("Year-end review")
    ACTIVITY = "activity", _("Joint activity")


class BlocMeeting(models.Model):
    """A bloc's meeting or joint activity: signing, reviews (sơ kết, tổng kết), activities.
    A year-end meeting carries the acclamation and election votes; ``result_recorded_at``
    closes the vote."""

    bloc = models.ForeignKey(
        Bloc, verbose_name=_("bloc"), on_delete=models.CASCADE, related_name="meetings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    host = models.ForeignKey(
        Unit, verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.ManyToManyField(
        Unit, verbose_name=_("attending units"), blank=True, related_name="+"
    )
    other_blocs = models.ManyToManyField(
        Bloc, verbose_name=_("joined by blocs"), blank=True, related_name="joint_meetings"
    )
    minutes = models.TextField(_("minutes"), max_length=LONG_TEXT_MAX, blank=True)
    flag_slots = models.PositiveSmallIntegerField(_("ministry flags to propose"), default=1)
    bk_slots = models.PositiveSmallIntegerField(_("Bằng khen to propose"), default=2)
    result_recorded_at = models.DateTimeField(_("result recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("bloc meeting")
        verbose_name_plural = _("bloc meetings")
        ordering = ["bloc", "-held_on"]
        constraints = [
            _year_check("bloc_meeting_year_in_range"),
            models.UniqueConstraint(
                fields=["bloc", "year"],
                condition=Q(kind="year_end"),
                name="bloc_meeting_one_year_end",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.bloc} {self.year}: {self.get_kind_display()}"


def _photo_path(instance, filename):
    return f"campaigns/meetings/{instance.meeting_id}/{filename}"


class MeetingPhoto(models.Model):
    meeting = models.ForeignKey(BlocMeeting, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name


class PledgeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNING = "signing", _("Being signed")
    LOCKED = "locked", _("Signed and locked")
    SUPERSEDED = "superseded", _("Superseded")


class Pledge(models.Model):
    """A bloc's pledge (giao ước thi đua) for a year. Version n+1 replaces a locked version
    n (which becomes superseded); at most one non-superseded version per bloc and year."""

    bloc = models.ForeignKey(
        Bloc, verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="pledges"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"), max_length=10, choices=PledgeState.choices, default=PledgeState.DRAFT
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), max_length=LONG_TEXT_MAX, blank=True)
    targets = models.TextField(_("targets"), max_length=LONG_TEXT_MAX, blank=True)
    change_note = models.TextField(_("what changed"), max_length=LONG_TEXT_MAX, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signing_meeting = models.ForeignKey(
        BlocMeeting,
        verbose_name=_("signing meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["bloc", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year", "version"], name="pledge_version_unique"
            ),
            models.UniqueConstraint(
                fields=["bloc", "year"],
                condition=~Q(state="superseded"),
                name="pledge_one_current_per_bloc_year",
            ),
            models.CheckConstraint(
                condition=~Q(state="locked") | Q(locked_at__isnull=False),
                name="pledge_lock_recorded",
            ),
            _year_check("pledge_year_in_range"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class CriterionKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    BONUS = "bonus", _("Bonus")
    PENALTY = "penalty", _("Penalty")


class Criterion(models.Model):
    """One line of the pledge's scoring table. Penalty points are subtracted."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("criterion"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CriterionKind.choices, default=CriterionKind.STANDARD
    )
    max_points = models.DecimalField(_("maximum points"), **POINTS)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["pledge", "order"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "order"], name="criterion_order_unique"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="criterion_max_points_positive"
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"


class Signature(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="signatures")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["pledge", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "unit"], name="signature_once_per_unit")
        ]

    def __str__(self):
        return f"{self.pledge} / {self.unit}"


class Score(models.Model):
    """A unit's score on one criterion. ``max_points`` is copied from the criterion so the
    database itself refuses points outside 0..max. ``final_points`` is the bloc leader's
    adjustment (always with a reason); ``version`` guards against lost updates."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    max_points = models.DecimalField(_("maximum points"), editable=False, **POINTS)
    self_points = models.DecimalField(_("self-assessed points"), **POINTS)
    evidence = models.TextField(_("evidence"), max_length=LONG_TEXT_MAX, blank=True)
    final_points = models.DecimalField(_("adjusted points"), null=True, blank=True, **POINTS)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adjusted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason for the adjustment"), max_length=LONG_TEXT_MAX, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "unit"], name="score_once_per_unit"),
            models.CheckConstraint(
                condition=Q(self_points__gte=0) & Q(self_points__lte=F("max_points")),
                name="score_self_points_in_range",
            ),
            models.CheckConstraint(
                condition=Q(final_points__isnull=True)
                | (Q(final_points__gte=0) & Q(final_points__lte=F("max_points"))),
                name="score_final_points_in_range",
            ),
            models.CheckConstraint(
                condition=Q(final_points__isnull=True) | ~Q(reason=""),
                name="score_adjustment_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.unit} / {self.criterion}: {self.points}"

    @property
    def points(self) -> Decimal:
        return self.self_points if self.final_points is None else self.final_points


class Ranking(models.Model):
    """A bloc's ranking for a year, computed from the locked pledge's scores."""

    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="rankings")
    year = models.PositiveSmallIntegerField(_("year"))
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("computed at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    explanation = models.TextField(_("how ties are broken"), max_length=LONG_TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        ordering = ["bloc", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="ranking_one_per_bloc_year"),
            _year_check("ranking_year_in_range"),
        ]

    def __str__(self):
        return f"{self.bloc} {self.year}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def explanation_display(self) -> str:
        """The tie-break rule in the reader's language (stored in English)."""
        from django.utils.translation import gettext

        return gettext(self.explanation) if self.explanation else ""


# What separated two units with the same total (stored in ``RankingEntry.tie_note``).
TIE_RULES = ("standard", "penalty", "previous_rank", "unit_code")
TIE_LABELS = {
    "standard": _("tie on total, separated by points on standard criteria"),
    "penalty": _("tie on total, separated by fewer penalty points"),
    "previous_rank": _("tie on total, separated by the previous year's rank"),
    "unit_code": _("tie on total, separated by the unit code"),
}


class RankingEntry(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    total = models.DecimalField(_("total"), **POINTS)
    standard_total = models.DecimalField(_("standard criteria"), **POINTS)
    bonus_total = models.DecimalField(_("bonus"), **POINTS)
    penalty_total = models.DecimalField(_("penalty"), **POINTS)
    previous_rank = models.PositiveSmallIntegerField(_("previous year's rank"), null=True)
    tie_note = models.CharField(_("tie broken by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["ranking", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "unit"], name="ranking_entry_unit"),
            models.UniqueConstraint(fields=["ranking", "rank"], name="ranking_entry_rank"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.unit}"

    @property
    def tie_label(self) -> str:
        return str(TIE_LABELS.get(self.tie_note, self.tie_note))


class AwardCode(models.TextChoices):
    CO_BO = "CO_BO", _("Ministry emulation flag (CO_BO)")
    BK_BO = "BK_BO", _("Minister's Bằng khen (BK_BO)")


class AcclamationVote(models.Model):
    """One member unit's vote at the year-end meeting for one award: one per unit and
    award, enforced by the database."""

    meeting = models.ForeignKey(BlocMeeting, on_delete=models.CASCADE, related_name="votes")
    voting_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    award_code = models.CharField(_("award"), max_length=20, choices=AwardCode.choices)
    candidate = models.ForeignKey(
        Unit, verbose_name=_("candidate unit"), on_delete=models.PROTECT, related_name="+"
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("acclamation vote")
        verbose_name_plural = _("acclamation votes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "voting_unit", "award_code"], name="acclamation_one_vote"
            )
        ]

    def __str__(self):
        return f"{self.voting_unit} → {self.candidate} ({self.award_code})"


class ElectionVote(models.Model):
    """One member unit's vote for next year's leader or deputy."""

    meeting = models.ForeignKey(
        BlocMeeting, on_delete=models.CASCADE, related_name="election_votes"
    )
    voting_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    office = models.CharField(
        _("office"),
        max_length=10,
        choices=[
            (BlocRole.LEADER, BlocRole.LEADER.label),
            (BlocRole.DEPUTY, BlocRole.DEPUTY.label),
        ],
    )
    candidate = models.ForeignKey(
        Unit, verbose_name=_("candidate unit"), on_delete=models.PROTECT, related_name="+"
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("election vote")
        verbose_name_plural = _("election votes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "voting_unit", "office"], name="election_one_vote"
            )
        ]

    def __str__(self):
        return f"{self.voting_unit} → {self.candidate} ({self.office})"


class AcclamationProposal(models.Model):
    """A unit put forward by its bloc for an award; the nominations workflow picks these
    up and turns them into nominations (``nomination_ref`` is theirs to fill)."""

    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="proposals")
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="acclamations")
    award_code = models.CharField(_("award"), max_length=20)
    votes = models.PositiveSmallIntegerField(_("votes"))
    voters = models.PositiveSmallIntegerField(_("units voting"))
    meeting = models.ForeignKey(BlocMeeting, on_delete=models.PROTECT, related_name="proposals")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("acclamation proposal")
        verbose_name_plural = _("acclamation proposals")
        ordering = ["-year", "bloc", "award_code", "-votes"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year", "award_code", "unit"], name="proposal_unique"
            ),
            models.CheckConstraint(condition=Q(votes__lte=F("voters")), name="proposal_votes"),
            _year_check("proposal_year_in_range"),
        ]

    def __str__(self):
        return f"{self.bloc} {self.year}: {self.unit} ({self.award_code})"
