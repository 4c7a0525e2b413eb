"""``manage.py verify_tally SESSION``: recount a closed session from its stored ballots and
compare with the stored and published results; exit non-zero naming each difference."""

from django.core.management.base import BaseCommand, CommandError

from awards.council.services import verify
from awards.models import CouncilSession


class Command(BaseCommand):
    help = "Recount a council session from its stored ballots and name any difference."

    def add_arguments(self, parser):
        parser.add_argument("session", type=int, help="the session's id")

    def handle(self, *args, session, **options):
        s = CouncilSession.objects.filter(pk=session).first()
        if s is None:
            raise CommandError(f"no council session {session}")
        problems = verify(s)
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"session {s.pk}: {len(problems)} difference(s)")
        self.stdout.write(
            f"session {s.pk}: the recount from {s.ballots.count()} ballots agrees with the "
            "stored results"
        )
