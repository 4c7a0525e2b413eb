"""Portal pages: home, health, jobs, audit log."""

import logging
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from emulation_portal import services, tasks
from emulation_portal.forms import AuditExportForm
from emulation_portal.jobs import fail_overdue, result_page, start_job, waiting_for_service
from emulation_portal.models import AuditEvent, Job

log = logging.getLogger(__name__)


@login_required
def home(request):
    """The user's things to do (``emulation_portal.home``), then the way into each page."""
    from emulation_portal.home import tasks_for

    return render(
        request, "portal/home.html", {"tasks": tasks_for(request), "today": timezone.localdate()}
    )


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_broker() -> str:
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from emulation_portal.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
def healthz(request):
    """200 with each dependency's state, 503 when one is down. No login: for monitors."""
    status, checks = 200, {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure of a dependency means "down"
            checks[name] = f"down: {type(exc).__name__}"
            status = 503
    if checks.get("broker") == "ok":
        _sweep_outbox()
    return JsonResponse({"status": "ok" if status == 200 else "down", **checks}, status=status)


def _sweep_outbox() -> None:
    """The broker answers: send a few jobs that waited for it (a monitor polls this page,
    so work left while the broker was down goes out even without a sweeper process)."""
    from emulation_portal import outbox

    try:
        outbox.sweep(limit=outbox.OPPORTUNISTIC_BATCH)
    except Exception:  # the health answer must not depend on the sweep
        log.exception("opportunistic outbox sweep failed")


def _job_context(job: Job) -> dict:
    return {"job": job, "result_page": result_page(job), "waiting": waiting_for_service(job)}


def _own_job(request, pk) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if job.owner_id != request.user.pk and not request.user.has_perm("portal.view_audit"):
        raise Http404
    return fail_overdue(job)


MY_JOBS_PAGE_SIZE = 25


@login_required
def my_jobs(request):
    """ "My jobs": the user's own jobs, newest first, with state, progress and download."""
    jobs = Job.objects.filter(owner=request.user).order_by("-created_at", "-pk")
    page = Paginator(jobs, MY_JOBS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/my_jobs.html", {"page": page})


@login_required
def job_detail(request, pk):
    job = _own_job(request, pk)
    return render(request, "portal/job_detail.html", _job_context(job))


@login_required
@never_cache
def job_status(request, pk):
    """The htmx fragment a job page polls until the job has finished."""
    job = _own_job(request, pk)
    return render(request, "portal/_job_status.html", _job_context(job))


@login_required
def job_download(request, pk):
    job = _own_job(request, pk)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=job.result_file.name.split("/")[-1]
    )


@login_required
def api_token(request):
    """Show the user's API token; POST issues a new one (the old one stops working)."""
    from rest_framework.authtoken.models import Token

    if request.method == "POST":
        services.rotate_api_token(request.user)
        messages.success(request, _("A new API token has been issued."))
        return redirect("api-token")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "portal/api_token.html", {"token": token})


@permission_required("portal.view_audit", raise_exception=True)
def audit_log(request):
    events = AuditEvent.objects.select_related("actor").order_by("-seq")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    today = timezone.localdate()
    form = AuditExportForm(initial={"start": today - timedelta(days=30), "end": today})
    return render(
        request,
        "portal/audit_log.html",
        {"events": events[:200], "form": form, "action": action},
    )


@require_POST
@login_required
def audit_export(request):
    if not request.user.has_perm("portal.export_audit"):
        raise PermissionDenied
    form = AuditExportForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error.as_text())
        return redirect("audit-log")
    params = {k: v.isoformat() for k, v in form.cleaned_data.items()}
    job = start_job(request.user, "audit_pdf", tasks.export_audit_pdf, params)
    messages.info(request, _("The extract is being prepared."))
    return redirect("job-detail", pk=job.pk)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links. The static URL is resolved per
    request, not at import: in production it comes from collectstatic's manifest, which
    does not exist yet when ``manage.py check`` or ``collectstatic`` itself imports the URLs."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("favicon.ico"))
