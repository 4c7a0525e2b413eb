import logging

from django.core.management.base import BaseCommand, CommandError

from emulation_portal.audit import Anchor, check_chain

logger = logging.getLogger("emulation_portal.audit")


def _anchor(text: str) -> Anchor:
    try:
        return Anchor.parse(text)
    except ValueError:
        raise CommandError(
            f"--expect {text!r}: not an anchor; give SEQ:HASH as verify_audit printed it"
        ) from None


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain; name every edited or deleted event. On success "
        "print the chain's end as an anchor (SEQ:HASH) to keep outside the database; give "
        "kept anchors back with --expect to prove no event up to them was cut or changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="an anchor an earlier run printed: that event must still exist with that "
            "hash (may be given several times)",
        )

    def handle(self, *args, expect, **options):
        anchors = [_anchor(text) for text in expect]
        report = check_chain(anchors)
        if report.problems:
            for problem in report.problems:
                self.stderr.write(f"audit event {problem}")
            logger.error("audit chain broken: %d problem(s)", len(report.problems))
            raise CommandError(f"audit chain broken: {len(report.problems)} problem(s)")
        self.stdout.write(f"audit chain intact: {report.count} event(s)")
        for anchor in anchors:
            self.stdout.write(f"anchor {anchor} matches")
        if report.end:
            self.stdout.write(f"anchor {report.end}")
            # A copy in the log too: where the log is shipped off the server (journald to a
            # central syslog), each run leaves the anchor beyond the database's reach.
            logger.info("audit anchor %s (%d event(s))", report.end, report.count)
