from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "emulation_portal"
    label = "emulation_portal"
    verbose_name = _("Portal")

    def ready(self):
        from emulation_portal import jobs, nav

        jobs.register_kind("audit_pdf", _("Audit log extract (PDF)"))

        nav.register(
            nav.NavItem(
                "audit",
                _("Audit log"),
                "audit-log",
                perm="portal.view_audit",
                order=900,
                description=_("Every business event, with its hash chain"),
            )
        )
