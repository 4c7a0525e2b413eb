"""Wiring of the reports package, called from ``AwardsConfig.ready()``: permissions, admin
and the navigation entry."""

from django.utils.translation import gettext_lazy as _


def ready():
    from awards.reports import admin, rules  # noqa: F401  (register perms and admin)
    from emulation_portal import jobs, nav

    jobs.register_kind("reports.summary_xlsx", _("Yearly summary (XLSX)"))
    jobs.register_kind("reports.summary_pdf", _("Yearly summary (PDF)"))

    nav.register(
        nav.NavItem(
            "reports",
            _("Yearly reports"),
            "awards:reports:index",
            perm="reports.browse",
            order=70,
            description=_("The yearly summary and the Home Affairs ministry's statistical forms"),
        )
    )
    nav.register(
        nav.NavItem(
            "reports.dashboard",
            _("Figures dashboard"),
            "awards:reports:dashboard",
            perm="reports.browse",
            order=71,
            description=_("The year's awards by title, year, group and bloc, as charts and tables"),
        )
    )
