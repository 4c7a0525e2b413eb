"""Wiring of the dossiers package: permissions, job kinds and the admin, called from the
decisions' ``ready()``."""

from django.utils.translation import gettext_lazy as _


def ready():
    from awards.dossiers import rules, tasks  # noqa: F401  (register perms and tasks)
    from awards.dossiers.services import bulk
    from emulation_portal import jobs

    jobs.register_kind(bulk.SESSION_KIND, _("Every dossier of a council session (ZIP)"))
    jobs.register_kind(bulk.CERTIFICATES_KIND, _("Every certificate of a decision (ZIP)"))
