"""Remind the units that have not registered for the running campaigns (for a daily cron)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from campaigns import services
from campaigns.models import Campaign, CampaignState


class Command(BaseCommand):
    help = "E-mail the officers of units that have not submitted a registration."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the office account recorded as sender (audit)",
        )
        parser.add_argument(
            "--campaign", type=int, help="one campaign id (default: all launched campaigns)"
        )

    def handle(self, *args, username, campaign, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not user.has_perm("campaigns.remind"):
            raise CommandError(f"{username} is not an active emulation office account")
        campaigns = Campaign.objects.filter(state=CampaignState.LAUNCHED)
        if campaign:
            campaigns = campaigns.filter(pk=campaign)
        for c in campaigns:
            units = services.remind_unregistered(user, c)
            self.stdout.write(f"{c}: {len(units)} units reminded")
