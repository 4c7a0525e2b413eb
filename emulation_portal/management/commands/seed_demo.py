import random

from django.core.management.base import BaseCommand
from django.db import transaction

from emulation_portal import demo
from emulation_portal.models import User


class Command(BaseCommand):
    help = (
        "Build the demo data (real blocs, clusters and themes; generated people) through the "
        "services. Deterministic under --seed; skips if demo data exists unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--scale",
            choices=["large", "national"],
            help="large: 300+ units, 30,000 people, 10 years; national: 1,000,000 people",
        )
        parser.add_argument("--force", action="store_true", help="seed even if demo data exists")
        parser.add_argument("--only", help="comma-separated seeder names (e.g. portal,units)")

    def handle(self, *args, seed, scale, force, only, **options):
        if User.objects.filter(is_demo=True).exists() and not force and not scale:
            self.stdout.write("Demo data already present; nothing to do (use --force).")
            return
        wanted = set(only.split(",")) if only else None
        ctx = demo.SeedContext(
            rng=random.Random(seed), seed=seed, scale=scale, actor=None, log=self.stdout.write
        )
        for seeder in demo.seeders():
            if wanted and seeder.name not in wanted:
                continue
            self.stdout.write(f"seeding {seeder.name} …")
            # Each seeder commits on its own so a national-scale run keeps memory bounded.
            with transaction.atomic():
                seeder.func(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
