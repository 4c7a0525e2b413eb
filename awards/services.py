"""Every write of the awards catalogue, rule sets, award records, initiative uses and
recorded verdicts. Each function takes the actor first, runs in one transaction and
records an audit event."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from awards import eligibility
from awards.models import (
    AwardKind,
    AwardRecord,
    AwardType,
    EligibilityVerdict,
    InitiativeUse,
    RecordSource,
    Rule,
    RuleSet,
)
from emulation_portal import audit
from units.models import MAX_YEAR, MIN_YEAR, Initiative, Person, Unit

RECORD_FIELDS = [
    "person",
    "unit",
    "award_type",
    "year",
    "kind",
    "decision_number",
    "decision_date",
    "source",
    "note",
]
RULE_FIELDS = [
    "rule_set",
    "award_type",
    "subject",
    "condition",
    "legal_reference",
    "description",
    "vote_threshold",
    "quota_enabled",
    "quota_share",
    "quota_base",
]
RULE_SET_FIELDS = ["code", "name", "effective_from", "effective_to", "legal_reference", "notes"]


# --------------------------------------------------------------------------- award records


def _check_record(subject, award_type: AwardType, year: int, kind: str) -> str:
    subject_type = "unit" if isinstance(subject, Unit) else "person"
    if not isinstance(subject, Person | Unit):
        raise ValidationError(_("An award record belongs to a person or a unit."))
    if not award_type.applies_to(subject_type):
        raise ValidationError(
            _("%(award)s is not given to a %(subject)s.")
            % {
                "award": award_type.code,
                "subject": _("person") if subject_type == "person" else _("unit"),
            }
        )
    if not (MIN_YEAR <= int(year) <= MAX_YEAR):
        raise ValidationError(
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    if kind not in AwardKind.values:
        raise ValidationError(
            _("Unknown award kind “%(kind)s”; use one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(AwardKind.values)}
        )
    return subject_type


@transaction.atomic
def record_award(
    actor,
    *,
    subject,
    award_type: AwardType,
    year: int,
    kind: str = AwardKind.CONG_TRANG,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    source: str = RecordSource.MANUAL,
    note: str | None = None,
) -> tuple[AwardRecord, str]:
    """Create or update the award record of ``subject`` (person or unit) matched by its
    natural key (subject, award type, year, kind); ``note=None`` leaves the note as is.
    Returns ``(record, outcome)`` with
    outcome "created", "updated" or "unchanged"; audited as ``award_record.create/update``.
    """
    subject_type = _check_record(subject, award_type, year, kind)
    key = {subject_type: subject, "award_type": award_type, "year": int(year), "kind": kind}
    record = AwardRecord.objects.live().select_for_update().filter(**key).first()
    values = {
        "decision_number": decision_number or "",
        "decision_date": decision_date,
    }
    if note is not None:
        values["note"] = note
    if record is None:
        try:
            with transaction.atomic():
                record = AwardRecord.objects.create(
                    **key,
                    **values,
                    source=source,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError as exc:
            raise ValidationError(_("This award record already exists.")) from exc
        audit.record(
            actor, "award_record.create", record, after=audit.snapshot(record, RECORD_FIELDS)
        )
        return record, "created"
    if all(getattr(record, k) == v for k, v in values.items()):
        return record, "unchanged"
    before = audit.snapshot(record, RECORD_FIELDS)
    for k, v in values.items():
        setattr(record, k, v)
    record.save(update_fields=list(values))
    audit.record(
        actor,
        "award_record.update",
        record,
        before=before,
        after=audit.snapshot(record, RECORD_FIELDS),
    )
    return record, "updated"


@transaction.atomic
def delete_award_record(actor, record: AwardRecord) -> None:
    """Delete an award record (and the initiative uses tied to it); audited."""
    before = audit.snapshot(record, RECORD_FIELDS)
    audit.record(actor, "award_record.delete", record, before=before)
    record.delete()


# --------------------------------------------------------------------------- initiatives


@transaction.atomic
def use_initiatives(
    actor,
    *,
    initiatives: list[Initiative],
    award_type: AwardType,
    year: int,
    award_record: AwardRecord | None = None,
) -> list[InitiativeUse]:
    """Mark initiatives as the basis of a reward (principle 6: one initiative, one reward).
    The database refuses a second use; the message names the initiative."""
    uses = []
    for ini in initiatives:
        existing = InitiativeUse.objects.select_for_update().filter(initiative=ini).first()
        if existing is not None:
            if (existing.award_type_id, existing.year) == (award_type.pk, year):
                uses.append(existing)
                continue
            raise ValidationError(
                _(
                    "The initiative “%(title)s” already supports %(award)s %(year)s; one "
                    "initiative may support only one reward."
                )
                % {"title": ini.title, "award": existing.award_type.code, "year": existing.year}
            )
        try:
            with transaction.atomic():
                use = InitiativeUse.objects.create(
                    initiative=ini, award_type=award_type, year=year, award_record=award_record
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("The initiative “%(title)s” is already used.") % {"title": ini.title}
            ) from exc
        audit.record(
            actor,
            "initiative.use",
            use,
            after={"initiative": ini.pk, "award": award_type.code, "year": year},
        )
        uses.append(use)
    return uses


# --------------------------------------------------------------------------- rules


@transaction.atomic
def save_rule_set(actor, rule_set: RuleSet) -> RuleSet:
    """Validate (periods must not overlap) and save a rule set; audited."""
    before = (
        audit.snapshot(RuleSet.objects.get(pk=rule_set.pk), RULE_SET_FIELDS)
        if rule_set.pk
        else None
    )
    rule_set.full_clean()
    rule_set.save()
    audit.record(
        actor,
        "rule_set.update" if before else "rule_set.create",
        rule_set,
        before=before,
        after=audit.snapshot(rule_set, RULE_SET_FIELDS),
    )
    return rule_set


@transaction.atomic
def save_rule(actor, rule: Rule) -> Rule:
    """Validate the condition tree (schema, award codes, no ``eligible_for`` loop) and save
    the rule; audited. Recorded verdicts keep the condition they were judged by."""
    before = audit.snapshot(Rule.objects.get(pk=rule.pk), RULE_FIELDS) if rule.pk else None
    rule.full_clean()
    rule.save()
    audit.record(
        actor,
        "rule.update" if before else "rule.create",
        rule,
        before=before,
        after=audit.snapshot(rule, RULE_FIELDS),
    )
    return rule


# --------------------------------------------------------------------------- verdicts


def verdict_snapshot(verdict: eligibility.Verdict) -> dict:
    """A verdict as plain JSON (for a nomination's eligibility snapshot): reasons are kept
    as message ids with parameters, so they render in the reader's language later."""
    return {
        "subject_type": verdict.subject_type,
        "subject_code": verdict.subject_code,
        "award_code": verdict.award_code,
        "year": verdict.year,
        "eligible": verdict.eligible,
        "rule_set": verdict.rule_set,
        "legal_reference": verdict.legal_reference,
        "condition": verdict.condition,
        "reasons": [r.as_json() for r in verdict.reasons],
        "initiatives_used": verdict.initiatives_used,
    }


@transaction.atomic
def record_verdicts(actor, verdicts) -> list[EligibilityVerdict]:
    """Store snapshots of verdicts (rule set, condition and reasons as judged). A later rule
    set, or an edit of the rule, never changes a recorded verdict. One audit event each."""
    rule_sets = {rs.code: rs for rs in RuleSet.objects.all()}
    types = {t.code: t for t in AwardType.objects.all()}
    out = []
    for v in verdicts:
        row = EligibilityVerdict.objects.create(
            person_id=v.subject_id if v.subject_type == "person" else None,
            unit_id=v.subject_id if v.subject_type == "unit" else None,
            award_type=types[v.award_code],
            year=v.year,
            rule_set=rule_sets[v.rule_set],
            eligible=v.eligible,
            reasons=[r.as_json() for r in v.reasons],
            condition=v.condition,
            legal_reference=v.legal_reference[:500],
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor,
            "eligibility.record",
            row,
            after={
                "subject": f"{v.subject_type}:{v.subject_code}",
                "award": v.award_code,
                "year": v.year,
                "eligible": v.eligible,
                "rule_set": v.rule_set,
            },
        )
        out.append(row)
    return out


def recorded_reasons(row: EligibilityVerdict) -> list[str]:
    """A recorded verdict's reasons rendered in the active language."""
    return [eligibility.Reason.from_json(r).render() for r in row.reasons]


# --------------------------------------------------------------------------- quotas


def quota_rule(*, year: int, award_code: str) -> Rule | None:
    """The rule of the set in force for ``year`` that has a quota on for ``award_code``."""
    return (
        Rule.objects.filter(
            rule_set=eligibility.rule_set_for(year),
            award_type__code=award_code,
            quota_enabled=True,
        )
        .select_related("quota_base", "rule_set")
        .first()
    )


def quota_cap(*, year: int, award_code: str, unit: Unit) -> int | None:
    """Places for ``award_code`` in ``unit`` for ``year`` when the rule set in force has a
    quota on (e.g. CSTD_CS at most 15% of LDTT): floor(share × members holding or qualifying
    for the base award). None when no quota is on."""
    rule = quota_rule(year=year, award_code=award_code)
    if rule is None:
        return None
    rules = eligibility.load_rules(rule.rule_set)
    base = rule.quota_base.code
    stats = eligibility.member_stats(year, rules["person"], unit_ids=[unit.pk], award_codes={base})
    holders = stats.get(unit.pk, eligibility.MemberStats()).awards.get(base, 0)
    return math.floor(Decimal(holders) * rule.quota_share)


def check_quota(*, year: int, award_code: str, unit: Unit, proposed: int) -> None:
    """Raise ``ValidationError`` when ``proposed`` candidates of ``unit`` exceed the quota
    in force (nominations call this before accepting one more)."""
    cap = quota_cap(year=year, award_code=award_code, unit=unit)
    if cap is not None and proposed > cap:
        raise ValidationError(
            _("The quota for %(award)s in %(unit)s for %(year)s is %(cap)s; %(n)s proposed.")
            % {"award": award_code, "unit": unit.name, "year": year, "cap": cap, "n": proposed}
        )


@transaction.atomic
def save_award_record(actor, record: AwardRecord) -> AwardRecord:
    """Validate (exactly one subject, award applies to it, unique natural key) and save a
    record edited in the admin; audited."""
    before = (
        audit.snapshot(AwardRecord.objects.get(pk=record.pk), RECORD_FIELDS) if record.pk else None
    )
    _check_record(record.person or record.unit, record.award_type, record.year, record.kind)
    if record.person_id and record.unit_id:
        raise ValidationError(_("An award record belongs to a person or a unit, not both."))
    record.full_clean()
    if record.created_by_id is None and getattr(actor, "is_authenticated", False):
        record.created_by = actor
    record.save()
    audit.record(
        actor,
        "award_record.update" if before else "award_record.create",
        record,
        before=before,
        after=audit.snapshot(record, RECORD_FIELDS),
    )
    return record


@transaction.atomic
def save_award_type(actor, award_type: AwardType) -> AwardType:
    """Save a catalogue entry (names, conferring authority, vote, prize multiples); audited.
    Codes are stable: the admin shows them read-only once created."""
    fields = [
        "code",
        "name_vi",
        "name_en",
        "subject",
        "category",
        "conferred_by",
        "council_vote",
        "multiplier_person",
        "multiplier_unit",
        "order",
        "is_active",
    ]
    before = (
        audit.snapshot(AwardType.objects.get(pk=award_type.pk), fields) if award_type.pk else None
    )
    award_type.full_clean()
    award_type.save()
    audit.record(
        actor,
        "award_type.update" if before else "award_type.create",
        award_type,
        before=before,
        after=audit.snapshot(award_type, fields),
    )
    return award_type


@transaction.atomic
def save_base_salary(actor, salary) -> object:
    """Save a dated base salary value; audited."""
    fields = ["amount", "effective_from", "legal_reference"]
    before = audit.snapshot(type(salary).objects.get(pk=salary.pk), fields) if salary.pk else None
    salary.full_clean()
    salary.save()
    audit.record(
        actor,
        "base_salary.update" if before else "base_salary.create",
        salary,
        before=before,
        after=audit.snapshot(salary, fields),
    )
    return salary
