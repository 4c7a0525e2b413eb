"""The API's exception handler: a service's Django ``ValidationError`` is a 400.

Services raise Django's ``ValidationError`` (the pages show it in their forms); DRF only
knows its own. Converting here, once, means no viewset needs a wrapper around ``create``,
``update`` or ``destroy`` to get a 400, so a viewset defines exactly the actions it has
and the router exposes nothing more.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler


def as_drf(exc: DjangoValidationError) -> ValidationError:
    """The same messages, by field when the service named fields."""
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return ValidationError({"non_field_errors": exc.messages})


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = as_drf(exc)
    return drf_exception_handler(exc, context)
