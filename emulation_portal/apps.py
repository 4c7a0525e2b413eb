from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "emulation_portal"
    label = "emulation_portal"
    verbose_name = _("Portal")

    def ready(self):
        from emulation_portal import jobs, nav

        jobs.register_kind("audit_pdf", _("Audit log extract (PDF)"))
        _name_third_party_apps()

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


def _name_third_party_apps():
    """Give the admin sections of third-party apps names in the user's language ("Axes"
    and "Auth Token" otherwise). Only the shown name changes; an AppConfig subclass in
    INSTALLED_APPS would not do for authtoken, whose models turn abstract unless
    ``rest_framework.authtoken`` itself is listed."""
    from django.apps import apps

    names = {"axes": _("Login attempts"), "authtoken": _("API tokens")}
    for config in apps.get_app_configs():
        if config.label in names:
            config.verbose_name = names[config.label]
