"""The audit chain: appending events, and verifying the whole chain."""

from bench import BenchContext, Row
from emulation_portal import audit
from emulation_portal.models import AuditEvent


def run(ctx: BenchContext) -> list[Row]:
    n = 200 if ctx.quick else 2000
    with ctx.timer() as t:
        for i in range(n):
            audit.record(None, "bench.append", object_type="bench", object_id=i, after={"i": i})
    total = AuditEvent.objects.count()
    with ctx.timer() as v:
        problems = audit.verify_chain()
    return [
        Row(f"audit.record, {n} appends", 1000 * t["seconds"] / n, "ms/event"),
        Row(
            f"verify_audit over {total} events",
            v["seconds"],
            "s",
            "intact" if not problems else f"{len(problems)} problems",
        ),
    ]
