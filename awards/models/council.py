"""The emulation and awards council (hội đồng thi đua - khen thưởng): councils, their terms
and members, sessions with their agenda and attendance, and the ballot.

Every write goes through ``awards.council.services``. The tables hold what the database
can enforce: one chair per term, one membership per user and term, one attendance row per
member and session, **one ballot per member and session** (the voter roll's unique
constraint), one choice per ballot and item, and ballots that are never updated.

Secret ballot (``CouncilSession.secret``): who has voted (``VoterRoll``) and what was voted
(``Ballot``, ``BallotChoice``) live in separate tables with nothing linking them: no voter
column on a secret ballot (a check constraint), no time finer than the session's, random
UUID4 primary keys, and at closing both tables of the session are rewritten in an order
that carries nothing (the roll by member, the ballots by receipt code).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .catalogue import AwardType
from .nominations import Nomination


class CouncilLevel(models.TextChoices):
    MINISTRY = "ministry", _("Ministry council")
    UNIT = "unit", _("Unit council")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    FIRST_VICE_CHAIR = "first_vice_chair", _("First vice-chair")
    STANDING_VICE_CHAIR = "standing_vice_chair", _("Standing vice-chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class Council(models.Model):
    """The ministry's council (its unit is the ministry) or a unit's own council, which
    votes on the titles the unit head confers."""

    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("level"), max_length=10, choices=CouncilLevel.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="councils"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "level"], name="council_one_per_unit_level")
        ]

    def __str__(self):
        return self.name


class CouncilTerm(models.Model):
    """A term of a council (nhiệm kỳ), with its dates and the decision that appointed it."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="terms"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=80)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    class Meta:
        verbose_name = _("council term")
        verbose_name_plural = _("council terms")
        ordering = ["council", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="council_term_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(decision_number=""), name="council_term_has_decision"
            ),
        ]

    def __str__(self):
        end = f"{self.ends_on:%d/%m/%Y}" if self.ends_on else "…"
        return f"{self.council} ({self.starts_on:%d/%m/%Y} – {end})"


class CouncilMember(models.Model):
    """A member of one term. ``unit`` is the member's own unit (conflicts of interest);
    ``votes`` is false for a secretary who keeps the minutes without a vote."""

    term = models.ForeignKey(
        CouncilTerm, verbose_name=_("term"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="council_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    position = models.CharField(_("position"), max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("own unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    votes = models.BooleanField(_("votes"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["term", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "user"], name="council_member_once_per_term"),
            models.UniqueConstraint(
                fields=["term"], condition=Q(role="chair"), name="council_term_one_chair"
            ),
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username


class SessionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Voting open")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Results published")


class CouncilSession(models.Model):
    """A meeting of a council term (phiên họp). ``members_count`` and the quorum are the
    numbers applied, stored at opening; each award type's vote rule is stored in
    ``SessionRule`` when the agenda is built, so a later rule change never alters it."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="sessions"
    )
    term = models.ForeignKey(
        CouncilTerm, verbose_name=_("term"), on_delete=models.PROTECT, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year of the achievements"))
    secret = models.BooleanField(_("secret ballot"), default=True)
    state = models.CharField(
        _("state"), max_length=10, choices=SessionState.choices, default=SessionState.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    members_count = models.PositiveSmallIntegerField(_("members (base)"), null=True, blank=True)
    present_count = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    minutes_job = models.ForeignKey(
        "emulation_portal.Job",
        verbose_name=_("minutes job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0)
                & Q(quorum_numerator__lte=F("quorum_denominator")),
                name="council_session_quorum_share",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(members_count__gt=0),
                name="council_session_members_when_open",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"


class SessionRule(models.Model):
    """The vote rule of one award type as applied by one session (copied from the rule set
    in force on the session's date). ``places``: how many may be approved at most (a quota
    for this session; empty: no limit)."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="rules")
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="+")
    rule_set_code = models.CharField(_("rule set"), max_length=40)
    threshold = models.DecimalField(_("threshold"), max_digits=4, decimal_places=3)
    base = models.CharField(_("base"), max_length=20, default="all_members")
    secret = models.BooleanField(_("secret ballot"), default=True)
    tie_rule = models.CharField(_("tie rule"), max_length=20, default="rank_chair")
    places = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("vote rule applied")
        verbose_name_plural = _("vote rules applied")
        ordering = ["session", "award_type__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "award_type"], name="session_rule_one_per_award"
            ),
            models.CheckConstraint(
                condition=Q(threshold__gte=0) & Q(threshold__lte=1),
                name="session_rule_threshold_share",
            ),
        ]

    def __str__(self):
        return f"{self.award_type.code}: {self.threshold:.1%}"


class SessionItem(models.Model):
    """One nomination on a session's agenda, and its result once the session is closed:
    approvals, disapprovals, abstentions and recusals counted from the ballots, over all
    members; ``passed`` the threshold; ``approved`` after the quota ranking."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="items")
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="council_items"
    )
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(_("order"), default=0)
    approvals = models.PositiveSmallIntegerField(_("approvals"), null=True, blank=True)
    disapprovals = models.PositiveSmallIntegerField(_("disapprovals"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    recusals = models.PositiveSmallIntegerField(_("recusals"), null=True, blank=True)
    passed = models.BooleanField(_("reached the threshold"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    tied = models.BooleanField(_("tied at the last place"), default=False)
    casting = models.BooleanField(_("chair's casting decision"), null=True, blank=True)
    approved = models.BooleanField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "nomination"], name="session_item_once_per_session"
            ),
        ]

    def __str__(self):
        return str(self.nomination)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    WRITTEN = "written", _("Absent, opinion in writing")
    SUBSTITUTE = "substitute", _("Represented by an authorised substitute")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """A member's attendance at a session. A substitute authorised in writing (the uploaded
    authorisation) votes in the member's place for this session only."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("attendance"), max_length=12, choices=AttendanceStatus.choices)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    authorisation = models.FileField(
        _("written authorisation"), upload_to="council/", max_length=200, blank=True
    )
    authorisation_name = models.CharField(_("file name"), max_length=200, blank=True)
    authorisation_sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "member__order", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once"),
            models.UniqueConstraint(
                fields=["session", "substitute"],
                condition=Q(substitute__isnull=False),
                name="attendance_substitute_once",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="substitute") & Q(substitute__isnull=False) & ~Q(authorisation="")
                )
                | (~Q(status="substitute") & Q(substitute__isnull=True)),
                name="attendance_substitute_authorised",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"


class Recusal(models.Model):
    """A member stands aside from one agenda item (a conflict of interest). Declared in
    the open; it counts as not approving, and the base stays all members."""

    item = models.ForeignKey(SessionItem, on_delete=models.CASCADE, related_name="recusal_set")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="recusal_once"),
        ]

    def __str__(self):
        return f"{self.member_id} / {self.item_id}"


class VoterRoll(models.Model):
    """Who has voted in a session: one row per member, whoever cast it (the member, the
    substitute, or the secretary entering a written opinion). The unique constraint is the
    database's refusal of a second ballot. Nothing here points to a ballot, and there is
    no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="roll")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("voter roll entry")
        verbose_name_plural = _("voter roll")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="voter_roll_one_ballot"),
        ]

    def __str__(self):
        return f"{self.session_id}: {self.member_id}"


class BallotError(Exception):
    pass


class BallotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise BallotError("a cast ballot never changes")


class Ballot(models.Model):
    """One cast ballot: a random receipt code the voter keeps, and whether it is an absent
    member's written opinion. ``voter`` only in a named session (a check constraint keeps
    it empty in a secret one). Never updated."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="ballots")
    receipt = models.CharField(_("receipt"), max_length=20, unique=True)
    secret = models.BooleanField(_("secret"))
    written = models.BooleanField(_("written opinion"), default=False)
    voter = models.ForeignKey(
        CouncilMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["receipt"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret=False) | Q(voter__isnull=True), name="ballot_secret_no_voter"
            ),
            models.UniqueConstraint(
                fields=["session", "voter"],
                condition=Q(voter__isnull=False),
                name="ballot_named_once",
            ),
        ]

    def __str__(self):
        return self.receipt

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise BallotError("a cast ballot never changes")
        super().save(*args, **kwargs)


class Choice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    DISAPPROVE = "disapprove", _("Disapprove")
    ABSTAIN = "abstain", _("Abstain")


class BallotChoice(models.Model):
    """A ballot's choice on one agenda item. A recused member's choice is stored as an
    abstention, so the recusal (declared in the open) does not mark their ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="choices")
    item = models.ForeignKey(SessionItem, on_delete=models.PROTECT, related_name="choices")
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        ordering = ["ballot", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "item"], name="ballot_choice_once"),
        ]

    def __str__(self):
        return f"{self.item_id}: {self.choice}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise BallotError("a cast ballot never changes")
        super().save(*args, **kwargs)
