"""Starting background work after commit, and reporting its progress on a Job row."""

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


def start_job(owner, kind: str, task, params: dict | None = None) -> Job:
    """Create a Job for ``owner`` and enqueue ``task(job_id)`` after commit."""
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


def run_job(job_id: int, work: Callable[[Job, JobReporter], tuple[str, bytes] | None]) -> str:
    """Run ``work`` for the job once: claims it (pending -> running) by a conditional UPDATE,
    so a redelivered task does not run finished work twice. ``work`` may return
    ``(filename, content)`` which becomes the job's result file. Returns the final state."""
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
            message=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        log.debug("%s", traceback.format_exc())
        raise
    job.refresh_from_db()
    if result is not None:
        filename, content = result
        job.result_file.save(filename, ContentFile(content), save=False)
    job.state = Job.State.SUCCESS
    job.finished_at = timezone.now()
    job.done = max(job.done, job.total)
    job.save(update_fields=["result_file", "state", "finished_at", "done"])
    return job.state
