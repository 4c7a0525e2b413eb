"""Every write to the registry: units and their tree, people, yearly ratings, discipline,
initiatives, blocs and their membership per year, unit officers.

One module per workflow: ``units`` (the unit tree, closing a unit, unit officers),
``people`` (a person's record), ``ratings`` (a person's year, the yearly ratings of people
and units), ``discipline``, ``initiatives``, ``blocs`` (blocs and their membership per
year); ``common`` holds the shared checks (codes, years, choices). Callers import from this
package.

Each function takes ``actor`` first, runs in a transaction, locks the rows it changes,
records an audit event per write, and raises ``ValidationError`` with a translated message
for bad input (the database constraints stand behind every check).
"""

from units.services.blocs import (
    add_bloc_member,
    carry_bloc_forward,
    create_bloc,
    remove_bloc_member,
    set_bloc_role,
    update_bloc,
)
from units.services.common import CODE_RE, RESERVED_CODES, check_code, check_year, last_allowed_year
from units.services.discipline import (
    DISCIPLINE_FIELDS,
    add_discipline,
    delete_discipline,
    update_discipline,
)
from units.services.initiatives import (
    INITIATIVE_FIELDS,
    add_initiative,
    delete_initiative,
    update_initiative,
)
from units.services.people import PERSON_FIELDS, create_person, person_search_text, update_person
from units.services.ratings import rate_people, set_person_year, set_unit_rating
from units.services.units import (
    PATH_WIDTH,
    UNIT_FIELDS,
    assign_officer,
    check_no_cycle,
    close_unit,
    create_unit,
    remove_officer,
    segment,
    unit_search_text,
    update_unit,
)

__all__ = [
    "CODE_RE",
    "DISCIPLINE_FIELDS",
    "INITIATIVE_FIELDS",
    "PATH_WIDTH",
    "PERSON_FIELDS",
    "RESERVED_CODES",
    "UNIT_FIELDS",
    "add_bloc_member",
    "add_discipline",
    "add_initiative",
    "assign_officer",
    "carry_bloc_forward",
    "check_code",
    "check_no_cycle",
    "check_year",
    "close_unit",
    "create_bloc",
    "create_person",
    "create_unit",
    "delete_discipline",
    "delete_initiative",
    "last_allowed_year",
    "person_search_text",
    "rate_people",
    "remove_bloc_member",
    "remove_officer",
    "segment",
    "set_bloc_role",
    "set_person_year",
    "set_unit_rating",
    "unit_search_text",
    "update_bloc",
    "update_discipline",
    "update_initiative",
    "update_person",
    "update_unit",
]
