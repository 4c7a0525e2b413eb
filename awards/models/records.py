"""The history of titles and rewards of people and units, and which reward used which
initiative (one initiative supports one reward)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import MAX_YEAR, MIN_YEAR, Initiative, Person, Unit

from .catalogue import AwardType


class AwardKind(models.TextChoices):
    CONG_TRANG = "cong_trang", _("Regular merit")
    DOT_XUAT = "dot_xuat", _("Ad hoc")
    CHUYEN_DE = "chuyen_de", _("Thematic")
    CONG_HIEN = "cong_hien", _("Long service")
    DOI_NGOAI = "doi_ngoai", _("Foreign")


class RecordSource(models.TextChoices):
    IMPORT = "import", _("Imported")
    DECISION = "decision", _("Decision")
    MANUAL = "manual", _("Entered by the office")
    DEMO = "demo", _("Demo data")


class AwardRecordQuerySet(models.QuerySet):
    def live(self):
        """Records in force: not superseded by a replacing decision."""
        return self.filter(superseded_at__isnull=True)


class AwardRecord(models.Model):
    """A title or reward received by a person or a unit (exactly one of the two) for a year.
    Natural key: subject, award type, year, kind (the import matches on it), among the
    records in force. A record of a decision later replaced is superseded (kept, never
    deleted): every read that judges or counts uses ``AwardRecord.objects.live()``."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="award_records",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="award_records",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="records"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(
        _("kind"), max_length=12, choices=AwardKind.choices, default=AwardKind.CONG_TRANG
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=RecordSource.choices, default=RecordSource.MANUAL
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    decision = models.ForeignKey(
        "awards.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    external_decision = models.ForeignKey(
        "awards.ExternalDecision",
        verbose_name=_("external decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "awards.Decision",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_records",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AwardRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("award record")
        verbose_name_plural = _("award records")
        ordering = ["-year", "award_type__order"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="award_record_one_subject",
            ),
            models.UniqueConstraint(
                fields=["person", "award_type", "year", "kind"],
                condition=Q(person__isnull=False) & Q(superseded_at__isnull=True),
                name="award_record_person_natural_key",
            ),
            models.UniqueConstraint(
                fields=["unit", "award_type", "year", "kind"],
                condition=Q(unit__isnull=False) & Q(superseded_at__isnull=True),
                name="award_record_unit_natural_key",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="award_record_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(superseded_by__isnull=True) | Q(superseded_at__isnull=False),
                name="award_record_superseded_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "award_type"]),
        ]

    def __str__(self):
        return f"{self.subject} {self.year}: {self.award_type.code}"

    @property
    def subject(self):
        return self.person if self.person_id else self.unit

    @property
    def subject_type(self) -> str:
        return "person" if self.person_id else "unit"

    @property
    def counts_toward_chains(self) -> bool:
        """Principle 2: only regular-merit awards count toward chains."""
        return self.kind == AwardKind.CONG_TRANG


class InitiativeUse(models.Model):
    """An initiative that served as the basis of a reward. One initiative, one reward: the
    database refuses a second use."""

    initiative = models.OneToOneField(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="use"
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    award_record = models.ForeignKey(
        AwardRecord,
        verbose_name=_("award record"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="initiative_uses",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("initiative use")
        verbose_name_plural = _("initiative uses")

    def __str__(self):
        return f"{self.initiative} → {self.award_type.code} {self.year}"
