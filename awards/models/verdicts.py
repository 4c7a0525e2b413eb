"""Recorded verdicts: a snapshot of what the engine said, under which rule set. A newer rule
set never changes a recorded verdict."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Person, Unit

from .catalogue import AwardType
from .rules import RuleSet


class EligibilityVerdict(models.Model):
    """One verdict as recorded: ``reasons`` are the structured reasons (message and
    parameters, rendered in the reader's language), ``condition`` the rule as it was."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="verdicts"
    )
    eligible = models.BooleanField(_("eligible"))
    reasons = models.JSONField(_("reasons"), default=list)
    condition = models.JSONField(_("condition applied"), default=dict)
    legal_reference = models.CharField(_("legal reference"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("recorded verdict")
        verbose_name_plural = _("recorded verdicts")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="verdict_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.award_type.code} {self.year}: {'✓' if self.eligible else '✗'}"
