from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units and people")

    def ready(self):
        from emulation_portal import jobs, nav
        from units import exchange, importers, privacy, rules  # noqa: F401  (sheets, perms)

        jobs.register_result_page(
            exchange.PREVIEW_JOB_KIND, "units:import-preview", _("See the preview")
        )
        jobs.register_kind(exchange.PREVIEW_JOB_KIND, _("Import preview"))
        jobs.register_kind("units_import", _("Data import"))
        jobs.register_kind("units_export", _("Data export (XLSX)"))

        nav.register(
            nav.NavItem(
                "units",
                _("Units"),
                "units:unit-tree",
                perm="units.browse",
                order=10,
                description=_("The ministry's units as a tree"),
            )
        )
        nav.register(
            nav.NavItem(
                "people",
                _("People"),
                "units:person-list",
                perm="units.browse",
                order=11,
                description=_("Staff, their ratings by year, initiatives and discipline"),
            )
        )
        nav.register(
            nav.NavItem(
                "blocs",
                _("Blocs and clusters"),
                "units:bloc-list",
                perm="units.view_bloc",
                order=12,
                description=_("Khối and Cụm: members, leader and deputy by year"),
            )
        )
        nav.register(
            nav.NavItem(
                "exchange",
                _("Import / export"),
                "units:import",
                perm="units.import_data",
                order=80,
                description=_(
                    "Bring past years in from CSV or XLSX; export everything in the same format"
                ),
            )
        )
        try:
            from units import demo
        except ImportError:  # pragma: no cover - the seeder module is optional
            return
        demo.register()
