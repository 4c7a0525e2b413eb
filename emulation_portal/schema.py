"""The API schema's generator: drf-spectacular's, with the portal's one pagination rule."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    """A list that belongs to one object (a nomination's comments or files, a session's
    ballots) is answered whole by its detail action, never paginated: only the top-level
    ``list`` endpoints page. drf-spectacular would document every many=True response of a
    view with a paginator as paginated, so the schema promised pages these actions never
    send."""

    def _get_paginator(self):
        if getattr(self.view, "detail", False):
            return None
        return super()._get_paginator()
