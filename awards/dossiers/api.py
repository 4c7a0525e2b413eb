"""API: a nomination's papers (status and render, downloads through the page URLs) and the
bulk ZIP jobs (started here; their status and download at ``/api/v1/jobs/<id>/``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from awards.dossiers import selectors, tasks
from awards.dossiers.services import bulk, dossier
from awards.models import CouncilSession, Decision
from emulation_portal.permissions import RulesPermission


class PaperSerializer(serializers.Serializer):
    kind = serializers.CharField()
    ready = serializers.BooleanField()
    url = serializers.CharField()
    word_url = serializers.CharField(allow_null=True)
    size = serializers.IntegerField(allow_null=True)


class BulkJobSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    kind = serializers.CharField()
    status_url = serializers.CharField()


def _nomination(request, pk):
    try:
        return selectors.nomination_for(request.user, pk)
    except Http404 as exc:
        raise NotFound() from exc


# A plain ViewSet has no queryset to derive the path parameter's type from.
_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class DossierViewSet(viewsets.ViewSet):
    """``/api/v1/dossiers/<nomination id>/``: GET the papers' readiness for the current
    content (the dossier, the achievement report, the submission letter); POST asks the
    pdf worker to merge the dossier (202)."""

    permission_classes = [RulesPermission]
    # the nomination itself is checked by ``dossiers.view`` (404 when not visible)
    rules = {"retrieve": "nominations.browse", "render": "nominations.browse"}

    @extend_schema(request=None, responses=PaperSerializer(many=True), parameters=[_ID])
    def retrieve(self, request, pk=None):
        return self._papers(request, pk, render=False)

    @extend_schema(request=None, responses=PaperSerializer(many=True), parameters=[_ID])
    @action(detail=True, methods=["post"])
    def render(self, request, pk=None):
        return self._papers(request, pk, render=True)

    def _papers(self, request, pk, *, render: bool):
        n = _nomination(request, pk)
        with transaction.atomic():
            _n, doc = dossier.current(n.pk)
            if doc is None and render:
                from emulation_portal.jobs import enqueue

                enqueue(tasks.render_dossier, n.pk)
        out = [
            {
                "kind": "dossier",
                "ready": doc is not None,
                "url": reverse("dossiers:dossier", args=[n.pk]),
                "word_url": None,
                "size": doc.size if doc else None,
            },
            {
                "kind": "report",
                "ready": True,
                "url": reverse("dossiers:report", args=[n.pk, "pdf"]),
                "word_url": reverse("dossiers:report", args=[n.pk, "docx"]),
                "size": None,
            },
        ]
        if n.batch_id:
            out.append(
                {
                    "kind": "letter",
                    "ready": True,
                    "url": reverse("dossiers:letter", args=[n.pk, "pdf"]),
                    "word_url": reverse("dossiers:letter", args=[n.pk, "docx"]),
                    "size": None,
                }
            )
        code = status.HTTP_202_ACCEPTED if render else status.HTTP_200_OK
        return Response(PaperSerializer(out, many=True).data, status=code)


def _started(start, actor, obj):
    try:
        job = start(actor, obj)
    except PermissionDenied as exc:
        raise DRFPermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        raise DRFValidationError({"detail": exc.messages}) from exc
    data = {"job": job.pk, "kind": job.kind, "status_url": f"/api/v1/jobs/{job.pk}/"}
    return Response(BulkJobSerializer(data).data, status=status.HTTP_202_ACCEPTED)


class BulkZipViewSet(viewsets.ViewSet):
    """``POST /api/v1/bulk-zips/session/<session id>/`` (every dossier of a council session)
    and ``.../certificates/<decision id>/`` (every certificate of a signed decision): start
    the job; follow it at ``status_url``."""

    permission_classes = [RulesPermission]
    rules = {"session": "dossiers.bulk", "certificates": "dossiers.bulk"}

    @extend_schema(request=None, responses={202: BulkJobSerializer})
    @action(detail=False, methods=["post"], url_path=r"session/(?P<session_id>[0-9]+)")
    def session(self, request, session_id=None):
        session = get_object_or_404(CouncilSession, pk=session_id)
        return _started(bulk.start_session_zip, request.user, session)

    @extend_schema(request=None, responses={202: BulkJobSerializer})
    @action(detail=False, methods=["post"], url_path=r"certificates/(?P<decision_id>[0-9]+)")
    def certificates(self, request, decision_id=None):
        decision = get_object_or_404(Decision, pk=decision_id)
        return _started(bulk.start_certificates_zip, request.user, decision)


def register(router) -> None:
    router.register("dossiers", DossierViewSet, basename="dossier")
    router.register("bulk-zips", BulkZipViewSet, basename="bulk-zip")
