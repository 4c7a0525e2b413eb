"""The registry's own sheets of the exchange format (``shared/domain/codes.md``): units,
people, ratings, initiatives, disciplines, blocs and bloc members, with their exporters.

Handlers validate every row and report each problem with its row and column. Small sheets
(units, blocs, bloc members) write row by row through :mod:`units.services`; big ones
(people, ratings, initiatives, disciplines) are set-based (bulk inserts and updates in
batches, the same checks as the services) and leave one audit event per sheet naming the
counts and the codes written.

One module per sheet family: ``units``, ``people``, ``ratings``, ``initiatives``,
``disciplines``, ``blocs`` (blocs and bloc members); ``common`` holds the cell parsers, the
row loop and the sheet's audit event. The sheets are registered below, in one place.
"""

from units.exchange import register_sheet
from units.importers.blocs import (
    export_bloc_members,
    export_blocs,
    import_bloc_members,
    import_blocs,
)
from units.importers.common import AUDIT_CODES, BATCH, RowInvalid
from units.importers.disciplines import export_disciplines, import_disciplines
from units.importers.initiatives import export_initiatives, import_initiatives
from units.importers.people import PEOPLE_COMPARE, export_people, import_people
from units.importers.ratings import export_ratings, import_ratings
from units.importers.units import export_units, import_units

register_sheet(
    "units",
    10,
    ["code", "name", "kind", "parent_code"],
    ["code", "name", "kind"],
    import_units,
    export_units,
)
register_sheet(
    "people",
    20,
    ["code", "full_name", "gender", "birth_date", "unit_code", "position", "is_manager"],
    ["code", "full_name", "gender", "unit_code"],
    import_people,
    export_people,
)
register_sheet(
    "ratings",
    30,
    ["subject_type", "subject_code", "year", "rating", "unit_code", "position_level"],
    ["subject_type", "subject_code", "year", "rating"],
    import_ratings,
    export_ratings,
)
register_sheet(
    "initiatives",
    50,
    ["person_code", "year", "title", "scope", "recognized_on", "kind"],
    ["person_code", "year", "title", "scope"],
    import_initiatives,
    export_initiatives,
)
register_sheet(
    "disciplines",
    60,
    ["person_code", "level", "start_date", "end_date"],
    ["person_code", "level", "start_date"],
    import_disciplines,
    export_disciplines,
)
register_sheet(
    "blocs", 70, ["code", "name", "kind"], ["code", "name", "kind"], import_blocs, export_blocs
)
register_sheet(
    "bloc_members",
    80,
    ["bloc_code", "year", "unit_code", "role"],
    ["bloc_code", "year", "unit_code", "role"],
    import_bloc_members,
    export_bloc_members,
)

__all__ = [
    "AUDIT_CODES",
    "BATCH",
    "PEOPLE_COMPARE",
    "RowInvalid",
    "export_bloc_members",
    "export_blocs",
    "export_disciplines",
    "export_initiatives",
    "export_people",
    "export_ratings",
    "export_units",
    "import_bloc_members",
    "import_blocs",
    "import_disciplines",
    "import_initiatives",
    "import_people",
    "import_ratings",
    "import_units",
]
