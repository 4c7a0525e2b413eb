"""Portal endpoints (the caller's jobs)."""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers, viewsets
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated

from emulation_portal.models import Job
from emulation_portal.permissions import RulesPermission


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    result_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "state",
            "done",
            "total",
            "percent",
            "message",
            "result_url",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_result_url(self, job) -> str | None:
        from django.urls import reverse

        return reverse("job-download", args=[job.pk]) if job.result_file else None


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own background jobs."""

    serializer_class = JobSerializer
    permission_classes = [RulesPermission]
    rules = {"list": "portal.view_job", "retrieve": "portal.view_job"}

    queryset = Job.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Job.objects.none()
        return Job.objects.filter(owner=self.request.user).order_by("-created_at")


class ApiDocsView(SpectacularSwaggerSplitView):
    """The interactive API docs, for logged-in callers: a browser without a session is sent
    to the login page (with a token the page loads as any API call would)."""

    # An HTML page: OPTIONS would ask its template renderer for metadata it cannot render.
    http_method_names = ["get", "head"]

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated | AuthenticationFailed) and not self.request.META.get(
            "HTTP_AUTHORIZATION"
        ):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
