"""Demo data: each app registers a seeder in ``AppConfig.ready``; ``seed_demo`` runs them
in order (units, then campaigns, then awards) through the apps' own services."""

import random
from collections.abc import Callable
from dataclasses import dataclass

from emulation_portal.models import Role

DEMO_PASSWORD = "ThiDua@2026"


@dataclass
class SeedContext:
    rng: random.Random
    seed: int
    scale: str | None  # None: demo size; "large": benchmarks; "national": 1,000,000 people
    actor: object  # the user recorded as actor of demo writes
    log: Callable[[str], None]


@dataclass(frozen=True)
class Seeder:
    name: str
    order: int
    func: Callable[[SeedContext], None]


_SEEDERS: dict[str, Seeder] = {}


def register(name: str, order: int, func: Callable[[SeedContext], None]) -> None:
    _SEEDERS[name] = Seeder(name, order, func)


def seeders() -> list[Seeder]:
    return sorted(_SEEDERS.values(), key=lambda s: (s.order, s.name))


def demo_account(username: str, role: str, full_name: str, actor=None):
    """Create (once) a demo account with the shared demo password."""
    from emulation_portal.services import ensure_user

    return ensure_user(
        username,
        role=role,
        full_name=full_name,
        password=DEMO_PASSWORD,
        actor=actor,
        is_demo=True,
    )


def seed_portal(ctx: SeedContext) -> None:
    """The global-role demo accounts; apps add scoped ones (unit officers, councils)."""
    demo_account("quantri", Role.ADMIN, "Quản trị hệ thống", ctx.actor)
    demo_account("thidua", Role.OFFICE, "Nguyễn Thị Thu Hà (Vụ Tổ chức cán bộ)", ctx.actor)
    demo_account("hoidong", Role.COUNCIL, "Trần Văn Minh (Hội đồng TĐKT)", ctx.actor)
    demo_account("xem", Role.VIEWER, "Lê Thị Lan (cán bộ)", ctx.actor)


register("portal", 0, seed_portal)
