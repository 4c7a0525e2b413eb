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
        # A retry (same row, later attempt) is the same run going on, not a duplicate.
        if pk is not None and not self.request.retries and not outbox.mark_started(pk):
            raise Ignore(f"outbox row {pk} was already started by a worker")


app = Celery("emulation_portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
