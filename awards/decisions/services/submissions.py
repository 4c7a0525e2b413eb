"""Titles conferred higher up (BK_TTG, HCLD*, CSTD_TQ, CO_CP): the ministry's submission
(tờ trình) with its list, sent to the Prime Minister or the President, and the external
decision the office records when it comes back, matched against the submission's list."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.decisions.services.common import clean, require
from awards.models import (
    AwardRecord,
    DecisionIssuer,
    ExternalDecision,
    Nomination,
    NominationLevel,
    NominationState,
    RecordSource,
    Submission,
    SubmissionItem,
    SubmissionState,
)
from awards.nominations import services as nomination_services
from emulation_portal import audit
from emulation_portal.validators import TITLE_MAX


def _lock(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


@transaction.atomic
def create_submission(
    actor, *, issuer: DecisionIssuer, authority: str, title: str, nomination_ids
) -> Submission:
    """A draft submission of the ministry to ``authority`` listing approved nominations of
    awards that authority confers; audited as ``submission.create``."""
    require(actor, "decisions.manage")
    if not issuer.is_ministry:
        raise ValidationError(_("Only the ministry sends submissions to a higher level."))
    title = clean(title)
    if not title or len(title) > TITLE_MAX:
        raise ValidationError(_("Give the submission a subject line (at most 500 characters)."))
    ids = sorted({int(i) for i in nomination_ids})
    nominations = list(
        Nomination.objects.filter(pk__in=ids).select_related(
            "award_type", "person", "unit", "proposing_unit"
        )
    )
    if not nominations or len(nominations) != len(ids):
        raise ValidationError(_("Choose the approved nominations to send."))
    problems = [
        _("%(who)s: %(award)s is not conferred by the chosen authority, or not approved.")
        % {"who": n.nominee, "award": n.award_type.code}
        for n in nominations
        if n.award_type.conferred_by != authority
        or n.state != NominationState.APPROVED
        or n.level != NominationLevel.MINISTRY
    ]
    if problems:
        raise ValidationError(problems)
    submission = Submission.objects.create(
        issuer=issuer, authority=authority, title=title, created_by=actor
    )
    SubmissionItem.objects.bulk_create(
        [
            SubmissionItem(submission=submission, nomination=n, order=i)
            for i, n in enumerate(sorted(nominations, key=lambda n: (str(n.nominee), n.pk)), 1)
        ]
    )
    audit.record(actor, "submission.create", submission, after={"nominations": ids})
    return submission


@transaction.atomic
def send_submission(actor, submission: Submission, *, number: str, date: dt.date) -> Submission:
    """Record the submission's number and date as sent; audited as ``submission.send``."""
    s = _lock(submission)
    require(actor, "decisions.manage", s)
    if s.state != SubmissionState.DRAFT:
        raise ValidationError(_("This submission was already sent."))
    number = clean(number)
    if not number or len(number) > 60:
        raise ValidationError(_("Give the submission's number (at most 60 characters)."))
    if date is None or date > timezone.localdate():
        raise ValidationError(_("Give the submission's date (not in the future)."))
    Submission.objects.filter(pk=s.pk).update(state=SubmissionState.SENT, number=number, date=date)
    s.refresh_from_db()
    audit.record(actor, "submission.send", s, after={"number": number, "date": date.isoformat()})
    return s


@transaction.atomic
def record_external_decision(
    actor,
    submission: Submission,
    *,
    number: str,
    date: dt.date,
    nomination_ids,
) -> ExternalDecision:
    """The higher level's decision came back: record its number and date, match the names
    it confers against the submission's list (a name not on the list, or already
    conferred, is refused), create their award records and move their nominations to
    ``decided``, in one transaction. Audited as ``external_decision.record``."""
    s = _lock(submission)
    require(actor, "decisions.manage", s)
    if s.state == SubmissionState.DRAFT:
        raise ValidationError(_("Send the submission first: record its number and date."))
    number = clean(number)
    if not number or len(number) > 60:
        raise ValidationError(_("Give the decision's number (at most 60 characters)."))
    if date is None or date > timezone.localdate() or (s.date and date < s.date):
        raise ValidationError(
            _("The decision's date must be between the submission's date and today.")
        )
    ids = {int(i) for i in nomination_ids}
    items = {
        i.nomination_id: i
        # Only the items are locked: the nominee's person or unit is a nullable join.
        for i in SubmissionItem.objects.select_for_update(of=("self",))
        .filter(submission=s)
        .select_related("nomination__award_type", "nomination__person", "nomination__unit")
    }
    if not ids:
        raise ValidationError(_("Choose the names the decision confers."))
    unknown = ids - set(items)
    if unknown:
        raise ValidationError(
            _("%(n)s of the chosen nominations are not on this submission's list.")
            % {"n": len(unknown)}
        )
    done = [items[i].nomination.nominee for i in sorted(ids) if items[i].granted_by_id]
    if done:
        raise ValidationError(
            _("Already conferred by a recorded decision: %(names)s.")
            % {"names": ", ".join(str(x) for x in done)}
        )
    try:
        with transaction.atomic():
            external = ExternalDecision.objects.create(
                submission=s, authority=s.authority, number=number, date=date, recorded_by=actor
            )
    except IntegrityError as exc:
        raise ValidationError(_("This decision is already recorded.")) from exc
    records = []
    for nomination_id in sorted(ids):
        item = items[nomination_id]
        n = item.nomination
        subject = {"person": n.person} if n.person_id else {"unit": n.unit}
        if (
            AwardRecord.objects.live()
            .filter(**subject, award_type=n.award_type, year=n.year, kind=n.kind)
            .exists()
        ):
            raise ValidationError(
                _("%(who)s already holds %(award)s %(year)s.")
                % {"who": n.nominee, "award": n.award_type.code, "year": n.year}
            )
        record = AwardRecord.objects.create(
            **subject,
            award_type=n.award_type,
            year=n.year,
            kind=n.kind,
            external_decision=external,
            decision_number=number,
            decision_date=date,
            source=RecordSource.DECISION,
            created_by=actor,
        )
        records.append(record.pk)
        SubmissionItem.objects.filter(pk=item.pk).update(granted_by=external)
        nomination_services.transition(actor, n, "decide", internal=True, note=number)
    if not SubmissionItem.objects.filter(submission=s, granted_by__isnull=True).exists():
        Submission.objects.filter(pk=s.pk).update(state=SubmissionState.ANSWERED)
    audit.record(
        actor,
        "external_decision.record",
        external,
        after={"submission": s.pk, "number": number, "date": date.isoformat(), "records": records},
    )
    return external
