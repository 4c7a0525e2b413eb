"""The API schema's generator: drf-spectacular's, with the portal's one pagination rule."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer
from rest_framework.generics import GenericAPIView


class AutoSchema(SpectacularAutoSchema):
    """Documents responses as they are answered.

    A list that belongs to one object (a nomination's comments or files, a session's
    ballots) is answered whole by its detail action, never paginated: only the top-level
    ``list`` endpoints page. drf-spectacular would document every many=True response of a
    view with a paginator as paginated, so the schema promised pages these actions never
    send.

    A plain ``ViewSet``'s ``list`` (no queryset: eligibility, yearly figures) answers what
    its ``extend_schema`` declares: one object unless the declared serializer is many=True.
    drf-spectacular makes every ``list`` action an array."""

    def _is_list_view(self, serializer=None):
        if getattr(self.view, "action", None) == "list" and not isinstance(
            self.view, GenericAPIView
        ):
            declared = self.get_response_serializers() if serializer is None else serializer
            if isinstance(declared, dict) and declared:
                declared = declared[min(declared, key=str)]
            return is_list_serializer(declared)
        return super()._is_list_view(serializer)

    def _get_paginator(self):
        if getattr(self.view, "detail", False):
            return None
        return super()._get_paginator()
