"""Award catalogue, rule sets, award records, eligibility, nominations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        from awards import demo, exchange, panels
        from emulation_portal import demo as portal_demo
        from emulation_portal import nav

        nav.register(
            nav.NavItem(
                "awards.eligibility",
                _("Eligibility"),
                "awards:eligibility",
                perm="awards.eligibility_list",
                order=60,
                description=_("Who is eligible for which title or reward in a year, and why"),
            )
        )
        nav.register(
            nav.NavItem(
                "awards.catalogue",
                _("Award catalogue"),
                "awards:catalogue",
                perm="awards.view_catalogue",
                order=65,
                description=_("Titles and reward forms, and the rules in force"),
            )
        )
        exchange.register()
        panels.register()
        from emulation_portal import jobs

        jobs.register_kind("eligibility_xlsx", _("Eligibility list (XLSX)"))
        jobs.register_kind("council.minutes", _("Council session minutes (PDF)"))
        from awards import verdict_store

        verdict_store.connect()
        portal_demo.register("awards", 30, demo.seed)
        from awards.nominations.setup import ready as nominations_ready

        nominations_ready()
        from awards.council.setup import ready as council_ready

        council_ready()
        from awards.decisions.setup import ready as decisions_ready

        decisions_ready()
        from awards.reports.setup import ready as reports_ready

        reports_ready()
