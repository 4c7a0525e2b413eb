import logging
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from emulation_portal import outbox

log = logging.getLogger("emulation_portal.outbox")

PRUNE_EVERY = 3600.0  # seconds between prunes of sent rows in --loop


class Command(BaseCommand):
    help = (
        "Send the background work that waits in the outbox because the broker was "
        "unreachable when it was asked for. With --loop keep doing so (a systemd unit, or "
        "beside the worker): a Celery beat entry cannot do it while the broker is down."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="sweep again every --interval seconds, forever"
        )
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between sweeps (default 5)"
        )
        parser.add_argument(
            "--batch", type=int, default=100, help="rows sent per round (default 100)"
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="send every waiting row now, even those whose next attempt has not come",
        )
        parser.add_argument(
            "--prune-days",
            type=int,
            default=30,
            help="delete rows sent more than this many days ago (default 30; 0 keeps all)",
        )

    def handle(self, *args, loop, interval, batch, all, prune_days, **options):
        if interval <= 0 or batch <= 0 or prune_days < 0:
            raise CommandError("--interval and --batch must be positive, --prune-days >= 0")
        if not loop:
            sent = self._sweep(batch, due_only=not all)
            pruned = self._prune(prune_days)
            self.stdout.write(f"sent {sent}, waiting {outbox.waiting_count()}, pruned {pruned}")
            return
        last_prune = -PRUNE_EVERY
        while True:
            close_old_connections()
            try:
                sent = self._sweep(batch, due_only=not all)
                if sent:
                    log.info("outbox: sent %d, waiting %d", sent, outbox.waiting_count())
                if time.monotonic() - last_prune >= PRUNE_EVERY:
                    self._prune(prune_days)
                    last_prune = time.monotonic()
            except Exception:  # a database restart must not end the sweeper; retry next round
                log.exception("outbox sweep failed")
            time.sleep(interval)

    def _sweep(self, batch: int, *, due_only: bool) -> int:
        """Rounds of ``batch`` rows until none is left or the broker refuses one."""
        total = 0
        while True:
            sent = outbox.sweep(batch, due_only=due_only, respect_pause=False)
            total += sent
            if sent < batch:
                return total

    @staticmethod
    def _prune(days: int) -> int:
        return outbox.prune(timedelta(days=days)) if days else 0
