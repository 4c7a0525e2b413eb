"""Versioned rule sets: the law as data. The year under judgment picks the set in force."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from awards import conditions

from .catalogue import AwardSubject, AwardType


class RuleSet(models.Model):
    """A set of rules with an effective period (``effective_to`` empty: open) and the legal
    text it implements. Periods of rule sets must not overlap."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=500)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="rule_set_period_ordered",
            )
        ]

    def __str__(self):
        return self.code

    def clean(self):
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": gettext("The period ends before it starts.")})
        if not self.effective_from:
            return
        overlapping = RuleSet.objects.exclude(pk=self.pk).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
        )
        if self.effective_to:
            overlapping = overlapping.filter(effective_from__lte=self.effective_to)
        other = overlapping.first()
        if other:
            raise ValidationError(
                gettext("The period overlaps rule set %(code)s; close that one first.")
                % {"code": other.code}
            )

    @staticmethod
    def judgment_date(year: int) -> datetime.date:
        """A year's achievements are judged by the set in force on its last day."""
        return datetime.date(year, 12, 31)

    @classmethod
    def for_year(cls, year: int) -> "RuleSet | None":
        return cls.in_force_on(cls.judgment_date(year))

    @classmethod
    def in_force_on(cls, day: datetime.date) -> "RuleSet | None":
        """The set in force on ``day`` (a session's or a decision's date)."""
        return (
            cls.objects.filter(effective_from__lte=day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
            .order_by("-effective_from")
            .first()
        )


class Rule(models.Model):
    """The criteria of one award type for one kind of subject within a rule set."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="rules"
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), on_delete=models.PROTECT, related_name="rules"
    )
    subject = models.CharField(
        _("subject"),
        max_length=10,
        choices=[
            (AwardSubject.PERSON, AwardSubject.PERSON.label),
            (AwardSubject.UNIT, AwardSubject.UNIT.label),
        ],
    )
    condition = models.JSONField(
        _("condition"),
        help_text=_(
            'A JSON tree, e.g. {"all": [{"rating_at_least": "HTTNV", "years": 1}, '
            '{"no_discipline": {"min_level": "KHIEN_TRACH", "scope": "self"}}]}'
        ),
    )
    legal_reference = models.CharField(_("legal reference"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    vote_threshold = models.DecimalField(
        _("council vote threshold"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of ALL council members who must approve (e.g. 0.900); empty: no vote"),
    )
    # The council's vote (``awards.council``): whether a ballot is needed, its base (all
    # members), quorum, secret or named, the tie rule under a quota, and where they come from.
    ballot_required = models.BooleanField(_("council ballot required"), default=False)
    vote_base = models.CharField(
        _("threshold base"),
        max_length=20,
        choices=[("all_members", _("All members of the council"))],
        default="all_members",
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    ballot_secret = models.BooleanField(_("secret ballot"), default=True)
    tie_rule = models.CharField(
        _("tie rule under a quota"),
        max_length=20,
        choices=[("rank_chair", _("Rank by approvals; the chair decides a final tie"))],
        default="rank_chair",
    )
    vote_legal_reference = models.CharField(
        _("legal reference of the vote"), max_length=500, blank=True
    )
    quota_enabled = models.BooleanField(_("quota on"), default=False)
    quota_share = models.DecimalField(
        _("quota share"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("At most this share of the base award's holders in a unit, e.g. 0.150"),
    )
    quota_base = models.ForeignKey(
        AwardType,
        verbose_name=_("quota base award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        # xgettext:no-python-format
        help_text=_("e.g. LDTT for “CSTD_CS at most 15% of LDTT in a unit”"),
    )

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["rule_set", "award_type__order", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "award_type", "subject"], name="rule_one_per_award_subject"
            ),
            models.CheckConstraint(
                condition=Q(quota_enabled=False)
                | (Q(quota_share__isnull=False) & Q(quota_base__isnull=False)),
                name="rule_quota_complete_when_on",
            ),
            models.CheckConstraint(
                condition=Q(vote_threshold__isnull=True)
                | (Q(vote_threshold__gte=0) & Q(vote_threshold__lte=1)),
                name="rule_vote_threshold_share",
            ),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="rule_quorum_share",
            ),
            models.CheckConstraint(
                condition=Q(ballot_required=False) | Q(vote_threshold__isnull=False),
                name="rule_ballot_has_threshold",
            ),
        ]

    def __str__(self):
        return f"{self.rule_set_id and self.rule_set.code}: {self.award_type.code} ({self.subject})"

    def save(self, *args, **kwargs):
        """Refuses an invalid condition tree, whoever saves (admin, shell, migration)."""
        conditions.validate(self.condition)
        super().save(*args, **kwargs)

    def clean(self):
        codes = set(AwardType.objects.values_list("code", flat=True))
        try:
            conditions.validate(self.condition, codes)
        except ValidationError as exc:
            raise ValidationError({"condition": exc.messages}) from exc
        if self.award_type_id and not self.award_type.applies_to(self.subject):
            raise ValidationError(
                {"subject": gettext("This award type is not given to this kind of subject.")}
            )
        if self.quota_enabled and (self.quota_share is None or self.quota_base_id is None):
            raise ValidationError(
                gettext("A quota that is on needs both a share and a base award.")
            )
        if self.rule_set_id and self.award_type_id:
            self._check_no_cycle()

    def _check_no_cycle(self):
        graph = {
            (r.award_type.code, r.subject): conditions.referenced_awards(r.condition)
            for r in Rule.objects.filter(rule_set_id=self.rule_set_id)
            .exclude(pk=self.pk)
            .select_related("award_type")
        }
        me = (self.award_type.code, self.subject)
        graph[me] = conditions.referenced_awards(self.condition)
        seen: set = set()

        def visit(node, stack):
            if node in stack:
                raise ValidationError(
                    {
                        "condition": gettext("“eligible_for” makes a loop: %(chain)s.")
                        % {"chain": " → ".join(code for code, _s in [*stack, node])}
                    }
                )
            if node in seen:
                return
            seen.add(node)
            for code in graph.get(node, ()):
                visit((code, node[1]), [*stack, node])

        visit(me, [])
