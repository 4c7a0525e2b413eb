"""Portal endpoints (the caller's jobs)."""

from rest_framework import serializers, viewsets

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

    queryset = Job.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Job.objects.none()
        return Job.objects.filter(owner=self.request.user).order_by("-created_at")
