"""Decisions (quyết định) conferring titles and rewards, their attached lists, the prize
multiples of each rule set, the rendered documents, and the submissions (tờ trình) that send
titles conferred higher up to the Prime Minister or the President, with the external
decisions that answer them.

Every write goes through ``awards.decisions.services``. The tables hold what the database
can enforce: one number per (issuer, symbol, year, number), a number exactly when the
decision is no longer a draft, one replacing decision per decision, one document per
content checksum. A decision that is no longer a draft refuses ``save()`` and
``delete()`` (the services move it with conditional UPDATEs), and so do its list's rows.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from emulation_portal.validators import LONG_TEXT_MAX, TITLE_MAX
from units.models import MAX_YEAR, MIN_YEAR, Unit

from .catalogue import AwardSubject, AwardType, ConferringAuthority
from .nominations import Batch, Nomination
from .rules import RuleSet


class DecisionIssuer(models.Model):
    """Who issues decisions: the ministry (the minister confers) or a unit whose head
    confers LDTT, CSTD_CS, TTLDTT and GK. Its symbol is data: each issuer its own."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="decision_issuer"
    )
    is_ministry = models.BooleanField(_("the ministry"), default=False)
    name = models.CharField(_("issuing body (as printed)"), max_length=TITLE_MAX)
    parent_name = models.CharField(
        _("governing body (line above, for a unit)"), max_length=TITLE_MAX, blank=True
    )
    symbol = models.CharField(_("decision symbol"), max_length=40, help_text="QĐ-BNNMT")
    submission_symbol = models.CharField(
        _("submission letter symbol"), max_length=40, blank=True, help_text="TTr-BNNMT"
    )
    head_title = models.CharField(_("head's title"), max_length=120, help_text="BỘ TRƯỞNG")
    place = models.CharField(_("place"), max_length=80, default="Hà Nội")

    class Meta:
        verbose_name = _("decision issuer")
        verbose_name_plural = _("decision issuers")
        ordering = ["-is_ministry", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_ministry"], condition=Q(is_ministry=True), name="one_ministry_issuer"
            ),
            models.CheckConstraint(condition=~Q(symbol=""), name="issuer_symbol_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} ({self.symbol})"

    @property
    def authority(self) -> str:
        """The conferring authority this issuer exercises."""
        return ConferringAuthority.MINISTER if self.is_ministry else ConferringAuthority.UNIT_HEAD


class DecisionCounter(models.Model):
    """The last number given per (issuer, symbol, year); locked while a decision is signed,
    so numbers are gap-free and never repeated."""

    issuer = models.ForeignKey(DecisionIssuer, on_delete=models.PROTECT, related_name="+")
    symbol = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("decision counter")
        verbose_name_plural = _("decision counters")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "symbol", "year"], name="decision_counter_unique"
            )
        ]

    def __str__(self):
        return f"{self.symbol} {self.year}: {self.last_number}"


class DecisionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    PUBLISHED = "published", _("Published")
    REPLACED = "replaced", _("Replaced")


class SignerPrefix(models.TextChoices):
    """NĐ 30/2020 art. 13: who signs for whom."""

    NONE = "", _("(the head signs)")
    KT = "KT.", _("KT. (a deputy signs for the head)")
    TM = "TM.", _("TM. (for a collective body)")
    TUQ = "TUQ.", _("TUQ. (by written delegation)")
    TL = "TL.", _("TL. (by internal rules)")
    Q = "Q.", _("Q. (acting head)")


class SignedError(ValidationError):
    pass


class Decision(models.Model):
    """A numbered decision conferring one award (of one kind) on the people and units of
    its attached list. The number, year and date are given when it is signed."""

    issuer = models.ForeignKey(
        DecisionIssuer, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+"
    )
    symbol = models.CharField(_("symbol"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="+"
    )
    award_year = models.PositiveSmallIntegerField(_("year of the achievements"))
    subject = models.CharField(_("subject line"), max_length=TITLE_MAX)
    legal_bases = models.TextField(
        _("legal bases (one per line)"), max_length=LONG_TEXT_MAX, blank=True
    )
    articles = models.TextField(_("articles (one per line)"), max_length=LONG_TEXT_MAX)
    recipients = models.TextField(
        _("recipients (one per line)"), max_length=LONG_TEXT_MAX, blank=True
    )
    signer_prefix = models.CharField(
        _("authority prefix"), max_length=5, choices=SignerPrefix.choices, blank=True
    )
    signer_for = models.CharField(
        _("signs for (title of the head)"), max_length=120, blank=True, help_text="BỘ TRƯỞNG"
    )
    signer_title = models.CharField(_("signer's title"), max_length=120, help_text="THỨ TRƯỞNG")
    signer_name = models.CharField(_("signer's name"), max_length=120)
    state = models.CharField(
        _("state"), max_length=10, choices=DecisionState.choices, default=DecisionState.DRAFT
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    signature_reference = models.CharField(
        _("digital signature reference"), max_length=300, blank=True
    )
    signed_file_sha256 = models.CharField(
        _("SHA-256 of the signed file"), max_length=64, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "symbol", "year", "number"], name="decision_number_unique"
            ),
            models.CheckConstraint(
                condition=(Q(state="draft") & Q(number__isnull=True) & Q(signed_at__isnull=True))
                | (
                    ~Q(state="draft")
                    & Q(number__gte=1)
                    & Q(year__isnull=False)
                    & Q(date__isnull=False)
                    & Q(signed_at__isnull=False)
                ),
                name="decision_numbered_once_signed",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | (Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR)),
                name="decision_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(award_year__gte=MIN_YEAR) & Q(award_year__lte=MAX_YEAR),
                name="decision_award_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(signed_file_sha256="") | Q(signed_file_sha256__regex=r"^[0-9a-f]{64}$"),
                name="decision_sha256_hex",
            ),
            models.CheckConstraint(
                condition=~Q(replaces=models.F("id")), name="decision_not_replacing_itself"
            ),
        ]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self):
        return self.reference or gettext("Draft decision #%(id)s") % {"id": self.pk}

    def save(self, *args, **kwargs):
        if self.pk and Decision.objects.filter(pk=self.pk).exclude(state="draft").exists():
            raise SignedError(
                gettext("A signed decision is never edited: issue a replacing decision."),
                code="signed",
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and Decision.objects.filter(pk=self.pk).exclude(state="draft").exists():
            raise SignedError(gettext("A signed decision is never deleted."), code="signed")
        return super().delete(*args, **kwargs)

    @property
    def reference(self) -> str:
        """``05/QĐ-BNNMT`` (numbers below 10 get a leading zero); empty for a draft."""
        return f"{self.number:02d}/{self.symbol}" if self.number else ""

    @property
    def is_draft(self) -> bool:
        return self.state == DecisionState.DRAFT


class DecisionItem(models.Model):
    """One line of the attached list: the nomination it confers, its order (the "Số sổ
    vàng" printed on the certificate) and, once signed, the prize money applied."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveIntegerField(_("order"))
    multiple = models.DecimalField(
        _("prize multiple"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    base_salary = models.PositiveBigIntegerField(_("base salary (VND)"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("prize (VND)"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision list line")
        verbose_name_plural = _("decision list lines")
        ordering = ["decision", "order"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "nomination"], name="decision_item_once"),
            models.UniqueConstraint(fields=["decision", "order"], name="decision_item_order"),
            models.CheckConstraint(condition=Q(order__gte=1), name="decision_item_order_positive"),
        ]

    def __str__(self):
        return f"{self.decision}: {self.order}"

    def save(self, *args, **kwargs):
        if self._decision_signed():
            raise SignedError(gettext("A signed decision's list is never edited."), code="signed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._decision_signed():
            raise SignedError(gettext("A signed decision's list is never edited."), code="signed")
        return super().delete(*args, **kwargs)

    def _decision_signed(self) -> bool:
        return Decision.objects.filter(pk=self.decision_id).exclude(state="draft").exists()


class PrizeMultiple(models.Model):
    """Prize money of an award as a multiple of the base salary, for a person or a unit,
    in a rule set (the decree of the period sets it; a decision uses the set in force on
    its date)."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="prizes"
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(
        _("subject"),
        max_length=10,
        choices=[
            (AwardSubject.PERSON, AwardSubject.PERSON.label),
            (AwardSubject.UNIT, AwardSubject.UNIT.label),
        ],
    )
    multiple = models.DecimalField(
        _("multiple of the base salary"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    legal_reference = models.CharField(_("legal reference"), max_length=300)
    confirmed = models.BooleanField(
        _("confirmed in the text"),
        default=True,
        help_text=_("Off when the figure was not read in the decree itself"),
    )

    class Meta:
        verbose_name = _("prize multiple")
        verbose_name_plural = _("prize multiples")
        ordering = ["rule_set", "award_type__order", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "award_type", "subject"], name="prize_multiple_once"
            ),
            models.CheckConstraint(condition=Q(multiple__gte=0), name="prize_multiple_positive"),
        ]

    def __str__(self):
        return f"{self.rule_set_id and self.rule_set.code}: {self.award_type.code} x{self.multiple}"


class DocumentKind(models.TextChoices):
    DECISION = "decision", _("Decision with its list")
    CERTIFICATE = "certificate", _("Certificate")
    # a nomination's papers (awards.dossiers): its achievement report, its unit's
    # submission letter with the list, and the dossier merging them with the evidence
    REPORT = "report", _("Achievement report")
    LETTER = "letter", _("Submission letter with its list")
    DOSSIER = "dossier", _("Nomination dossier")


def _document_path(instance, filename):
    return filename  # the service passes the deterministic path itself


class DecisionDocument(models.Model):
    """A rendered document, keyed by the checksum of its content (the HTML rendered from
    the data): the same content is stored once, under a path that names the checksum.
    A row exists only for a file that was completely written."""

    kind = models.CharField(_("document"), max_length=12, choices=DocumentKind.choices)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    item = models.ForeignKey(
        DecisionItem, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    nomination = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    content_sha256 = models.CharField(_("content checksum"), max_length=64)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    rendered_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        ordering = ["-rendered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_sha256"], name="decision_document_content_once"
            ),
            models.UniqueConstraint(fields=["file"], name="decision_document_path_once"),
            models.CheckConstraint(
                condition=(Q(kind="certificate") & Q(item__isnull=False))
                | (Q(kind="decision") & Q(item__isnull=True))
                | Q(kind__in=["report", "letter", "dossier"]),
                name="decision_document_item_for_certificate",
            ),
            # each document hangs on the one thing it is about
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["decision", "certificate"])
                    & Q(decision__isnull=False)
                    & Q(nomination__isnull=True)
                    & Q(batch__isnull=True)
                )
                | (
                    Q(kind__in=["report", "dossier"])
                    & Q(nomination__isnull=False)
                    & Q(decision__isnull=True)
                    & Q(batch__isnull=True)
                )
                | (
                    Q(kind="letter")
                    & Q(batch__isnull=False)
                    & Q(decision__isnull=True)
                    & Q(nomination__isnull=True)
                ),
                name="decision_document_one_owner",
            ),
        ]

    def __str__(self):
        return self.file.name


# --------------------------------------------------------------------------- sent up


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")


HIGHER_AUTHORITIES = [
    (ConferringAuthority.PRIME_MINISTER, ConferringAuthority.PRIME_MINISTER.label),
    (ConferringAuthority.PRESIDENT, ConferringAuthority.PRESIDENT.label),
]


class Submission(models.Model):
    """The ministry's submission (tờ trình) sending titles conferred higher up (BK_TTG,
    HCLD*, CSTD_TQ, CO_CP) with its list, to the Prime Minister or the President."""

    issuer = models.ForeignKey(
        DecisionIssuer, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.CharField(_("sent to"), max_length=20, choices=HIGHER_AUTHORITIES)
    title = models.CharField(_("subject line"), max_length=TITLE_MAX)
    number = models.CharField(_("letter number"), max_length=60, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    nominations = models.ManyToManyField(
        Nomination, through="SubmissionItem", related_name="+", verbose_name=_("nominations")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission to a higher level")
        verbose_name_plural = _("submissions to a higher level")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | (~Q(number="") & Q(date__isnull=False)),
                name="submission_sent_has_number",
            )
        ]

    def __str__(self):
        return self.number or self.title


class ExternalDecision(models.Model):
    """The Prime Minister's or the President's decision answering a submission, as the
    office recorded it: its number and date, and which nominations of the list it names."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.PROTECT,
        related_name="external_decisions",
    )
    authority = models.CharField(_("issued by"), max_length=20, choices=HIGHER_AUTHORITIES)
    number = models.CharField(_("decision number"), max_length=60)
    date = models.DateField(_("decision date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("external decision")
        verbose_name_plural = _("external decisions")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "number", "date"], name="external_decision_once"
            ),
            models.CheckConstraint(condition=~Q(number=""), name="external_decision_number"),
        ]

    def __str__(self):
        return self.number


class SubmissionItem(models.Model):
    """One line of a submission's list; ``granted_by`` is the external decision that
    conferred it, once recorded."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="items")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(_("order"))
    granted_by = models.ForeignKey(
        ExternalDecision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )

    class Meta:
        verbose_name = _("submission list line")
        verbose_name_plural = _("submission list lines")
        ordering = ["submission", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "nomination"], name="submission_item_once"
            ),
            models.UniqueConstraint(fields=["submission", "order"], name="submission_item_order"),
        ]

    def __str__(self):
        return f"{self.submission}: {self.order}"
