"""Council pages: councils and their terms for the office; a session's page (agenda by award
type, attendance, quorum, the steps the user may take); the member's phone ballot (approve
all, change the exceptions, review, cast, the receipt shown once); the progress the chair
and the secretary follow (x of y cast, never contents); the secretary's entry of written
opinions; the results and receipts after closing; the minutes' download.

Every write calls a service; a refusal comes back as a message on the page and the user's
input stays where it was.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from awards.council import forms, selectors, services
from awards.models import (
    Attendance,
    AttendanceStatus,
    Choice,
    Council,
    CouncilMember,
    CouncilSession,
    CouncilTerm,
    SessionState,
)
from emulation_portal.models import Job

MOVE_LABELS = {
    "open": gettext_lazy("Open voting"),
    "close": gettext_lazy("Close voting and count"),
    "publish": gettext_lazy("Publish the results"),
}


def _flash(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.error(request, str(exc) or _("You are not allowed to do this."))


def _refusal(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc) or _("You are not allowed to do this.")]


def _session(request, session_id: int, perm: str | None = "council.view_session"):
    """The session if the user may see it (404 otherwise), checked against ``perm``."""
    s = selectors.visible_sessions(request.user).filter(pk=session_id).first()
    if s is None:
        raise Http404
    if perm and not request.user.has_perm(perm, s):
        raise PermissionDenied
    return s


# --------------------------------------------------------------------------- councils


@login_required
def index(request):
    """Councils with their terms and members, and their sessions (office: every council;
    a member: the councils they sit on; a substitute: the council of the session they
    stand in at, with that session)."""
    if not request.user.has_perm("council.index"):
        raise PermissionDenied
    councils = list(
        selectors.visible_councils(request.user).prefetch_related(
            Prefetch(
                "terms",
                queryset=CouncilTerm.objects.prefetch_related(
                    Prefetch(
                        "members",
                        queryset=CouncilMember.objects.select_related("user", "unit"),
                    )
                ),
            )
        )
    )
    pending = request.GET.get("vote") == "pending"
    sessions = selectors.visible_sessions(request.user)
    if pending:
        sessions = sessions.filter(pk__in=selectors.to_vote(request.user).values("pk"))
    sessions = list(sessions.order_by("-date", "-id")[:100])
    by_council = {}
    for s in sessions:
        by_council.setdefault(s.council_id, []).append(s)
    for c in councils:
        c.visible_sessions = by_council.get(c.pk, [])
    return render(
        request,
        "council/index.html",
        {
            "councils": councils,
            "can_create": request.user.has_perm("council.manage"),
            "pending": pending,
        },
    )


@login_required
def session_create(request, council_id):
    council = Council.objects.filter(pk=council_id).select_related("unit").first()
    if council is None:
        raise Http404
    if not request.user.has_perm("council.create_session", council):
        raise PermissionDenied
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            s = services.create_session(
                request.user,
                council,
                title=d["title"],
                date=d["date"],
                year=d["year"],
                place=d["place"],
                secret=d["secret"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        except PermissionDenied as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("The session has been created as a draft."))
            return redirect("council:session", session_id=s.pk)
    return render(request, "council/session_form.html", {"council": council, "form": form})


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        form.add_error(None, exc)


# --------------------------------------------------------------------------- the session


def _quorum(s: CouncilSession, rows) -> dict:
    voting = [r for r in rows if r["member"].votes]
    members = s.members_count or len(voting)
    present = sum(
        1
        for r in voting
        if r["attendance"]
        and r["attendance"].status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)
    )
    if s.state != SessionState.DRAFT and s.present_count is not None:
        present = s.present_count
    needed = services.quorum_needed(members, s.quorum_numerator, s.quorum_denominator)
    return {
        "members": members,
        "present": present,
        "needed": needed,
        "met": services.quorum_met(present, members, s.quorum_numerator, s.quorum_denominator),
    }


def _can_vote(user, s: CouncilSession) -> bool:
    if s.state != SessionState.OPEN:
        return False
    try:
        member, _substitute = services.principal_for(s, user)
    except (PermissionDenied, ValidationError):
        return False
    return not services.has_voted(s, member)


@login_required
def session(request, session_id):
    s = _session(request, session_id)
    user = request.user
    members = list(s.term.members.select_related("user", "unit").order_by("order", "id"))
    attendance = {
        a.member_id: a for a in Attendance.objects.filter(session=s).select_related("substitute")
    }
    voted = selectors.roll_members(s) if user.has_perm("council.progress", s) else set()
    rows = [
        {"member": m, "attendance": attendance.get(m.pk), "voted": m.pk in voted} for m in members
    ]
    can_run = user.has_perm("council.run_session", s)
    agenda = selectors.agenda(s)
    conflicts = []
    if agenda and user.has_perm("council.view_conflicts", s):
        by_item = {item.pk: item for _award, group in agenda for item in group}
        conflicts = [
            {"member": member, "item": by_item[item_id], "reason": reason}
            for item_id, found in selectors.conflicts(s).items()
            for member, reason in found
        ]
    moves = [
        {"name": name, "label": MOVE_LABELS[name]}
        for name, spec in services.MOVES.items()
        if s.state in spec.sources and user.has_perm(spec.perm, s)
    ]
    minutes_job = Job.objects.filter(pk=s.minutes_job_id).first() if s.minutes_job_id else None
    written_pending = [
        r["member"]
        for r in rows
        if r["attendance"] and r["attendance"].status == AttendanceStatus.WRITTEN and not r["voted"]
    ]
    context = {
        "s": s,
        "agenda": agenda,
        "rows": rows,
        "quorum": _quorum(s, rows),
        "moves": moves,
        "can_run": can_run,
        "can_edit_attendance": can_run and s.state in (SessionState.DRAFT, SessionState.OPEN),
        "can_build_agenda": can_run and s.state == SessionState.DRAFT,
        "can_vote": _can_vote(user, s),
        "can_progress": user.has_perm("council.progress", s),
        "can_enter_written": user.has_perm("council.enter_written", s)
        and s.state == SessionState.OPEN,
        "written_pending": written_pending,
        "can_results": user.has_perm("council.results", s),
        "conflicts": conflicts,
        "minutes_job": minutes_job,
        "minutes_ready": bool(
            minutes_job and minutes_job.state == Job.State.SUCCESS and minutes_job.result_file
        ),
        "minutes_owner": bool(minutes_job and minutes_job.owner_id == user.pk),
        "attendance_choices": forms.AttendanceForm.base_fields["status"].choices,
        "substitute_form": forms.SubstituteForm(),
        "progress": selectors.progress(s) if user.has_perm("council.progress", s) else None,
    }
    return render(request, "council/session.html", context)


@login_required
@require_POST
def move(request, session_id):
    s = _session(request, session_id)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect("council:session", session_id=s.pk)
    d = form.cleaned_data
    try:
        services.transition(request.user, s, d["move"], version=d["version"])
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": MOVE_LABELS[d["move"]]})
    return redirect("council:session", session_id=s.pk)


@login_required
@require_POST
def attendance(request, session_id):
    s = _session(request, session_id)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose present, absent with a written opinion, or absent."))
        return redirect("council:session", session_id=s.pk)
    member = CouncilMember.objects.filter(pk=form.cleaned_data["member"]).first()
    if member is None:
        messages.error(request, _("This person is not a member of the session's council term."))
        return redirect("council:session", session_id=s.pk)
    try:
        services.set_attendance(request.user, s, member, form.cleaned_data["status"])
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Attendance recorded for %(name)s.") % {"name": member.name})
    return redirect("council:session", session_id=s.pk)


@login_required
@require_POST
def substitute(request, session_id):
    """A substitute authorised in writing votes in a member's place for this session."""
    from django.contrib.auth import get_user_model

    s = _session(request, session_id)
    form = forms.SubstituteForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("council:session", session_id=s.pk)
    d = form.cleaned_data
    member = CouncilMember.objects.filter(pk=d["member"]).select_related("user").first()
    account = get_user_model().objects.filter(username=d["username"].strip()).first()
    if member is None:
        messages.error(request, _("This person is not a member of the session's council term."))
    elif account is None:
        messages.error(request, _("No account has this username."))
    else:
        try:
            services.authorise_substitute(
                request.user, s, member, substitute=account, authorisation=d["authorisation"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _flash(request, exc)
        else:
            messages.success(
                request,
                _("%(sub)s votes in the place of %(name)s in this session.")
                % {"sub": account.get_full_name() or account.username, "name": member.name},
            )
    return redirect("council:session", session_id=s.pk)


@login_required
@require_POST
def build_agenda(request, session_id):
    s = _session(request, session_id)
    try:
        result = services.build_agenda(request.user, s)
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(
            request,
            _("%(n)s nominations added to the agenda.") % {"n": len(result.added)},
        )
        for _pk, reason in result.refused.items():
            messages.error(request, reason)
    return redirect("council:session", session_id=s.pk)


@login_required
@never_cache
def progress(request, session_id):
    """The fragment the chair's and the secretary's page polls: x of y cast, never what."""
    s = _session(request, session_id, "council.progress")
    return render(request, "council/_progress.html", {"s": s, "progress": selectors.progress(s)})


# --------------------------------------------------------------------------- the ballot


@login_required
@never_cache
def ballot(request, session_id):
    """The member's ballot, in three steps on one URL: fill in (every item starts at
    approve), review (``step=review``), cast (``step=cast``: the receipt is shown once in
    the answer and never again)."""
    s = _session(request, session_id, perm=None)
    refusal = None
    member = None
    try:
        if s.state == SessionState.DRAFT:
            raise ValidationError(_("Voting has not opened yet."))
        if s.state != SessionState.OPEN:
            raise ValidationError(_("Voting is closed: no more ballots are accepted."))
        member, by_substitute = services.principal_for(s, request.user)
        if services.has_voted(s, member):
            raise ValidationError(
                _(
                    "A ballot has already been cast for this member in this session; a cast "
                    "ballot cannot be changed."
                )
            )
    except (ValidationError, PermissionDenied) as exc:
        refusal = _refusal(exc)
    if refusal:
        return render(request, "council/ballot.html", {"s": s, "refusal": refusal})
    data = selectors.ballot_for(s, member)
    items = [item for _award, group in data["agenda"] for item in group]
    form = forms.BallotForm(
        request.POST or None, items=items, recused=data["recused"], allow_recusal=not by_substitute
    )
    context = {
        "s": s,
        "form": form,
        "groups": _groups(data["agenda"], form),
        "recused": data["recused"],
        "by_substitute": by_substitute,
        "principal": member,
    }
    if request.method != "POST":
        return render(request, "council/ballot.html", context)
    step = request.POST.get("step")
    if not form.is_valid():
        return render(request, "council/ballot.html", context)
    if step == "review":
        context["review"] = _review_rows(form)
        return render(request, "council/ballot_review.html", context)
    if step != "cast":
        return render(request, "council/ballot.html", context)
    choices = form.choices()
    try:
        receipt = services.cast(request.user, s, choices, recuse=form.new_recusals())
    except (ValidationError, PermissionDenied) as exc:
        for msg in _refusal(exc):
            messages.error(request, msg)
        context["review"] = _review_rows(form)
        return render(request, "council/ballot_review.html", context)
    response = render(request, "council/receipt.html", {"s": s, "receipt": receipt})
    response["Cache-Control"] = "no-store"
    return response


def _groups(agenda, form) -> list:
    """[(award type, [(item, bound field or None when recused)])] for the ballot forms."""
    fields = dict(form.rows())
    return [(award, [(item, fields[item]) for item in items]) for award, items in agenda]


def _review_rows(form) -> list[dict]:
    labels = {**dict(Choice.choices), forms.RECUSE: _("Recuse (conflict of interest)")}
    by_pk = {i.pk: i for i in form.items}
    return [
        {"item": by_pk[item_id], "choice": choice, "label": labels.get(choice, choice)}
        for item_id, choice in form.choices().items()
    ]


@login_required
def written(request, session_id, member_id):
    """The secretary enters an absent member's written opinion (marked written)."""
    s = _session(request, session_id, "council.enter_written")
    member = (
        CouncilMember.objects.filter(pk=member_id, term_id=s.term_id).select_related("user").first()
    )
    if member is None:
        raise Http404
    data = selectors.ballot_for(s, member)
    items = [item for _award, group in data["agenda"] for item in group]
    form = forms.BallotForm(
        request.POST or None, items=items, recused=data["recused"], allow_recusal=False
    )
    context = {"s": s, "form": form, "member": member, "groups": _groups(data["agenda"], form)}
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.enter_written_opinion(request.user, s, member, form.choices())
        except (ValidationError, PermissionDenied) as exc:
            for msg in _refusal(exc):
                messages.error(request, msg)
        else:
            messages.success(
                request,
                _("The written opinion of %(name)s is recorded; receipt %(receipt)s.")
                % {"name": member.name, "receipt": receipt},
            )
            return redirect("council:session", session_id=s.pk)
    return render(request, "council/written.html", context)


# --------------------------------------------------------------------------- results


@login_required
def results(request, session_id):
    """Per item: approvals / members / percentage / threshold / result; then each ballot's
    receipt code with its choices, so every member can check theirs was counted as cast."""
    s = _session(request, session_id, "council.results")
    data = selectors.results(s)
    for row in data["items"]:
        row["threshold_pct"] = format(
            (Decimal(row["threshold"]) * 100).quantize(Decimal("0.1")).normalize(), "f"
        )
    items = [row["item"] for row in data["items"]]
    receipts = [
        {
            "receipt": r["receipt"],
            "written": r["written"],
            "choices": [r["choices"].get(i.pk, "") for i in items],
        }
        for r in data["receipts"]
    ]
    tied = [i for i in items if i.tied and i.casting is None]
    can_settle = (
        bool(tied)
        and request.user.has_perm("council.casting", s)
        and (s.state == SessionState.CLOSED)
    )
    return render(
        request,
        "council/results.html",
        {
            "s": s,
            "rows": data["items"],
            "items": items,
            "receipts": receipts,
            "tied": tied,
            "can_settle": can_settle,
        },
    )


@login_required
@require_POST
def settle_tie(request, session_id):
    s = _session(request, session_id, "council.results")
    tied = [i for i in s.items.select_related("nomination__person", "nomination__unit") if i.tied]
    form = forms.TieForm(request.POST, tied=tied)
    if not form.is_valid():
        messages.error(request, _("Choose only among the tied items."))
        return redirect("council:results", session_id=s.pk)
    try:
        services.settle_tie(request.user, s, form.cleaned_data["items"])
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("The chair's decision on the tie is recorded."))
    return redirect("council:results", session_id=s.pk)


@login_required
def minutes(request, session_id):
    """The minutes PDF rendered when the session closed (for anyone who may see the
    session; the job page itself stays its owner's)."""
    s = _session(request, session_id)
    job = Job.objects.filter(pk=s.minutes_job_id).first() if s.minutes_job_id else None
    if job is None or job.state != Job.State.SUCCESS or not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=f"bien-ban-hoi-dong-{s.pk}.pdf",
        content_type="application/pdf",
    )
