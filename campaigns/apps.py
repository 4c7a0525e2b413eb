from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from campaigns import demo, home, views
        from emulation_portal import demo as portal_demo
        from emulation_portal import home as portal_home
        from emulation_portal import nav
        from units import panels

        nav.register(
            nav.NavItem(
                "campaigns",
                _("Campaigns"),
                "campaigns:list",
                perm="campaigns.browse",
                order=200,
                description=_("Annual campaigns, thematic drives and national movements"),
            )
        )
        nav.register(
            nav.NavItem(
                "campaigns-blocs",
                _("All blocs"),
                "campaigns:all-blocs",
                perm="campaigns.view_all",
                order=210,
                description=_("Pledges, scoring and rankings of every bloc and cluster"),
            )
        )
        nav.register(
            nav.NavItem(
                "campaigns-my-blocs",
                _("My blocs"),
                "campaigns:my-blocs",
                perm="campaigns.my_blocs",
                order=205,
                description=_("Sign the pledge, score your unit, vote at the year-end meeting"),
            )
        )
        panels.register_unit_panel("campaigns.blocs", 50, views.bloc_results_panel)
        portal_home.register("campaigns", 30, home.tasks)
        portal_demo.register("campaigns", 20, demo.seed)
