"""Nominations pages: the queue (office and unit), a nomination's dossier beside its
verdict, editing with optimistic locking, uploads and downloads, transitions, batches,
disclosure and objections. Every write calls a service; refusals come back as messages or
form errors and the user's input stays on the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards.models import (
    Attachment,
    AwardType,
    Batch,
    Disclosure,
    Nomination,
    NominationState,
    Objection,
    Section,
)
from awards.nominations import forms, queue_page, selectors, services
from awards.nominations.services import MOVE_LABELS, MOVES
from units.models import Bloc
from units.selectors import visible_people, visible_units


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _flash(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for msg in _errors(exc):
            messages.error(request, msg)
    else:  # the service's reason when it gave one (e.g. separation of duties)
        messages.error(request, str(exc) or _("You are not allowed to do this."))


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, exc)


def _nomination(request, pk, perm="nominations.view") -> Nomination:
    try:
        n = selectors.detail(pk)
    except Nomination.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm(perm, n):
        raise PermissionDenied
    return n


def _units_for(user):
    return visible_units(user).order_by("path")


# --------------------------------------------------------------------------- queue


@login_required
def queue(request):
    """The queue: the office sees every nomination, a unit officer their units'. Filters
    in the query string; bulk start-review and accept by POST."""
    user = request.user
    if not user.has_perm("nominations.create"):
        raise PermissionDenied
    if request.method == "POST":
        move = request.POST.get("move")
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:500]
        if move not in ("start_review", "accept"):
            messages.error(request, _("Choose an action."))
        elif not ids:
            messages.error(request, _("Select at least one nomination."))
        else:
            rows = list(selectors.reviewable(user).filter(pk__in=ids))
            result = services.bulk_transition(user, rows, move)
            skipped = len(set(ids)) - len(rows)
            if skipped:
                messages.error(
                    request,
                    _(
                        "%(n)s selected nomination(s) are not yours to review: you proposed "
                        "them, or they are reviewed elsewhere."
                    )
                    % {"n": skipped},
                )
            if result.done:
                messages.success(request, _("%(n)s nomination(s) done.") % {"n": len(result.done)})
            for pk, reason in result.refused.items():
                messages.error(request, f"#{pk}: {reason}")
        return redirect(request.get_full_path())
    ids = selectors.queue(user, request.GET).values_list("pk", flat=True)
    page = Paginator(ids, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    today = timezone.localdate()
    rows = queue_page.decorate(selectors.rows_for(page.object_list), today)
    can_bulk = user.has_perm("nominations.override") or bool(selectors.reviewable(user).exists())
    filters = {k: request.GET.get(k, "") for k in selectors.FILTERS}
    context = {
        "page": page,
        "rows": rows,
        "today": today,
        "filters": filters,
        "querystring": params.urlencode(),
        "options": queue_page.filter_options(user, filters),
        "can_bulk": can_bulk,
        # the user's own proposals get no checkbox: they may not review them
        "proposed": selectors.proposed_by(user, [n.pk for n in rows]) if can_bulk else set(),
        "can_propose": user.has_perm("nominations.from_proposals"),
    }
    return render(request, "awards/nominations/queue.html", context)


# --------------------------------------------------------------------------- create / edit


def _create_initial(request, units) -> dict:
    """The form filled in from ``?person=|unit=&award=&year=`` (the eligibility list's
    and the person page's "Propose"); the proposing unit is the nominee's unit when the
    user may propose for it."""
    q = request.GET
    initial: dict = {}
    person_code, unit_code = q.get("person", "").strip(), q.get("unit", "").strip()
    nominee_unit = None
    if person_code:
        initial["person_code"] = person_code[:200]
        person = visible_people(request.user).filter(code=person_code).first()
        nominee_unit = person.unit_id if person else None
    elif unit_code:
        initial["unit_code"] = unit_code[:40]
        nominee_unit = units.filter(code=unit_code).values_list("pk", flat=True).first()
    award = AwardType.objects.filter(code=q.get("award", ""), is_active=True).first()
    if award:
        initial["award_type"] = award.pk
    year = q.get("year", "")
    if year.isdigit() and 2000 <= int(year) <= 2100:
        initial["year"] = int(year)
    if nominee_unit and units.filter(pk=nominee_unit).exists():
        initial["proposing_unit"] = nominee_unit
    return initial


@login_required
def create(request):
    if not request.user.has_perm("nominations.create"):
        raise PermissionDenied
    units = _units_for(request.user)
    form = forms.NominationCreateForm(
        request.POST or None,
        units=units,
        people=visible_people(request.user),
        initial=None if request.method == "POST" else _create_initial(request, units),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            n = services.create_nomination(
                request.user,
                award_type=d["award_type"],
                year=d["year"],
                proposing_unit=d["proposing_unit"],
                person=d["person"],
                unit=d["unit"],
                kind=d["kind"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You are not allowed to do this."))
        else:
            messages.success(request, _("Draft created. Fill in the dossier."))
            return redirect("nominations:edit", pk=n.pk)
    return render(
        request,
        "awards/nominations/form.html",
        {"form": form, "title": _("New nomination"), "multipart": False},
    )


@login_required
def edit(request, pk):
    n = _nomination(request, pk, "nominations.edit")
    form = forms.DossierForm(request.POST or None, instance=n)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("version")
        try:
            services.update_dossier(request.user, n, version=version, **d)
        except ValidationError as exc:
            _form_error(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You are not allowed to do this."))
        else:
            messages.success(request, _("Dossier saved."))
            return redirect("nominations:detail", pk=n.pk)
    return render(
        request,
        "awards/nominations/form.html",
        {"form": form, "title": _("Dossier: %(n)s") % {"n": n}, "nomination": n},
    )


# --------------------------------------------------------------------------- detail


@login_required
def detail(request, pk):
    n = _nomination(request, pk)
    user = request.user
    moves = [
        {"name": name, "label": MOVE_LABELS[name]}
        for name, spec in MOVES.items()
        if n.state in spec.sources
        and spec.perm != "nominations.council"
        and user.has_perm(spec.perm, n)
    ]
    attachments = list(n.attachments.all())
    batch_files = list(n.batch.attachments.all()) if n.batch_id else []
    today = timezone.localdate()
    context = {
        "n": n,
        "moves": moves,
        "attachments": attachments,
        "batch_files": batch_files,
        "comments": list(n.comments.all()),
        "objections": list(n.objections.all()),
        "reasons": services.verdict_reasons(
            n.verdict,
            discipline=not n.person_id or user.has_perm("units.read_discipline", n.person),
        ),
        "problems": services.dossier_problems(n) if n.is_editable else [],
        "deadline": services.deadline_for(n),
        "can_edit": user.has_perm("nominations.edit", n),
        "can_review": user.has_perm("nominations.review", n),
        "can_override": user.has_perm("nominations.override", n),
        "can_object": user.has_perm("nominations.object", n)
        and n.disclosures.filter(starts_on__lte=today, ends_on__gte=today).exists(),
        "can_answer": user.has_perm("nominations.answer_objection", n),
        "can_reopen": user.has_perm("nominations.reopen_deadline") and n.campaign_id,
        "upload_form": forms.UploadForm(initial={"version": n.version}),
        "comment_form": forms.CommentForm(),
        "override_form": forms.OverrideForm(),
        "objection_form": forms.ObjectionForm(),
        "deadline_form": forms.DeadlineForm(),
        "sections": Section.choices,
    }
    return render(request, "awards/nominations/detail.html", context)


@login_required
@require_POST
def move(request, pk):
    n = _nomination(request, pk)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect("nominations:detail", pk=pk)
    d = form.cleaned_data
    comments = [(d["section"] or "general", d["comment"])] if d.get("comment") else None
    try:
        services.transition(request.user, n, d["move"], version=d.get("version"), comments=comments)
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": MOVE_LABELS.get(d["move"])})
    return redirect("nominations:detail", pk=pk)


def _post_action(request, pk, form_class, call, ok_message, perm="nominations.view"):
    n = _nomination(request, pk, perm)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("nominations:detail", pk=pk)
    try:
        call(n, form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, ok_message)
    return redirect("nominations:detail", pk=pk)


@login_required
@require_POST
def comment(request, pk):
    return _post_action(
        request,
        pk,
        forms.CommentForm,
        lambda n, d: services.add_comment(request.user, n, section=d["section"], text=d["text"]),
        _("Comment added."),
    )


@login_required
@require_POST
def upload(request, pk):
    return _post_action(
        request,
        pk,
        forms.UploadForm,
        lambda n, d: services.add_attachment(
            request.user, n, d["file"], kind=d["kind"], version=d.get("version")
        ),
        _("File attached."),
    )


@login_required
@require_POST
def check(request, pk):
    return _post_action(
        request,
        pk,
        forms.EmptyForm,
        lambda n, d: services.record_verdict(request.user, n),
        _("Eligibility checked and recorded."),
    )


@login_required
@require_POST
def override(request, pk):
    return _post_action(
        request,
        pk,
        forms.OverrideForm,
        lambda n, d: services.override_verdict(request.user, n, reason=d["reason"]),
        _("Override recorded."),
    )


@login_required
@require_POST
def object_to(request, pk):
    return _post_action(
        request,
        pk,
        forms.ObjectionForm,
        lambda n, d: services.raise_objection(request.user, n, text=d["text"]),
        _("Your objection was sent to the emulation office."),
    )


@login_required
@require_POST
def reopen(request, pk):
    return _post_action(
        request,
        pk,
        forms.DeadlineForm,
        lambda n, d: services.reopen_deadline(
            request.user,
            campaign=n.campaign,
            unit=n.proposing_unit,
            closes_on=d["closes_on"],
            reason=d["reason"],
        ),
        _("Deadline reopened for the unit."),
    )


@login_required
@require_POST
def answer(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("nomination"), pk=pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_objection(request.user, objection, answer=form.cleaned_data["answer"])
        except (ValidationError, PermissionDenied) as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Answer recorded."))
    else:
        messages.error(request, _("Write the answer."))
    return redirect("nominations:detail", pk=objection.nomination_id)


# --------------------------------------------------------------------------- files


def _may_read_attachment(user, att: Attachment) -> bool:
    if att.nomination_id:
        return user.has_perm("nominations.view", att.nomination)
    probe = Nomination(proposing_unit=att.batch.proposing_unit)
    return user.has_perm("nominations.submit", probe)


@login_required
def download(request, pk):
    """Serve a dossier file only to those who may read its nomination; never a public URL."""
    att = get_object_or_404(
        Attachment.objects.select_related("nomination__proposing_unit", "batch__proposing_unit"),
        pk=pk,
    )
    if not _may_read_attachment(request.user, att):
        raise Http404
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=att.original_name, content_type=att.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def delete_attachment(request, pk):
    att = get_object_or_404(Attachment.objects.select_related("nomination", "batch"), pk=pk)
    if not _may_read_attachment(request.user, att):
        raise Http404
    target = att.nomination_id
    batch = att.batch_id
    try:
        services.remove_attachment(request.user, att)
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("File removed."))
    if target:
        return redirect("nominations:detail", pk=target)
    return redirect("nominations:batch", pk=batch)


# --------------------------------------------------------------------------- batches


@login_required
def batch_create(request):
    if not request.user.has_perm("nominations.create"):
        raise PermissionDenied
    initial = None
    if request.method != "POST":
        # From the eligibility list: the award, the year and the people selected there.
        q = request.GET
        initial = {k: q[k] for k in ("award_type", "year") if q.get(k, "").isdigit()}
        people = [p for p in q.getlist("people") if p.isdigit()][:2000]
        if people:
            initial["people"] = ",".join(people)
    form = forms.BatchForm(request.POST or None, units=_units_for(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = services.build_batch(
                request.user,
                proposing_unit=d["proposing_unit"],
                award_type=d["award_type"],
                year=d["year"],
                title=d["title"],
                number=d["number"],
                person_ids=d["people"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You are not allowed to do this."))
        else:
            messages.success(
                request,
                _("%(n)s eligible people added; %(s)s already nominated were skipped.")
                % {"n": result.created, "s": result.skipped},
            )
            return redirect("nominations:batch", pk=result.batch.pk)
    return render(
        request,
        "awards/nominations/form.html",
        {
            "form": form,
            "title": _("New submission letter from the eligible list"),
            "intro": _(
                "The people selected on the eligibility list who are still eligible are "
                "added as drafts. Choose the proposing unit, then build the letter."
            )
            if form["people"].value()
            else _(
                "Every person of the unit (and its sub-units) the rules find eligible for the "
                "award is added as a draft. Remove those you do not propose, then submit."
            ),
        },
    )


@login_required
def batch_detail(request, pk):
    batch = get_object_or_404(Batch.objects.select_related("proposing_unit", "award_type"), pk=pk)
    probe = Nomination(proposing_unit=batch.proposing_unit)
    user = request.user
    if not user.has_perm("nominations.submit", probe):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "trim":
                ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
                rows = list(batch.nominations.filter(pk__in=ids))
                result = services.bulk_transition(user, rows, "withdraw")
                messages.success(
                    request, _("%(n)s removed from the list.") % {"n": len(result.done)}
                )
            elif action == "submit":
                result = services.submit_batch(user, batch)
                messages.success(request, _("%(n)s submitted.") % {"n": len(result.done)})
                for npk, reason in list(result.refused.items())[:20]:
                    messages.error(request, f"#{npk}: {reason}")
            elif action == "upload":
                form = forms.UploadForm(request.POST, request.FILES)
                if form.is_valid():
                    services.add_batch_attachment(
                        user, batch, form.cleaned_data["file"], kind=form.cleaned_data["kind"]
                    )
                    messages.success(request, _("File attached."))
                else:
                    for errors in form.errors.values():
                        for e in errors:
                            messages.error(request, e)
        except (ValidationError, PermissionDenied) as exc:
            _flash(request, exc)
        return redirect("nominations:batch", pk=pk)
    rows = batch.nominations.select_related("person", "person__unit", "award_type").order_by(
        "person__full_name"
    )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/nominations/batch.html",
        {
            "batch": batch,
            "page": page,
            "files": list(batch.attachments.all()),
            "upload_form": forms.UploadForm(),
            "live": batch.nominations.exclude(state__in=["withdrawn", "rejected"]).count(),
        },
    )


# --------------------------------------------------------------------------- disclosure


@login_required
def disclosure_list(request):
    if not request.user.has_perm("nominations.view_disclosures"):
        raise PermissionDenied
    can_publish = request.user.has_perm("nominations.disclose")
    form = forms.DisclosureForm(request.POST or None) if can_publish else None
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            rows = Nomination.objects.filter(
                year=d["year"],
                state__in=[NominationState.SUBMITTED, NominationState.UNDER_REVIEW],
                level="ministry",
            )
            if d["award"]:
                rows = rows.filter(award_type=d["award"])
            try:
                disclosure = services.publish_disclosure(
                    request.user,
                    title=d["title"],
                    year=d["year"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    nominations=list(rows),
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Disclosure published."))
                return redirect("nominations:disclosure", pk=disclosure.pk)
    ending = request.GET.get("ending") == "soon"
    disclosures = (selectors.ending_disclosures() if ending else Disclosure.objects.all()).order_by(
        "-starts_on", "-id"
    )[:50]
    return render(
        request,
        "awards/nominations/disclosures.html",
        {
            "disclosures": disclosures,
            "form": form,
            "today": timezone.localdate(),
            "ending": ending,
        },
    )


@login_required
def disclosure_detail(request, pk):
    if not request.user.has_perm("nominations.view_disclosures"):
        raise PermissionDenied
    disclosure = get_object_or_404(Disclosure, pk=pk)
    today = timezone.localdate()
    rows = disclosure.nominations.select_related(
        "person", "person__unit", "unit", "award_type", "proposing_unit"
    ).order_by("award_type__order", "id")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/nominations/disclosure.html",
        {
            "d": disclosure,
            "page": page,
            "is_open": disclosure.starts_on <= today <= disclosure.ends_on,
            "objection_form": forms.ObjectionForm(),
        },
    )


@login_required
@require_POST
def from_proposals(request):
    if not request.user.has_perm("nominations.from_proposals"):
        raise PermissionDenied
    form = forms.ProposalsForm(request.POST)
    if form.is_valid():
        bloc = get_object_or_404(Bloc, pk=form.cleaned_data["bloc"])
        try:
            result = services.nominations_from_proposals(
                request.user, bloc=bloc, year=form.cleaned_data["year"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _flash(request, exc)
        else:
            messages.success(
                request,
                _("%(n)s nomination(s) created from the bloc's proposals; %(s)s skipped.")
                % {"n": len(result.created), "s": result.skipped},
            )
    else:
        messages.error(request, _("Choose a bloc and a year."))
    return redirect("nominations:queue")
