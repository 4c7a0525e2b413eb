"""The award catalogue (codes of ``shared/domain/codes.md``) and the dated base salary."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AwardSubject(models.TextChoices):
    PERSON = "person", _("Person")
    UNIT = "unit", _("Unit")
    BOTH = "both", _("Person or unit")


class AwardCategory(models.TextChoices):
    """Emulation titles and reward forms are different things and are kept strictly apart."""

    TITLE = "title", _("Emulation title")
    FORM = "form", _("Reward form")


class ConferringAuthority(models.TextChoices):
    UNIT_HEAD = "unit_head", _("Head of the unit")
    MINISTER = "minister", _("Minister")
    PRIME_MINISTER = "prime_minister", _("Prime Minister")
    PRESIDENT = "president", _("President")


class AwardType(models.Model):
    """One entry of the catalogue. ``code`` is stable and never translated."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    subject = models.CharField(_("subject"), max_length=10, choices=AwardSubject.choices)
    category = models.CharField(_("category"), max_length=10, choices=AwardCategory.choices)
    conferred_by = models.CharField(
        _("conferred by"), max_length=20, choices=ConferringAuthority.choices
    )
    council_vote = models.BooleanField(_("council vote needed"), default=False)
    multiplier_person = models.DecimalField(
        _("prize multiple (person)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Multiple of the base salary; empty when not set"),
    )
    multiplier_unit = models.DecimalField(
        _("prize multiple (unit)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(multiplier_person__isnull=True) | Q(multiplier_person__gte=0),
                name="award_type_multiplier_person_positive",
            ),
            models.CheckConstraint(
                condition=Q(multiplier_unit__isnull=True) | Q(multiplier_unit__gte=0),
                name="award_type_multiplier_unit_positive",
            ),
        ]

    def __str__(self):
        return f"{self.code} - {self.name}"

    @property
    def name(self) -> str:
        """The name in the active language (Vietnamese unless English is active)."""
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def applies_to(self, subject_type: str) -> bool:
        return self.subject in (subject_type, AwardSubject.BOTH)

    def multiplier_for(self, subject_type: str) -> Decimal | None:
        return self.multiplier_person if subject_type == "person" else self.multiplier_unit


class BaseSalary(models.Model):
    """The base salary (mức lương cơ sở) in VND, in force from ``effective_from`` until the
    next row's date."""

    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    effective_from = models.DateField(_("effective from"), unique=True)
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="base_salary_positive")
        ]

    def __str__(self):
        return f"{self.amount:,} VND ({self.effective_from:%d/%m/%Y})"

    @classmethod
    def in_force(cls, on_date) -> "BaseSalary | None":
        return cls.objects.filter(effective_from__lte=on_date).order_by("-effective_from").first()
