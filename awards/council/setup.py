"""Wiring of the council package, called from ``AwardsConfig.ready()``: permissions,
admin, the conflict-of-interest resolver (members' own units) and the demo seeder."""


def ready():
    from awards.council import admin, rules  # noqa: F401  (register perms and admin)
    from awards.council.demo import seed
    from awards.council.services import member_units
    from awards.nominations.conflicts import register_member_unit_resolver
    from emulation_portal import demo

    register_member_unit_resolver(member_units)
    demo.register("council", 45, seed)
