"""Standing verdicts: what the engine says today for every subject and award of a year,
stored by a pass and kept current, so the pages read a table instead of judging the
population on every view.

Kept apart from ``EligibilityVerdict`` on purpose: a recorded verdict is a frozen snapshot
(reasons and the condition as applied, e.g. at a nomination's submission) that nothing ever
rewrites; a standing verdict is a compact, rewritable row (no reasons: explanations are
worked out lazily for one subject) that every change of facts replaces."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Person, Unit

from .catalogue import AwardType
from .rules import RuleSet


class VerdictPass(models.Model):
    """One pass of the engine over a year: who asked, its state and progress, and when it
    ended. The latest finished pass of a year says when its standing verdicts were made."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("requested by the office")
        NIGHTLY = "nightly", _("nightly")
        IMPORT = "import", _("after an import")
        FIRST_VIEW = "first_view", _("first view of the year")
        RULES = "rules", _("rules changed")

    year = models.PositiveSmallIntegerField(_("year"))
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    trigger = models.CharField(
        _("trigger"), max_length=12, choices=Trigger.choices, default=Trigger.MANUAL
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    subjects = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("eligibility pass")
        verbose_name_plural = _("eligibility passes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["year", "state"], name="verdictpass_year_state")]
        constraints = [
            # At most one pass waiting and one running per year: requests coalesce onto
            # the waiting one, which starts when the running one ends.
            models.UniqueConstraint(
                fields=["year", "state"],
                condition=Q(state__in=["pending", "running"]),
                name="verdictpass_one_open_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.state} {self.chunks_done}/{self.chunks_total}"


class StoredVerdict(models.Model):
    """The standing verdict of one subject for one award in a year under a rule set.

    ``scope_unit_id`` is the unit a unit officer's scope is checked against (a person's
    current unit, a unit itself); ``code``, ``name`` and ``sort_key`` are copied so a page
    is one indexed query on this table alone."""

    year = models.PositiveSmallIntegerField()
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="+")
    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope_unit_id = models.IntegerField()
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    # People by id, then units in tree order: the engine's own order.
    sort_key = models.BigIntegerField()
    eligible = models.BooleanField()
    pass_id = models.IntegerField(null=True, blank=True)  # None: re-judged after a change
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("standing verdict")
        verbose_name_plural = _("standing verdicts")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="storedverdict_one_subject",
            ),
            models.UniqueConstraint(
                fields=["year", "rule_set", "person", "award_type"],
                condition=Q(person__isnull=False),
                name="storedverdict_person_once",
            ),
            models.UniqueConstraint(
                fields=["year", "rule_set", "unit", "award_type"],
                condition=Q(unit__isnull=False),
                name="storedverdict_unit_once",
            ),
        ]
        indexes = [
            # the list page: a year, an award or all, people or units, eligible or all
            models.Index(
                fields=["year", "rule_set", "award_type", "eligible", "sort_key"],
                name="storedverdict_list",
            ),
            # in the page's order (sort_key, award_type), so a page is an index range read
            # whatever the population: sorting the whole year made it grow with people
            models.Index(
                fields=["year", "rule_set", "sort_key", "award_type"], name="storedverdict_all"
            ),
            models.Index(
                fields=["year", "rule_set", "eligible", "sort_key", "award_type"],
                name="storedverdict_eligible",
            ),
            models.Index(fields=["year", "rule_set", "scope_unit_id"], name="storedverdict_scope"),
        ]

    def __str__(self):
        return f"{self.code} {self.year}: {'✓' if self.eligible else '✗'}"

    @property
    def subject_type(self) -> str:
        return "person" if self.person_id else "unit"

    @property
    def subject_code(self) -> str:
        return self.code

    @property
    def subject_name(self) -> str:
        return self.name

    @property
    def award_code(self) -> str:
        return self.award_type.code


class VerdictTally(models.Model):
    """How many standing verdicts (and how many eligible) a scope unit has per award: the
    list page's totals are a sum over at most units x awards rows, whatever the people."""

    year = models.PositiveSmallIntegerField()
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="+")
    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="+")
    is_unit = models.BooleanField()
    scope_unit_id = models.IntegerField()
    total = models.PositiveIntegerField()
    eligible = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "rule_set", "award_type", "is_unit", "scope_unit_id"],
                name="verdicttally_once",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.scope_unit_id}: {self.eligible}/{self.total}"


class DirtySubject(models.Model):
    """A person or unit whose facts changed since its standing verdicts were made. One row
    per subject however many times it changed: one task drains them all."""

    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.OneToOneField(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="dirtysubject_one_subject",
            ),
        ]

    def __str__(self):
        return f"person {self.person_id}" if self.person_id else f"unit {self.unit_id}"
