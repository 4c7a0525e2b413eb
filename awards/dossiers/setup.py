"""Wiring of the dossiers package: permissions, job kinds and the admin, called from the
decisions' ``ready()``."""

from django.utils.translation import gettext_lazy as _


def ready():
    from awards.dossiers import rules, tasks  # noqa: F401  (register perms and tasks)
    from awards.dossiers.services import bulk
    from emulation_portal import jobs, nav

    nav.register(
        nav.NavItem(
            "dossiers.honour_roll",
            _("Honour roll"),
            "dossiers:honour-roll",
            order=55,
            group="nominations",
            description=_("Titles and rewards conferred by published decisions, by year"),
        )
    )
    jobs.register_kind(bulk.SESSION_KIND, _("Every dossier of a council session (ZIP)"))
    jobs.register_kind(bulk.CERTIFICATES_KIND, _("Every certificate of a decision (ZIP)"))
