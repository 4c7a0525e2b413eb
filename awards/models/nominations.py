"""Nominations (đề nghị khen thưởng) and their dossiers (hồ sơ): submission letters (tờ
trình) carrying lists of nominations, attachments, the office's review comments, public
disclosure (công khai) and the objections raised during it.

Every write goes through ``awards.nominations.services``; the tables below only hold the
invariants the database can enforce (one nominee, one live nomination per nominee, award
and year, vote counts that add up, an answer that has its author and time).
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from emulation_portal.validators import LONG_TEXT_MAX
from units.models import MAX_YEAR, MIN_YEAR, Initiative, Person, Unit

from .catalogue import AwardType
from .records import AwardKind
from .verdicts import EligibilityVerdict


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted for the council")
    IN_SESSION = "in_session", _("In a council session")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A nomination in one of these states no longer blocks a new one for the same nominee.
DEAD_STATES = (NominationState.WITHDRAWN, NominationState.REJECTED)
# The proposing unit may still edit the dossier in these states.
EDITABLE_STATES = (NominationState.DRAFT, NominationState.RETURNED)


class NominationLevel(models.TextChoices):
    """Who runs the workflow: the unit itself (titles its head confers: LDTT, CSTD_CS, GK)
    or the ministry's emulation office (everything else)."""

    UNIT = "unit", _("Within the unit")
    MINISTRY = "ministry", _("Ministry")


class Section(models.TextChoices):
    """Parts of the dossier a review comment can point at."""

    GENERAL = "general", _("General")
    BACKGROUND = "background", _("I. Background")
    ACHIEVEMENTS = "achievements", _("II. Achievements")
    REWARDS = "rewards", _("III. Rewards already received")
    DELIBERATION = "deliberation", _("Deliberation")
    INITIATIVE = "initiative", _("Initiative")
    ATTACHMENTS = "attachments", _("Attachments")


class AttachmentKind(models.TextChoices):
    SUBMISSION_LETTER = "submission_letter", _("Submission letter (tờ trình)")
    REPORT = "report", _("Achievement report (signed)")
    MINUTES = "minutes", _("Minutes of the deliberation")
    INITIATIVE_CERTIFICATE = "initiative_certificate", _("Initiative or research certificate")
    EVIDENCE = "evidence", _("Other evidence")


def _year_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR), name=name
    )


class Batch(models.Model):
    """A unit's submission letter (tờ trình): the list of nominations it sends up together.
    Built in one step from the engine's eligible list, then trimmed."""

    proposing_unit = models.ForeignKey(
        Unit, verbose_name=_("proposing unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("letter number"), max_length=60, blank=True)
    title = models.CharField(_("subject"), max_length=400)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission letter")
        verbose_name_plural = _("submission letters")
        ordering = ["-year", "-created_at"]
        constraints = [_year_check("nomination_batch_year_in_range")]

    def __str__(self):
        return self.title


class Nomination(models.Model):
    """A proposal that a person or a unit receive an award for a year, with its dossier."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit nominated"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="nominations"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=AwardKind.choices, default=AwardKind.CONG_TRANG
    )
    year = models.PositiveSmallIntegerField(_("year"))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposing_unit = models.ForeignKey(
        Unit, verbose_name=_("proposing unit"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=10, choices=NominationLevel.choices)
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("submission letter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
    )
    acclamation = models.ForeignKey(
        "campaigns.AcclamationProposal",
        verbose_name=_("bloc acclamation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the achievement report, in the three parts of the form
    background = models.TextField(_("I. Background"), max_length=LONG_TEXT_MAX, blank=True)
    achievements = models.TextField(_("II. Achievements"), max_length=LONG_TEXT_MAX, blank=True)
    rewards_received = models.TextField(
        _("III. Rewards already received"), max_length=LONG_TEXT_MAX, blank=True
    )
    # for the three CSTD titles: the initiative or scientific work the title rests on
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative or scientific work"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the unit's deliberation (bình xét)
    deliberation_date = models.DateField(_("deliberation date"), null=True, blank=True)
    deliberation_attendees = models.PositiveSmallIntegerField(
        _("members present"), null=True, blank=True
    )
    deliberation_votes = models.PositiveSmallIntegerField(
        _("votes in favour"), null=True, blank=True
    )
    # workflow
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=NominationState.choices,
        default=NominationState.DRAFT,
        db_index=True,
    )
    submit_count = models.PositiveSmallIntegerField(_("times submitted"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    # the engine's verdict at the last submission (a snapshot; later rule sets never change it)
    verdict = models.ForeignKey(
        EligibilityVerdict,
        verbose_name=_("eligibility verdict"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    eligible = models.BooleanField(_("eligible"), null=True, blank=True)
    override_reason = models.TextField(
        _("reason for overriding the verdict"), max_length=LONG_TEXT_MAX, blank=True
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-year", "award_type__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="nomination_one_nominee",
            ),
            models.UniqueConstraint(
                fields=["person", "award_type", "year"],
                condition=Q(person__isnull=False) & ~Q(state__in=["withdrawn", "rejected"]),
                name="nomination_one_live_per_person",
                violation_error_message=_(
                    "This person already has a live nomination for this award and year."
                ),
            ),
            models.UniqueConstraint(
                fields=["unit", "award_type", "year"],
                condition=Q(unit__isnull=False) & ~Q(state__in=["withdrawn", "rejected"]),
                name="nomination_one_live_per_unit",
                violation_error_message=_(
                    "This unit already has a live nomination for this award and year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(deliberation_votes__isnull=True)
                | Q(deliberation_attendees__isnull=True)
                | Q(deliberation_votes__lte=F("deliberation_attendees")),
                name="nomination_votes_within_attendees",
            ),
            models.CheckConstraint(
                condition=Q(override_by__isnull=True) | ~Q(override_reason=""),
                name="nomination_override_has_reason",
            ),
            _year_check("nomination_year_in_range"),
        ]
        indexes = [
            models.Index(fields=["state", "year"]),
            models.Index(fields=["proposing_unit", "state"]),
        ]

    def __str__(self):
        return f"{self.award_type.code} {self.year}: {self.nominee}"

    @property
    def nominee(self):
        return self.person if self.person_id else self.unit

    @property
    def subject_type(self) -> str:
        return "person" if self.person_id else "unit"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class NominationProposer(models.Model):
    """Someone who proposed a nomination: created it, edited its dossier, attached a file to
    it or to its submission letter, built that letter, or submitted it. The one who
    proposes never reviews or decides the same nomination (``awards.nominations.rules``)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="proposers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposer")
        verbose_name_plural = _("proposers")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "user"], name="nomination_proposer_once")
        ]

    def __str__(self):
        return f"{self.nomination_id}: {self.user_id}"


def _attachment_path(instance, filename):
    """Stored under a random name; the user's file name is kept for display only."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"nominations/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file of the dossier, on one nomination or on its submission letter (a file on the
    letter serves every nomination it carries, e.g. the unit's minutes)."""

    nomination = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("document"), max_length=24, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(nomination__isnull=False) & Q(batch__isnull=True))
                | (Q(nomination__isnull=True) & Q(batch__isnull=False)),
                name="attachment_one_owner",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty"),
        ]

    def __str__(self):
        return self.original_name


class ReviewComment(models.Model):
    """A reviewer's remark on one section, made when returning a dossier (or while reading)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(
        _("section"), max_length=16, choices=Section.choices, default=Section.GENERAL
    )
    text = models.TextField(_("comment"), max_length=LONG_TEXT_MAX)
    round = models.PositiveSmallIntegerField(_("submission round"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="comment_not_empty")]

    def __str__(self):
        return f"{self.get_section_display()}: {self.text[:60]}"


class Disclosure(models.Model):
    """A public disclosure (công khai): the nominees published to staff for a period."""

    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    nominations = models.ManyToManyField(
        Nomination, verbose_name=_("nominations"), related_name="disclosures"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public disclosure")
        verbose_name_plural = _("public disclosures")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="disclosure_period_ordered"
            ),
            _year_check("disclosure_year_in_range"),
        ]

    def __str__(self):
        return self.title


class Objection(models.Model):
    """A staff member's objection to a disclosed nominee; the office answers every one
    before the nomination goes to the council."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="objections")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField(_("objection"), max_length=LONG_TEXT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=LONG_TEXT_MAX, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="objection_not_empty"),
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_at__isnull=True))
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="objection_answer_complete",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def is_answered(self) -> bool:
        return bool(self.answered_at)
