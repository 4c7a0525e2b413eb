from django.core.management.base import BaseCommand, CommandError

from emulation_portal.audit import verify_chain
from emulation_portal.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; name every edited or deleted event."

    def handle(self, *args, **options):
        problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(f"audit event {problem}")
            raise CommandError(f"audit chain broken: {len(problems)} problem(s)")
        self.stdout.write(f"audit chain intact: {AuditEvent.objects.count()} event(s)")
