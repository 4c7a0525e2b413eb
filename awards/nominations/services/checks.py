"""What a complete dossier holds, the eligibility verdict and the checks made at
submission (deadline, verdict, quota)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import eligibility
from awards import services as award_services
from awards.models import (
    Attachment,
    AttachmentKind,
    AwardKind,
    EligibilityVerdict,
    Nomination,
    NominationState,
    Section,
)
from awards.models.nominations import DEAD_STATES
from awards.nominations.services.common import (
    CSTD_CODES,
    SHORT_FORM_CODES,
)
from awards.nominations.services.deadlines import deadline_for
from units.models import Unit


@dataclass
class Requirements:
    documents: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    initiative: bool = False
    deliberation: bool = True


def requirements_for(nomination: Nomination) -> Requirements:
    """What a complete dossier holds for this award (``rules.md``, "Dossier contents"): a
    submission letter and the minutes of the deliberation for every nomination (on the
    nomination or its batch; a bloc's acclamation stands for the unit's deliberation and
    minutes); the report's parts I and II except for the short forms (LDTT, GK); for the
    three CSTD titles the initiative and its certificate."""
    code = nomination.award_type.code
    req = Requirements(documents=[AttachmentKind.SUBMISSION_LETTER])
    if nomination.acclamation_id:
        req.deliberation = False
    else:
        req.documents.append(AttachmentKind.MINUTES)
    if code not in SHORT_FORM_CODES:
        req.sections = ["background", "achievements"]
    if code in CSTD_CODES:
        req.initiative = True
        req.documents.append(AttachmentKind.INITIATIVE_CERTIFICATE)
    return req


def dossier_problems(nomination: Nomination) -> list[tuple[str, str]]:
    """What is missing, as (section, message) pairs; empty when the dossier is complete."""
    req = requirements_for(nomination)
    problems: list[tuple[str, str]] = []
    labels = dict(Section.choices)
    for name in req.sections:
        if not getattr(nomination, name).strip():
            problems.append((name, _("%(part)s is empty.") % {"part": labels[name]}))
    if req.deliberation and not (
        nomination.deliberation_date
        and nomination.deliberation_attendees
        and nomination.deliberation_votes is not None
    ):
        problems.append(
            (
                Section.DELIBERATION,
                _("Give the date, the members present and the votes of the deliberation."),
            )
        )
    if req.initiative and not nomination.initiative_id:
        problems.append(
            (Section.INITIATIVE, _("Choose the initiative or scientific work the title rests on."))
        )
    kinds = set(nomination.attachments.values_list("kind", flat=True))
    if nomination.batch_id:
        kinds |= set(
            Attachment.objects.filter(batch_id=nomination.batch_id).values_list("kind", flat=True)
        )
    doc_labels = dict(AttachmentKind.choices)
    for kind in req.documents:
        if kind not in kinds:
            problems.append(
                (Section.ATTACHMENTS, _("Missing document: %(doc)s.") % {"doc": doc_labels[kind]})
            )
    return problems


def _record_verdict(actor, nomination: Nomination) -> EligibilityVerdict | None:
    """Judge the nominee now and store the verdict as a snapshot (None: no rule for it)."""
    nominee = nomination.nominee
    verdicts = eligibility.judge_subject(
        nomination.year, nominee, award_codes=[nomination.award_type.code]
    )
    if not verdicts:
        return None
    v = verdicts[0]
    from awards.models import RuleSet

    return EligibilityVerdict.objects.create(
        person=nomination.person,
        unit=nomination.unit,
        award_type=nomination.award_type,
        year=nomination.year,
        rule_set=RuleSet.objects.get(code=v.rule_set),
        eligible=v.eligible,
        reasons=[r.as_json() for r in v.reasons],
        condition=v.condition,
        legal_reference=v.legal_reference,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


# The reasons that tell a person's disciplinary record (units.privacy: need to know).
DISCIPLINE_REASONS = frozenset(
    {
        "No discipline in force in %(year)s.",
        "Discipline in force in %(year)s blocks any reward: %(items)s.",
    }
)


def verdict_reasons(verdict: EligibilityVerdict | None, *, discipline: bool = True) -> list[dict]:
    """The stored reasons rendered in the active language: [{"text", "ok"}]. With
    ``discipline`` false (a reader who may not know the person's discipline), a reason
    about it says only that the condition is withheld, not whether it holds."""
    if verdict is None:
        return []
    out = []
    for data in verdict.reasons or []:
        reason = eligibility.Reason.from_json(data)
        if not discipline and reason.msg in DISCIPLINE_REASONS:
            out.append(
                {
                    "text": _(
                        "The discipline condition is shown only to the office and the "
                        "officers of the person's unit."
                    ),
                    "ok": None,
                }
            )
            continue
        out.append({"text": reason.render(), "ok": reason.ok})
    return out


def _check_submission(actor, n: Nomination) -> None:
    problems = dossier_problems(n)
    if problems:
        raise ValidationError([msg for _section, msg in problems], code="incomplete")
    deadline = deadline_for(n)
    if deadline and timezone.localdate() > deadline and not actor.has_perm("nominations.override"):
        raise ValidationError(
            _(
                "The deadline for nominations was %(date)s. Ask the emulation office to "
                "reopen it for your unit."
            )
            % {"date": deadline.strftime("%d/%m/%Y")},
            code="late",
        )
    verdict = _record_verdict(actor, n)
    n.verdict = verdict
    n.eligible = verdict.eligible if verdict else None
    if (
        verdict is not None
        and not verdict.eligible
        and n.kind == AwardKind.CONG_TRANG
        and not n.override_reason
    ):
        failed = [r["text"] for r in verdict_reasons(verdict) if r["ok"] is False]
        raise ValidationError(
            [_("The nominee does not meet the criteria; the nomination cannot be submitted.")]
            + failed,
            code="ineligible",
        )
    _check_quota(n)


def _check_quota(n: Nomination) -> None:
    """With a quota on for the award in the rule set in force (e.g. CSTD_CS at most a share
    of a unit's LDTT), the proposing unit's nominations for it that year, this one
    included, must fit. Places are taken from the first submission until a nomination is
    withdrawn or rejected. The unit's row is locked so that two submissions at once cannot
    both take the last place. With no quota on (the usual case) nothing is locked or
    counted."""
    if award_services.quota_rule(year=n.year, award_code=n.award_type.code) is None:
        return
    Unit.objects.select_for_update().filter(pk=n.proposing_unit_id).first()
    taken = (
        Nomination.objects.filter(
            award_type_id=n.award_type_id, year=n.year, proposing_unit_id=n.proposing_unit_id
        )
        .exclude(state__in=(*DEAD_STATES, NominationState.DRAFT))
        .exclude(pk=n.pk)
        .count()
    )
    award_services.check_quota(
        year=n.year, award_code=n.award_type.code, unit=n.proposing_unit, proposed=taken + 1
    )
