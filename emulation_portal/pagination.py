"""The API's pagination: page numbers, and for national tables a count that stops at a cap."""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

DEFAULT_COUNT_CAP = 10_000


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class _CappedPage(Page):
    """A page that knows from one extra row whether another page follows, so it needs no
    total."""

    def __init__(self, object_list, number, paginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class CappedPaginator(DjangoPaginator):
    """Counts at most ``cap + 1`` rows (``SELECT COUNT(*) FROM (SELECT ... LIMIT cap+1)``):
    past the cap the count is the cap and ``capped`` is true. Pages past the cap are still
    served, as long as they hold rows."""

    def __init__(self, object_list, per_page, *, cap: int, **kw):
        super().__init__(object_list, per_page, **kw)
        self.cap = cap

    @cached_property
    def count(self):
        # A sliced queryset's count() is a COUNT(*) over a LIMITed subquery, so the database
        # stops reading at cap + 1 rows instead of walking a national table; unordered, or
        # it would sort every matching row to pick the first cap + 1.
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()
        counted = rows[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

    def validate_number(self, number):
        number = self.validate_number_type_and_range(number)
        self.count  # noqa: B018 - sets ``capped``
        if not self.capped and number > self.num_pages and number != 1:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def validate_number_type_and_range(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return _CappedPage(rows, number, self, more)


class CappedCountPagination(Pagination):
    """For lists over national tables (people, their yearly ratings, units' ratings), where
    an exact ``COUNT(*)`` costs more than the page: ``count`` stops at
    ``settings.API_COUNT_CAP`` and ``count_capped`` says it did (the true total is larger).
    ``next`` comes from one extra row, so it is exact either way."""

    def get_count_cap(self) -> int:
        return int(getattr(settings, "API_COUNT_CAP", DEFAULT_COUNT_CAP))

    def django_paginator_class(self, object_list, per_page, **kw):
        return CappedPaginator(object_list, per_page, cap=self.get_count_cap(), **kw)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.page.paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            "Rows matched, up to the cap; with count_capped true, at least this many."
        )
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_capped": {
                "type": "boolean",
                "example": False,
                "description": "True when the count stopped at the cap.",
            },
            **{k: v for k, v in response["properties"].items() if k != "count"},
        }
        response["required"] = [*response.get("required", []), "count_capped"]
        return response
