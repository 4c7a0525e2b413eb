from django.core.management.base import BaseCommand

from emulation_portal.demo import DEMO_PASSWORD
from emulation_portal.models import Role, User


class Command(BaseCommand):
    help = "Print one demo login per role."

    def handle(self, *args, **options):
        shown = False
        for role, label in Role.choices:
            user = (
                User.objects.filter(is_demo=True, role=role, is_active=True).order_by("pk").first()
            )
            if user:
                self.stdout.write(f"  {str(label):<36} {user.username:<16} {DEMO_PASSWORD}")
                shown = True
        if not shown:
            self.stdout.write("  (no demo accounts: run `manage.py seed_demo`)")
