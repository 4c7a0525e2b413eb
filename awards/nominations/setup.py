"""Wiring of the nominations package, called from ``AwardsConfig.ready()``: permissions,
admin, navigation entries and the demo seeder (Django autodiscovers only ``awards.rules``
and ``awards.admin``)."""

from django.utils.translation import gettext_lazy as _


def ready():
    from awards.nominations import admin, home, rules  # noqa: F401  (register perms and admin)
    from emulation_portal import demo, nav
    from emulation_portal import home as portal_home

    portal_home.register("nominations", 20, home.tasks)

    nav.register(
        nav.NavItem(
            "nominations",
            _("Nominations"),
            "nominations:queue",
            perm="nominations.create",
            order=40,
            description=_("Prepare, submit and review nominations and their dossiers"),
        )
    )
    nav.register(
        nav.NavItem(
            "disclosures",
            _("Public disclosure"),
            "nominations:disclosure-list",
            perm="nominations.view_disclosures",
            order=41,
            description=_("Nominees published for comment; raise an objection"),
        )
    )
    from awards.nominations import panels
    from awards.nominations.demo import seed

    panels.register()

    demo.register("nominations", 40, seed)
