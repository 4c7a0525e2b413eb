"""Wiring of the council package, called from ``AwardsConfig.ready()``: permissions,
admin, the conflict-of-interest resolver (members' own units), the navigation entry and
the demo seeder."""

from django.utils.translation import gettext_lazy as _


def ready():
    from awards.council import admin, home, rules  # noqa: F401  (register perms and admin)
    from awards.council.demo import seed
    from awards.council.selectors import agenda_people
    from awards.council.services import member_units
    from awards.nominations.conflicts import register_member_unit_resolver
    from emulation_portal import demo, nav
    from emulation_portal import home as portal_home
    from units.privacy import register_discipline_viewer

    register_member_unit_resolver(member_units)
    register_discipline_viewer("council.agenda", agenda_people)
    portal_home.register("council", 5, home.tasks)
    nav.register(
        nav.NavItem(
            "council",
            _("Council"),
            "council:index",
            perm="council.browse",
            order=45,
            description=_("Council sessions: agenda, attendance, the ballot, results and minutes"),
        )
    )
    demo.register("council", 45, seed)
