"""Wiring of the decisions package, called from ``AwardsConfig.ready()``: permissions,
admin, the navigation entry and the demo seeder."""

from django.utils.translation import gettext_lazy as _


def ready():
    from awards.decisions import admin, home, rules  # noqa: F401  (register perms and admin)
    from awards.decisions.demo import seed
    from emulation_portal import demo, nav
    from emulation_portal import home as portal_home

    portal_home.register("decisions", 50, home.tasks)

    nav.register(
        nav.NavItem(
            "decisions",
            _("Decisions"),
            "decisions:index",
            perm="decisions.browse",
            order=50,
            description=_("Numbered decisions conferring awards, their lists and certificates"),
        )
    )
    demo.register("decisions", 50, seed)
    from awards.dossiers.setup import ready as dossiers_ready

    dossiers_ready()
