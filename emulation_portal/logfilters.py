"""Logging filters for the server log."""

import logging

# Answers a working portal gives every day: the refusal itself is the expected outcome.
EXPECTED_STATUSES = frozenset({403, 404, 405})


class ExpectedRefusalFilter(logging.Filter):
    """Keep an expected refusal (403, 404, 405) to its one line: drops the traceback Django
    attaches to a ``PermissionDenied`` or ``Http404``, so the log shows real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status in EXPECTED_STATUSES and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
