"""A database still busy after its timeout answers 503 "busy, try again", never 500.

SQLite waits for a lock up to its busy timeout (settings: ``SQLITE_OPTIONS``) and takes
the write lock when a transaction begins, so concurrent writes queue instead of failing;
this module covers what still fails after the wait, a write queued behind a long import.
The page is the site's (Vietnamese by default) and JSON under ``/api/``. The transaction
that met the lock rolled back; one that committed before it in the same request (the
session saved last, after the view's own) stays, hence the page's advice to check.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10

_SQLITE_BUSY = ("database is locked", "database table is locked")
_POSTGRES_LOCK_NOT_AVAILABLE = "55P03"


def is_busy(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the database is held by another writer (and nothing else)."""
    if not isinstance(exc, OperationalError):
        return False
    if any(text in str(exc) for text in _SQLITE_BUSY):
        return True
    return getattr(exc.__cause__, "pgcode", None) == _POSTGRES_LOCK_NOT_AVAILABLE


def busy_response(request) -> HttpResponse:
    message = _("The system is busy. Please try again in a moment.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # Rendered without the request, as the 500 page is: its context processors would
        # go back to the database that is busy.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class BusyDatabaseMiddleware:
    """First in ``MIDDLEWARE``: a busy database in a view (``process_exception``) or in
    another middleware, such as the session saved on the way out (the exception Django
    turned into a 500, marked by ``_mark_busy``), answers 503 instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_database_busy", False):
            return busy_response(request)
        return response

    def process_exception(self, request, exception):
        if is_busy(exception):
            logger.warning("database busy: %s %s: %s", request.method, request.path, exception)
            return busy_response(request)
        return None


def _mark_busy(sender, request=None, **kwargs):
    # Sent while Django handles the exception, before it renders the 500 response.
    if request is not None and is_busy(sys.exc_info()[1]):
        request._database_busy = True


got_request_exception.connect(_mark_busy, dispatch_uid="emulation_portal.busy")
