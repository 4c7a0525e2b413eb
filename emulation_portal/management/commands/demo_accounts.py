from django.core.management.base import BaseCommand
from django.db.models import Case, IntegerField, Value, When

from emulation_portal.demo import DEMO_PASSWORD
from emulation_portal.models import Role, User


class Command(BaseCommand):
    help = "Print every demo login (role, username, name), grouped by role."

    def handle(self, *args, **options):
        labels = dict(Role.choices)
        order = Case(
            *(When(role=value, then=Value(i)) for i, value in enumerate(Role.values)),
            default=Value(len(Role.values)),
            output_field=IntegerField(),
        )
        users = (
            User.objects.filter(is_demo=True, is_active=True)
            .annotate(role_order=order)
            # Hand-named accounts (donvi, khoitruong, ...) before the generated per-unit ones.
            .annotate(
                generated=Case(
                    When(username__startswith="cb_", then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("role_order", "generated", "username")
        )
        shown = False
        for user in users:
            label = str(labels.get(user.role, user.role))
            self.stdout.write(f"  {label:<28} {user.username:<20} {user.full_name}")
            shown = True
        if shown:
            self.stdout.write(f"  (every demo account's password: {DEMO_PASSWORD})")
        else:
            self.stdout.write("  (no demo accounts: run `manage.py seed_demo`)")
