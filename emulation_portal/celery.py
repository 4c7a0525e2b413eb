"""The Celery application. Configuration lives in settings under the ``CELERY_`` prefix."""

import os

from celery import Celery, Task
from celery.exceptions import Ignore

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation_portal.settings")


class PortalTask(Task):
    """Every task: a task sent from the outbox runs once per outbox row, even if a sender
    that died between publishing and marking the row sent made a sweep publish it again."""

    def before_start(self, task_id, args, kwargs):
        from emulation_portal import outbox  # needs the app registry, ready by now

        pk = outbox.message_pk(task_id)
        # A retry (same row, later attempt) is the same run going on, not a duplicate. A
        # late-acknowledged task is idempotent by the project's rule (settings: only those
        # opt in) and is delivered again after its worker was killed: that delivery must
        # run, or the work is lost (the row was stamped by the run that died).
        started = outbox.mark_started(pk) if pk is not None else True
        if pk is not None and not self.request.retries and not self.acks_late and not started:
            raise Ignore(f"outbox row {pk} was already started by a worker")


app = Celery("emulation_portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
