"""What the engine knows of a subject for a year: its facts, its members' statistics (for
a unit) and the rules it is judged against."""

from __future__ import annotations

import datetime
from collections.abc import Sequence, Set
from dataclasses import dataclass, field


@dataclass(slots=True)
class MemberStats:
    """A unit's members in the year under judgment, counted from the people pass."""

    total: int = 0
    by_rank: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])  # index = rating rank
    awards: dict[str, int] = field(default_factory=dict)
    discipline_rank: int = 0  # highest level in force in the year (0: none)

    def at_least(self, rank: int) -> int:
        return sum(self.by_rank[rank:])


NO_ROLES: frozenset[str] = frozenset()


class Facts:
    """What the engine knows of one subject. Years are ints; ranks as in ``units.models``.

    A plain slotted class, not a dataclass: a national pass builds a million of them, and
    the dataclass's default factories cost several times this ``__init__``."""

    __slots__ = (
        "subject_type",
        "id",
        "code",
        "name",
        "unit_id",
        "ratings",
        "awards",
        "not_counted",
        "initiatives",
        "disciplines",
        "bloc_roles",
        "members",
        "rating_key",
    )

    def __init__(self, subject_type: str, id: int, code: str, name: str, unit_id=None):  # noqa: A002
        self.subject_type = subject_type
        self.id = id
        self.code = code
        self.name = name
        self.unit_id: int | None = unit_id  # a person's unit in the year under judgment
        self.ratings: dict[int, int] = {}
        self.awards: dict[str, set[int]] = {}  # regular merit only
        # The rarely filled sequences start as one shared empty tuple (the reader puts a
        # list in place at the first item): a million people, three million fewer objects
        # for the allocator and the garbage collector.
        self.not_counted: Sequence[tuple[str, int, str]] = ()  # (code, year, kind)
        # (id, year, scope rank, title, used for (code, year) or None)
        self.initiatives: Sequence[tuple[int, int, int, str, tuple | None]] = ()
        # (rank, level, start, end)
        self.disciplines: Sequence[tuple[int, str, datetime.date, datetime.date | None]] = ()
        self.bloc_roles: Set[str] = NO_ROLES  # roles in the year under judgment (units)
        self.members: MemberStats | None = None
        self.rating_key: tuple | None = None  # the ratings as read (see signature)

    def signature(self) -> tuple:
        """Everything the compiled rules read of a person, as one hashable value: two people
        with equal signatures get equal verdicts (names, ids and the award kinds that never
        count play no part), so a population pass judges each signature once. Equal values
        mean equal facts; facts listed in another order only give a different value."""
        return (
            self.rating_key if self.rating_key is not None else tuple(self.ratings.items()),
            tuple((code, tuple(years)) for code, years in self.awards.items())
            if self.awards
            else (),
            tuple((i[1], i[2], i[4]) for i in self.initiatives) if self.initiatives else (),
            max(d[0] for d in self.disciplines) if self.disciplines else 0,
            # rewards outside regular merit: read by "achievement" (GK), rare
            tuple(self.not_counted) if self.not_counted else (),
        )

    def __repr__(self):
        return f"<Facts {self.subject_type}:{self.code}>"


@dataclass(frozen=True, slots=True)
class RuleData:
    code: str
    subject: str
    condition: dict
    legal_reference: str
    rule_set: str
