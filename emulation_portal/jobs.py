"""Starting background work after commit, and reporting its progress on a Job row."""

import datetime as dt
import logging
import traceback
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from emulation_portal import outbox
from emulation_portal.celery import app as celery_app
from emulation_portal.models import Job

log = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> None:
    """Have ``task(*args, **kwargs)`` sent once the current transaction commits (never for
    rolled-back work). Tasks take ids, never model instances.

    With a broker, writes an outbox row in the transaction and tries to send it after commit
    without waiting on a broker that is down (the row then waits for a sweep, see
    ``outbox``). Without one (eager mode) the task runs in-process after commit.
    """
    _enqueue(task, args, kwargs)


def _enqueue(task, args, kwargs, job: Job | None = None) -> None:
    if celery_app.conf.task_always_eager:
        transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
        return
    message = outbox.add(task.name, args, kwargs, job=job)
    transaction.on_commit(lambda: outbox.dispatch(message.pk))


def waiting_for_service(job: Job) -> bool:
    """True while the job has not started because its task could not reach the broker."""
    return (
        job.state == Job.State.PENDING
        and job.outbox_messages.filter(sent_at__isnull=True).exclude(last_error="").exists()
    )


# Jobs whose outcome is a page of its own (e.g. an import preview): kind -> (URL name taking
# the job id, button label). Apps register at start-up; the job page links there on success.
_RESULT_PAGES: dict[str, tuple[str, str]] = {}


def register_result_page(kind: str, url_name: str, label) -> None:
    _RESULT_PAGES[kind] = (url_name, label)


def result_page(job: Job) -> tuple[str, str] | None:
    """(URL, label) of the page that shows ``job``'s outcome, once it has succeeded."""
    entry = _RESULT_PAGES.get(job.kind)
    if entry is None or job.state != Job.State.SUCCESS:
        return None
    return reverse(entry[0], args=[job.pk]), entry[1]


# What each kind of job is called on the pages (a lazy translation), by kind. Apps register
# their kinds at start-up; an unregistered kind still shows as a plain "Job".
_KIND_LABELS: dict[str, object] = {}


def register_kind(kind: str, label) -> None:
    _KIND_LABELS[kind] = label


def kind_label(kind: str):
    """The user's name for a job ``kind`` (never the raw code on a page)."""
    from django.utils.translation import gettext_lazy as _

    return _KIND_LABELS.get(kind) or _("Job")


def start_job(owner, kind: str, task, params: dict | None = None) -> Job:
    """Create a Job for ``owner`` and enqueue ``task(job_id)`` after commit (the job and
    its outbox row are written together, or neither)."""
    with transaction.atomic():
        job = Job.objects.create(owner=owner, kind=kind, params=params or {})
        _enqueue(task, (job.pk,), {}, job=job)
    return job


class JobReporter:
    """Handed to the work function: reports progress with conditional UPDATEs."""

    def __init__(self, job: Job):
        self.job = job

    def progress(self, done: int, total: int | None = None, message: str | None = None):
        fields = {"done": done}
        if total is not None:
            fields["total"] = total
        if message is not None:
            fields["message"] = message
        Job.objects.filter(pk=self.job.pk, state=Job.State.RUNNING).update(**fields)


def failure_message(job_id: int, exc: BaseException) -> str:
    """What the user reads when a job dies: the refusal itself for a ``ValidationError``,
    a plain sentence for a lost race, a time limit or a busy database, otherwise a
    reference to the server log (never a traceback or an exception's repr)."""
    from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, OperationalError
    from django.utils.translation import gettext as _

    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, IntegrityError):
        return _(
            "Another change to the same records was saved first; nothing was written. Run it again."
        )
    if isinstance(exc, SoftTimeLimitExceeded | TimeLimitExceeded):
        return _("The job ran longer than its time limit and was stopped. Try a smaller file.")
    if isinstance(exc, OperationalError):
        return _("The database was busy; nothing was written. Run it again in a moment.")
    return _(
        "The job stopped because of an unexpected error; the details are in the server "
        "log (job %(id)s)."
    ) % {"id": job_id}


def fail_overdue(job: Job) -> Job:
    """Mark ``job`` failed if it is still pending or running past the hard time limit of
    a task (the worker that ran it was killed, so nothing else will): a conditional
    UPDATE, so a job that has just finished keeps its outcome. Returns the job, fresh."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    limit = getattr(settings, "CELERY_TASK_TIME_LIMIT", None)
    if not limit or job.state != Job.State.RUNNING or job.started_at is None:
        return job
    overdue = timezone.now() - dt.timedelta(seconds=limit + 60)
    if job.started_at < overdue:
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, started_at__lt=overdue).update(
            state=Job.State.FAILURE,
            message=_(
                "The job ran longer than its time limit and was stopped. Try a smaller file."
            ),
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
    return job


def run_job(job_id: int, work: Callable[[Job, JobReporter], tuple[str, bytes] | None]) -> str:
    """Run ``work`` for the job once: claims it (pending -> running) by a conditional UPDATE,
    so a redelivered task does not run finished work twice. ``work`` may return
    ``(filename, content)`` which becomes the job's result file. If ``work`` raises, the
    job ends as failed with :func:`failure_message`. Returns the final state."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.PENDING).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job.state
    try:
        result = work(job, JobReporter(job))
    except Exception as exc:  # the user must see that the job failed, whatever the cause
        log.exception("job %s (%s) failed", job_id, job.kind)
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILURE,
            message=failure_message(job_id, exc)[:2000],
            finished_at=timezone.now(),
        )
        log.debug("%s", traceback.format_exc())
        # Not re-raised: the Job row is the outcome the user sees; re-raising would only
        # turn an eager run (no broker) into a 500 for the request that started it.
        return Job.State.FAILURE
    job.refresh_from_db()
    if result is not None:
        filename, content = result
        job.result_file.save(filename, ContentFile(content), save=False)
    job.state = Job.State.SUCCESS
    job.finished_at = timezone.now()
    job.done = max(job.done, job.total)
    job.save(update_fields=["result_file", "state", "finished_at", "done"])
    return job.state
