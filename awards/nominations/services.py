"""Every write on nominations: creating and editing dossiers, the one transition function,
submission checks, uploads, comments, batches (tờ trình), disclosure and objections.

Each function takes the acting user first, runs in one transaction, locks the nomination
row it moves (``select_for_update``) or saves it with a conditional UPDATE on ``version``
(no lost update), records an audit event, and sends e-mail after commit through
``jobs.enqueue``. Refusals raise ``ValidationError`` (bad input, a move the table does not
allow, an incomplete or ineligible dossier) or ``PermissionDenied`` (not the actor's
business) with messages for the user; a refused call changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards import eligibility
from awards import services as award_services
from awards.models import (
    Attachment,
    AttachmentKind,
    AwardKind,
    AwardRecord,
    AwardType,
    Batch,
    ConferringAuthority,
    Disclosure,
    EligibilityVerdict,
    Nomination,
    NominationLevel,
    NominationState,
    Objection,
    ReviewComment,
    Section,
)
from awards.models.nominations import DEAD_STATES, EDITABLE_STATES
from awards.nominations import tasks, uploads
from emulation_portal import audit
from emulation_portal.jobs import enqueue
from emulation_portal.text import nfc
from units.models import BlocMembership, BlocRole, Person, Unit

S = NominationState

# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Move:
    sources: frozenset
    target: str
    perm: str
    notify: bool = False


# The nomination's life (``shared/domain/model-sketch.md``). "Resubmitted" is a submit from
# ``returned``; ``submit_count`` says how many times. The council moves (schedule, approve,
# reject, decide) are here for the council service to call; the office holds them until then.
MOVES: dict[str, Move] = {
    "submit": Move(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, "nominations.submit", True),
    "start_review": Move(frozenset({S.SUBMITTED}), S.UNDER_REVIEW, "nominations.review"),
    "return": Move(
        frozenset({S.SUBMITTED, S.UNDER_REVIEW}), S.RETURNED, "nominations.review", True
    ),
    "accept": Move(
        frozenset({S.SUBMITTED, S.UNDER_REVIEW}), S.ACCEPTED, "nominations.review", True
    ),
    "withdraw": Move(
        frozenset({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED}),
        S.WITHDRAWN,
        "nominations.withdraw",
    ),
    "schedule": Move(frozenset({S.ACCEPTED}), S.IN_SESSION, "nominations.council"),
    "approve": Move(frozenset({S.IN_SESSION, S.ACCEPTED}), S.APPROVED, "nominations.council"),
    "reject": Move(frozenset({S.IN_SESSION}), S.REJECTED, "nominations.council"),
    "decide": Move(frozenset({S.APPROVED}), S.DECIDED, "nominations.council"),
}

MOVE_LABELS = {
    "submit": gettext_lazy("Submit"),
    "start_review": gettext_lazy("Start review"),
    "return": gettext_lazy("Return for correction"),
    "accept": gettext_lazy("Accept for the council"),
    "withdraw": gettext_lazy("Withdraw"),
    "schedule": gettext_lazy("Put on a council session"),
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "decide": gettext_lazy("Record the decision"),
}

DOSSIER_FIELDS = [
    "background",
    "achievements",
    "rewards_received",
    "initiative",
    "deliberation_date",
    "deliberation_attendees",
    "deliberation_votes",
]
CSTD_CODES = {"CSTD_CS", "CSTD_BO", "CSTD_TQ"}
# Short forms: a unit's list for these titles carries no individual achievement report.
SHORT_FORM_CODES = {"LDTT", "GK"}


def _require(user, perm: str, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def _conflict():
    return ValidationError(
        _(
            "Someone else changed this nomination meanwhile. Reload to see their version; "
            "your changes were not saved."
        ),
        code="stale",
    )


def _lock(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("award_type", "proposing_unit", "person", "unit")
        .get(pk=nomination.pk)
    )


def level_for(award_type: AwardType) -> str:
    """Titles the unit head confers run inside the unit; the rest go to the ministry."""
    return (
        NominationLevel.UNIT
        if award_type.conferred_by == ConferringAuthority.UNIT_HEAD
        else NominationLevel.MINISTRY
    )


def rewards_history(subject, year: int) -> str:
    """Part III of the report from the award history: one line per record before ``year``."""
    field_name = "unit" if isinstance(subject, Unit) else "person"
    lines = []
    for rec in (
        AwardRecord.objects.filter(**{field_name: subject}, year__lt=year)
        .select_related("award_type")
        .order_by("year", "award_type__order")
    ):
        ref = f" ({rec.decision_number})" if rec.decision_number else ""
        lines.append(f"{rec.year}: {rec.award_type.name_vi}{ref}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- creating


def _check_new(
    *, person, unit, award_type: AwardType, year: int, proposing_unit: Unit, kind: str
) -> None:
    if (person is None) == (unit is None):
        raise ValidationError(_("Choose either a person or a unit to nominate."))
    subject_type = "person" if person is not None else "unit"
    if not award_type.applies_to(subject_type):
        raise ValidationError(
            {
                "award_type": _("%(award)s is not awarded to a %(subject)s.")
                % {
                    "award": award_type.code,
                    "subject": _("person") if subject_type == "person" else _("unit"),
                }
            }
        )
    if kind not in AwardKind.values:
        raise ValidationError({"kind": _("Choose a valid kind.")})
    this_year = timezone.localdate().year
    if not (2000 <= int(year) <= this_year):
        raise ValidationError(
            {"year": _("The year must be between 2000 and %(y)s.") % {"y": this_year}}
        )
    if not award_type.is_active:
        raise ValidationError({"award_type": _("This award is no longer in use.")})


def _live_exists(*, person, unit, award_type, year) -> bool:
    qs = Nomination.objects.filter(award_type=award_type, year=year).exclude(state__in=DEAD_STATES)
    return qs.filter(person=person).exists() if person else qs.filter(unit=unit).exists()


def _held(*, person, unit, award_type, year, kind) -> AwardRecord | None:
    """The award record if the nominee already received this award (of this kind) for the
    year: nominating them again makes no sense."""
    qs = AwardRecord.objects.filter(award_type=award_type, year=year, kind=kind)
    return (qs.filter(person=person) if person else qs.filter(unit=unit)).first()


def _already_held(record: AwardRecord, nominee):
    ref = f" ({record.decision_number})" if record.decision_number else ""
    return ValidationError(
        _("%(nominee)s already received %(award)s for %(year)s%(ref)s.")
        % {"nominee": nominee, "award": record.award_type.code, "year": record.year, "ref": ref},
        code="held",
    )


def _duplicate(person, unit):
    return ValidationError(
        _("%(nominee)s already has a live nomination for this award and year.")
        % {"nominee": person or unit},
        code="duplicate",
    )


@transaction.atomic
def create_nomination(
    actor,
    *,
    award_type: AwardType,
    year: int,
    proposing_unit: Unit,
    person: Person | None = None,
    unit: Unit | None = None,
    kind: str = AwardKind.CONG_TRANG,
    campaign=None,
    batch: Batch | None = None,
    acclamation=None,
    **dossier,
) -> Nomination:
    """Create a draft nomination of ``person`` or ``unit`` proposed by ``proposing_unit``.
    Part III of the report is filled from the award history. The nominee must be in the
    proposing unit's subtree (a person by current unit)."""
    probe = Nomination(proposing_unit=proposing_unit)
    _require(actor, "nominations.submit", probe)
    _check_new(
        person=person,
        unit=unit,
        award_type=award_type,
        year=year,
        proposing_unit=proposing_unit,
        kind=kind,
    )
    nominee_path = (person.unit if person else unit).path
    if acclamation is None and not nominee_path.startswith(proposing_unit.path):
        raise ValidationError(
            _("%(nominee)s is not in %(unit)s or its sub-units.")
            % {"nominee": person or unit, "unit": proposing_unit}
        )
    if _live_exists(person=person, unit=unit, award_type=award_type, year=year):
        raise _duplicate(person, unit)
    record = _held(person=person, unit=unit, award_type=award_type, year=year, kind=kind)
    if record is not None:
        raise _already_held(record, person or unit)
    nomination = Nomination(
        person=person,
        unit=unit,
        award_type=award_type,
        kind=kind,
        year=year,
        campaign=campaign,
        proposing_unit=proposing_unit,
        level=level_for(award_type),
        batch=batch,
        acclamation=acclamation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        rewards_received=rewards_history(person or unit, year),
    )
    _apply_dossier(nomination, dossier)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise _duplicate(person, unit) from None
    audit.record(
        actor,
        "nomination.create",
        nomination,
        after=audit.snapshot(
            nomination,
            ["person", "unit", "award_type", "kind", "year", "proposing_unit", "level", "batch"],
        ),
    )
    return nomination


def _clean_text(value) -> str:
    return nfc(str(value or "")).strip()


def _apply_dossier(nomination: Nomination, changes: dict) -> None:
    unknown = set(changes) - set(DOSSIER_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for name in ("background", "achievements", "rewards_received"):
        if name in changes:
            setattr(nomination, name, _clean_text(changes[name]))
    if "initiative" in changes:
        ini = changes["initiative"]
        if ini is not None and (not nomination.person_id or ini.person_id != nomination.person_id):
            raise ValidationError({"initiative": _("The initiative must be the nominee's own.")})
        nomination.initiative = ini
    for name in ("deliberation_date", "deliberation_attendees", "deliberation_votes"):
        if name in changes:
            setattr(nomination, name, changes[name])
    a, v = nomination.deliberation_attendees, nomination.deliberation_votes
    if a is not None and v is not None and v > a:
        raise ValidationError(
            {"deliberation_votes": _("More votes in favour than members present.")}
        )
    if nomination.deliberation_date and nomination.deliberation_date > timezone.localdate():
        raise ValidationError({"deliberation_date": _("The deliberation date is in the future.")})


@transaction.atomic
def update_dossier(actor, nomination: Nomination, *, version: int, **changes) -> Nomination:
    """Save the dossier fields of a draft or returned nomination. ``version`` is the one the
    user loaded: if anyone saved or moved the nomination since, the save is refused (no
    lost update)."""
    current = _lock(nomination)
    _require(actor, "nominations.edit", current)
    if current.version != int(version):
        raise _conflict()
    before = audit.snapshot(current, DOSSIER_FIELDS)
    _apply_dossier(current, changes)
    after = audit.snapshot(current, DOSSIER_FIELDS)
    if after == before:
        return current
    values = {name: getattr(current, name) for name in DOSSIER_FIELDS}
    initiative = values.pop("initiative")
    values["initiative_id"] = initiative.pk if initiative else None
    updated = Nomination.objects.filter(pk=current.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise _conflict()
    current.refresh_from_db()
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    audit.record(
        actor,
        "nomination.edit",
        current,
        before={k: before[k] for k in changed},
        after=changed,
    )
    return current


# --------------------------------------------------------------------------- checks


def _deadline_phase(campaign):
    from campaigns.models import Phase, PhaseKind

    return Phase.objects.filter(campaign=campaign, kind=PhaseKind.NOMINATIONS).first()


def deadline_for(nomination: Nomination) -> dt.date | None:
    """The nominations deadline of the campaign for the proposing unit (its extension if
    the office reopened it, else the phase's), or None without a campaign or phase."""
    if not nomination.campaign_id:
        return None
    from campaigns.models import PhaseExtension

    phase = _deadline_phase(nomination.campaign_id)
    if phase is None:
        return None
    ext = (
        PhaseExtension.objects.filter(phase=phase, unit_id=nomination.proposing_unit_id)
        .values_list("closes_on", flat=True)
        .first()
    )
    return ext or phase.closes_on


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


def verdict_reasons(verdict: EligibilityVerdict | None) -> list[dict]:
    """The stored reasons rendered in the active language: [{"text", "ok"}]."""
    if verdict is None:
        return []
    out = []
    for data in verdict.reasons or []:
        reason = eligibility.Reason.from_json(data)
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


# --------------------------------------------------------------------------- the transition


@transaction.atomic
def transition(
    actor,
    nomination: Nomination,
    move: str,
    *,
    version: int | None = None,
    comments: list[tuple[str, str]] | None = None,
    note: str = "",
) -> Nomination:
    """The one way a nomination changes state. Looks ``move`` up in ``MOVES``, locks the
    row, checks the actor's permission on the locked row and the move's own conditions
    (submission checks on submit; comments on return; on accept, every objection answered
    and no disclosure of the nominee still running), then
    writes the new state, bumps ``version``, records ``nomination.<move>`` in the audit log
    and e-mails after commit. ``version`` (optional) refuses a stale page."""
    spec = MOVES.get(move)
    if spec is None:
        raise ValidationError(_("Unknown step: %(move)s.") % {"move": move}, code="unknown_move")
    n = _lock(nomination)
    _require(actor, spec.perm, n)
    if version is not None and int(version) != n.version:
        raise _conflict()
    if n.state not in spec.sources:
        raise ValidationError(
            _("This step is not possible while the nomination is “%(state)s”.")
            % {"state": n.get_state_display()},
            code="bad_state",
        )
    before = {"state": n.state, "version": n.version}
    now = timezone.now()
    updates: dict = {}
    extra: dict = {}
    if move == "submit":
        _check_submission(actor, n)
        updates.update(
            submit_count=n.submit_count + 1,
            submitted_at=now,
            verdict=n.verdict,
            eligible=n.eligible,
        )
        extra = {
            "round": n.submit_count + 1,
            "eligible": n.eligible,
            "verdict": n.verdict_id,
            "resubmission": n.state == S.RETURNED,
        }
    elif move == "return":
        comments = [(s, _clean_text(t)) for s, t in (comments or []) if _clean_text(t)]
        valid = set(Section.values)
        if any(s not in valid for s, _t in comments):
            raise ValidationError(_("Choose a section for each comment."))
        has_open = n.comments.filter(round=n.submit_count).exists()
        if not comments and not has_open:
            raise ValidationError(
                _("Say what must be corrected: add at least one comment."), code="no_comment"
            )
        ReviewComment.objects.bulk_create(
            [
                ReviewComment(nomination=n, section=s, text=t, round=n.submit_count, author=actor)
                for s, t in comments
            ]
        )
        extra = {"comments": [{"section": s, "text": t} for s, t in comments]}
    elif move == "accept":
        open_objections = n.objections.filter(answered_at__isnull=True).count()
        if open_objections:
            raise ValidationError(
                _("%(n)s objection(s) from the public disclosure are not answered yet.")
                % {"n": open_objections},
                code="open_objections",
            )
        disclosed_until = n.disclosures.filter(ends_on__gte=timezone.localdate()).aggregate(
            until=Max("ends_on")
        )["until"]
        if disclosed_until is not None:
            raise ValidationError(
                _(
                    "The nominee is publicly disclosed until %(date)s: the nomination can go "
                    "to the council once the disclosure period is over."
                )
                % {"date": disclosed_until.strftime("%d/%m/%Y")},
                code="disclosure_open",
            )
        if n.eligible is False and n.kind == AwardKind.CONG_TRANG and not n.override_reason:
            raise ValidationError(_("The verdict is negative and was not overridden."))
        updates["accepted_at"] = now
    elif move == "approve" and n.state == S.ACCEPTED and n.award_type.council_vote:
        raise ValidationError(_("This award needs the council's vote first."))
    updates.update(state=spec.target, version=n.version + 1, updated_at=now)
    Nomination.objects.filter(pk=n.pk).update(**updates)
    for key, value in updates.items():
        setattr(n, key, value)
    note = _clean_text(note)
    audit.record(
        actor,
        f"nomination.{move}",
        n,
        before=before,
        after={"state": n.state, "version": n.version, **extra, **({"note": note} if note else {})},
    )
    if spec.notify:
        enqueue(tasks.notify_nomination, n.pk, move)
    return n


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def bulk_transition(actor, nominations, move: str) -> BulkResult:
    """Apply ``move`` to each nomination in its own transaction; a refusal of one does not
    stop the others and is reported with its reason."""
    result = BulkResult()
    for n in nominations:
        try:
            transition(actor, n, move)
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            result.refused[n.pk] = " ".join(str(m) for m in messages)
        else:
            result.done.append(n.pk)
    return result


@transaction.atomic
def record_verdict(actor, nomination: Nomination) -> Nomination:
    """Judge the nominee now and keep the verdict with the nomination (the "check" button);
    allowed to whoever may edit or review it."""
    n = _lock(nomination)
    if not (actor.has_perm("nominations.edit", n) or actor.has_perm("nominations.review", n)):
        raise PermissionDenied(_("You are not allowed to do this."))
    verdict = _record_verdict(actor, n)
    Nomination.objects.filter(pk=n.pk).update(
        verdict=verdict, eligible=verdict.eligible if verdict else None
    )
    n.verdict, n.eligible = verdict, (verdict.eligible if verdict else None)
    audit.record(
        actor, "nomination.check", n, after={"eligible": n.eligible, "verdict": n.verdict_id}
    )
    return n


@transaction.atomic
def override_verdict(actor, nomination: Nomination, *, reason: str) -> Nomination:
    """The office lets an ineligible nomination go forward, with a written reason (audited).
    An empty reason clears nothing: it is refused."""
    n = _lock(nomination)
    _require(actor, "nominations.override", n)
    reason = _clean_text(reason)
    if len(reason) < 10:
        raise ValidationError({"reason": _("Write the reason for the override (a sentence).")})
    if n.state not in (S.DRAFT, S.RETURNED, S.SUBMITTED, S.UNDER_REVIEW):
        raise ValidationError(_("The verdict can no longer be overridden at this stage."))
    before = {"override_reason": n.override_reason}
    Nomination.objects.filter(pk=n.pk).update(
        override_reason=reason, override_by=actor, version=F("version") + 1
    )
    n.refresh_from_db()
    audit.record(actor, "nomination.override", n, before=before, after={"override_reason": reason})
    return n


# --------------------------------------------------------------------------- comments, files


@transaction.atomic
def add_comment(actor, nomination: Nomination, *, section: str, text: str) -> ReviewComment:
    """A reviewer's comment on one section of the dossier (kept for the current round)."""
    n = _lock(nomination)
    _require(actor, "nominations.comment", n)
    text = _clean_text(text)
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    if section not in Section.values:
        raise ValidationError({"section": _("Choose a section.")})
    comment = ReviewComment.objects.create(
        nomination=n, section=section, text=text, round=n.submit_count, author=actor
    )
    audit.record(actor, "nomination.comment", n, after={"section": section, "text": text})
    return comment


@transaction.atomic
def add_attachment(
    actor, nomination: Nomination, upload, *, kind: str, version: int | None = None
) -> Attachment:
    """Attach a checked file (PDF, JPEG, PNG or DOCX, by content) to an editable dossier."""
    n = _lock(nomination)
    _require(actor, "nominations.edit", n)
    if version is not None and int(version) != n.version:
        raise _conflict()
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose which document this is.")})
    checked = uploads.check_upload(upload)
    att = _store(actor, checked, kind, nomination=n)
    Nomination.objects.filter(pk=n.pk).update(version=F("version") + 1, updated_at=timezone.now())
    audit.record(
        actor,
        "nomination.attach",
        n,
        after={"attachment": att.pk, "kind": kind, "name": att.original_name, "sha256": att.sha256},
    )
    return att


def _store(actor, checked: uploads.CheckedFile, kind: str, **owner) -> Attachment:
    """Write the file under a random name, then its row; the file is removed again if the
    row cannot be saved."""
    att = Attachment(
        kind=kind,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        **owner,
    )
    att.file.save(f"upload.{checked.extension}", ContentFile(checked.content), save=False)
    try:
        with transaction.atomic():
            att.save()
    except Exception:
        att.file.delete(save=False)
        raise
    return att


@transaction.atomic
def remove_attachment(actor, attachment: Attachment) -> None:
    """Remove a file from an editable dossier (the stored file is deleted after commit)."""
    if attachment.nomination_id:
        n = _lock(attachment.nomination)
        _require(actor, "nominations.edit", n)
        Nomination.objects.filter(pk=n.pk).update(version=F("version") + 1)
        obj = n
    else:
        batch = attachment.batch
        _require(actor, "nominations.submit", Nomination(proposing_unit=batch.proposing_unit))
        obj = batch
    name, storage = attachment.file.name, attachment.file.storage
    audit.record(
        actor,
        "nomination.detach",
        obj,
        before={"attachment": attachment.pk, "name": attachment.original_name},
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def add_batch_attachment(actor, batch: Batch, upload, *, kind: str) -> Attachment:
    """Attach a file to a submission letter; it serves every nomination the letter carries."""
    _require(actor, "nominations.submit", Nomination(proposing_unit=batch.proposing_unit))
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose which document this is.")})
    checked = uploads.check_upload(upload)
    att = _store(actor, checked, kind, batch=batch)
    audit.record(
        actor,
        "batch.attach",
        batch,
        after={"attachment": att.pk, "kind": kind, "name": att.original_name},
    )
    return att


# --------------------------------------------------------------------------- batches


@dataclass
class BuildResult:
    batch: Batch
    created: int
    skipped: int


@transaction.atomic
def build_batch(
    actor,
    *,
    proposing_unit: Unit,
    award_type: AwardType,
    year: int,
    campaign=None,
    title: str = "",
    number: str = "",
) -> BuildResult:
    """Make a submission letter for ``award_type`` and fill it in one step with a draft
    nomination for every person of the unit's subtree the engine finds eligible (people who
    already have a live nomination, or already received the award for the year, are
    skipped). The officer then trims the list."""
    _require(actor, "nominations.submit", Nomination(proposing_unit=proposing_unit))
    if not award_type.applies_to("person"):
        raise ValidationError({"award_type": _("Batches are built for people's awards.")})
    _check_new(
        person=True,
        unit=None,
        award_type=award_type,
        year=year,
        proposing_unit=proposing_unit,
        kind=AwardKind.CONG_TRANG,
    )
    unit_ids = list(
        Unit.objects.filter(path__startswith=proposing_unit.path).values_list("pk", flat=True)
    )
    batch = Batch.objects.create(
        proposing_unit=proposing_unit,
        year=year,
        award_type=award_type,
        campaign=campaign,
        number=_clean_text(number)[:60],
        title=_clean_text(title)
        or _("Nominations for %(award)s %(year)s") % {"award": award_type.name_vi, "year": year},
        created_by=actor,
    )
    eligible_ids = [
        v.subject_id
        for v in eligibility.judge(
            year, subject_type="person", award_codes=[award_type.code], unit_ids=unit_ids
        )
        if v.eligible
    ]
    taken = set(
        Nomination.objects.filter(award_type=award_type, year=year, person_id__in=eligible_ids)
        .exclude(state__in=DEAD_STATES)
        .values_list("person_id", flat=True)
    ) | set(
        AwardRecord.objects.filter(
            award_type=award_type,
            year=year,
            kind=AwardKind.CONG_TRANG,
            person_id__in=eligible_ids,
        ).values_list("person_id", flat=True)
    )
    history: dict[int, list[str]] = {}
    for pid, y, name, ref in (
        AwardRecord.objects.filter(person_id__in=eligible_ids, year__lt=year)
        .order_by("year", "award_type__order")
        .values_list("person_id", "year", "award_type__name_vi", "decision_number")
    ):
        history.setdefault(pid, []).append(f"{y}: {name}" + (f" ({ref})" if ref else ""))
    level = level_for(award_type)
    who = actor if getattr(actor, "is_authenticated", False) else None
    rows = [
        Nomination(
            person_id=pid,
            award_type=award_type,
            kind=AwardKind.CONG_TRANG,
            year=year,
            campaign=campaign,
            proposing_unit=proposing_unit,
            level=level,
            batch=batch,
            created_by=who,
            rewards_received="\n".join(history.get(pid, [])),
        )
        for pid in eligible_ids
        if pid not in taken
    ]
    try:
        with transaction.atomic():
            Nomination.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        raise ValidationError(
            _("Another nomination for one of these people was created meanwhile; try again.")
        ) from None
    audit.record(
        actor,
        "batch.build",
        batch,
        after={
            "award": award_type.code,
            "year": year,
            "unit": proposing_unit.code,
            "created": len(rows),
            "skipped": len(taken),
        },
    )
    return BuildResult(batch, len(rows), len(taken))


def submit_batch(actor, batch: Batch) -> BulkResult:
    """Submit every draft or returned nomination of the letter; each one is checked on
    its own and refusals are reported."""
    nominations = list(batch.nominations.filter(state__in=EDITABLE_STATES).order_by("id"))
    return bulk_transition(actor, nominations, "submit")


@dataclass
class ProposalResult:
    created: list[Nomination]
    skipped: int


@transaction.atomic
def nominations_from_proposals(actor, *, bloc, year: int, campaign=None) -> ProposalResult:
    """Turn the bloc's acclamation proposals for ``year`` into draft nominations in one
    step, proposed by the unit leading the bloc that year. A proposal already turned into a
    live nomination is skipped; so is a unit that already received the award for the year,
    and an award code the catalogue lacks."""
    from campaigns.models import AcclamationProposal

    _require(actor, "nominations.from_proposals")
    leader = (
        BlocMembership.objects.filter(bloc=bloc, year=year, role=BlocRole.LEADER)
        .select_related("unit")
        .first()
    )
    if leader is None:
        raise ValidationError(
            _("%(bloc)s has no leader recorded for %(year)s.") % {"bloc": bloc, "year": year}
        )
    types = {t.code: t for t in AwardType.objects.all()}
    created, skipped = [], 0
    for proposal in AcclamationProposal.objects.filter(bloc=bloc, year=year).select_related("unit"):
        award_type = types.get(proposal.award_code)
        if (
            award_type is None
            or _live_exists(person=None, unit=proposal.unit, award_type=award_type, year=year)
            or _held(
                person=None,
                unit=proposal.unit,
                award_type=award_type,
                year=year,
                kind=AwardKind.CONG_TRANG,
            )
        ):
            skipped += 1
            continue
        created.append(
            create_nomination(
                actor,
                award_type=award_type,
                year=year,
                proposing_unit=leader.unit,
                unit=proposal.unit,
                campaign=campaign,
                acclamation=proposal,
            )
        )
    audit.record(
        actor,
        "nomination.from_proposals",
        bloc,
        after={"year": year, "created": [n.pk for n in created], "skipped": skipped},
    )
    return ProposalResult(created, skipped)


# --------------------------------------------------------------------------- disclosure


@transaction.atomic
def publish_disclosure(
    actor, *, title: str, year: int, starts_on: dt.date, ends_on: dt.date, nominations
) -> Disclosure:
    """Publish nominees for comment (công khai) over a period. Only nominations submitted or
    under review can be published."""
    _require(actor, "nominations.disclose")
    title = _clean_text(title)
    if not title:
        raise ValidationError({"title": _("Give the disclosure a title.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    ids = [n.pk for n in nominations]
    if not ids:
        raise ValidationError(_("Choose at least one nomination to publish."))
    rows = list(Nomination.objects.select_for_update().filter(pk__in=ids))
    wrong = [n for n in rows if n.state not in (S.SUBMITTED, S.UNDER_REVIEW)]
    if wrong or len(rows) != len(set(ids)):
        raise ValidationError(
            _("Only submitted nominations or nominations under review can be published.")
        )
    disclosure = Disclosure.objects.create(
        title=title, year=year, starts_on=starts_on, ends_on=ends_on, published_by=actor
    )
    disclosure.nominations.set(rows)
    audit.record(
        actor,
        "disclosure.publish",
        disclosure,
        after={"from": starts_on, "until": ends_on, "nominations": sorted(ids)},
    )
    return disclosure


@transaction.atomic
def raise_objection(actor, nomination: Nomination, *, text: str) -> Objection:
    """A staff member objects to a nominee while a disclosure listing it is open."""
    n = _lock(nomination)
    _require(actor, "nominations.object", n)
    text = _clean_text(text)
    if not text:
        raise ValidationError({"text": _("Write your objection.")})
    today = timezone.localdate()
    disclosure = (
        n.disclosures.filter(starts_on__lte=today, ends_on__gte=today).order_by("-id").first()
    )
    if disclosure is None:
        raise ValidationError(_("No disclosure listing this nomination is open today."))
    objection = Objection.objects.create(
        disclosure=disclosure, nomination=n, text=text, author=actor
    )
    audit.record(actor, "objection.raise", n, after={"objection": objection.pk, "text": text})
    enqueue(tasks.notify_nomination, n.pk, "objection")
    return objection


@transaction.atomic
def answer_objection(actor, objection: Objection, *, answer: str) -> Objection:
    """The office answers an objection (once; the answer is on record)."""
    _require(actor, "nominations.answer_objection", objection.nomination)
    answer = _clean_text(answer)
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    updated = Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
        answer=answer, answered_by=actor, answered_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("This objection has already been answered."))
    objection.refresh_from_db()
    audit.record(
        actor,
        "objection.answer",
        objection.nomination,
        after={"objection": objection.pk, "answer": answer},
    )
    return objection


# --------------------------------------------------------------------------- deadlines


def reopen_deadline(actor, *, campaign, unit: Unit, closes_on: dt.date, reason: str):
    """The office gives one unit a later nominations deadline, with a reason (the campaign
    service records it and its audit event)."""
    from campaigns import services as campaign_services

    _require(actor, "nominations.reopen_deadline")
    phase = _deadline_phase(campaign)
    if phase is None:
        raise ValidationError(_("The campaign has no nominations phase."))
    return campaign_services.extend_phase(
        actor, phase, unit=unit, closes_on=closes_on, reason=reason
    )


__all__ = [
    "MOVES",
    "add_attachment",
    "add_comment",
    "answer_objection",
    "build_batch",
    "bulk_transition",
    "create_nomination",
    "dossier_problems",
    "nominations_from_proposals",
    "override_verdict",
    "publish_disclosure",
    "raise_objection",
    "record_verdict",
    "reopen_deadline",
    "transition",
    "update_dossier",
]
