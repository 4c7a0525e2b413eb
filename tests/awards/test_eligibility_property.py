"""Property: the set-based engine agrees with a plain per-person reference implementation of
the seeded person rules (LTDKT-2022), on random histories (ratings with gaps, regular and ad hoc
awards, initiatives some already used, disciplines around the year boundary)."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards import eligibility
from awards.models import AwardRecord, AwardType, InitiativeUse
from tests.awards.factories import PersonFactory, UnitFactory
from units.models import Discipline, Initiative, Person, PersonYear

Y = 2024
RANK = {"HTXSNV": 4, "HTTNV": 3, "HTNV": 2, "KHTNV": 1, None: 0}
SCOPE = {"CO_SO": 1, "BO": 2, "TOAN_QUOC": 3}
CODES = ["LDTT", "CSTD_CS", "CSTD_BO", "BK_BO", "BK_TTG"]
KINDS = ["cong_trang", "cong_trang", "dot_xuat", "chuyen_de"]
# discipline starts around the boundaries of the year under judgment
EDGES = [
    datetime.date(Y - 1, 12, 30),
    datetime.date(Y - 1, 12, 31),
    datetime.date(Y, 1, 1),
    datetime.date(Y, 6, 1),
    datetime.date(Y, 12, 31),
    datetime.date(Y + 1, 1, 1),
]

RATINGS = ["HTXSNV", "HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV", "KHTNV", None]

history = st.fixed_dictionaries(
    {
        # mostly good years so long chains happen, with gaps and bad years among them
        "ratings": st.lists(st.sampled_from(RATINGS), min_size=9, max_size=9).map(
            lambda rs: {2016 + i: r for i, r in enumerate(rs) if r}
        ),
        "awards": st.lists(
            st.tuples(
                st.sampled_from(["CSTD_CS", "CSTD_CS", "BK_BO", *CODES]),
                st.integers(2017, Y),
                st.sampled_from(KINDS),
            ),
            max_size=12,
            unique_by=lambda a: a,
        ),
        "initiatives": st.lists(
            st.tuples(
                st.integers(2017, Y),
                st.sampled_from(list(SCOPE)),
                st.sampled_from([None, None, ("BK_BO", 2023), ("CSTD_CS", Y)]),
            ),
            max_size=3,
        ),
        "disciplines": st.lists(
            st.tuples(st.sampled_from(EDGES), st.one_of(st.none(), st.sampled_from([0, 1, 364]))),
            max_size=1,
        ),
    }
)

# Histories built around the chains: a BK_BO a few years back (runs after it of 3 to 8 years,
# longer than the 5 years the rules read for everyone), good years, CSTD_CS in some.
chain_history = st.fixed_dictionaries(
    {
        "ratings": st.lists(
            st.sampled_from(["HTXSNV", "HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV"]),
            min_size=9,
            max_size=9,
        ).map(lambda rs: {2016 + i: r for i, r in enumerate(rs)}),
        "awards": st.tuples(
            st.tuples(
                st.just("BK_BO"),
                st.integers(Y - 8, Y - 3),
                st.sampled_from(["cong_trang", "cong_trang", "dot_xuat"]),
            ),
            st.lists(
                st.tuples(
                    st.just("CSTD_CS"),
                    st.integers(Y - 8, Y),
                    st.sampled_from(["cong_trang", "cong_trang", "cong_trang", "dot_xuat"]),
                ),
                min_size=3,
                max_size=6,
                unique_by=lambda a: a[:2],
            ),
        ).map(lambda t: [t[0], *t[1]]),
        "initiatives": st.lists(
            st.tuples(
                st.integers(Y - 3, Y),
                st.sampled_from(list(SCOPE)),
                st.sampled_from([None, None, ("BK_BO", Y - 1)]),
            ),
            max_size=3,
        ),
        "disciplines": st.lists(st.tuples(st.sampled_from(EDGES), st.just(0)), max_size=1),
    }
)
histories_strategy = st.lists(st.one_of(history, chain_history), min_size=1, max_size=10)


class Reference:
    """The rules of shared/domain/rules.md written out plainly for one person."""

    def __init__(self, h):
        self.h = h
        self.regular = {(c, y) for c, y, k in h["awards"] if k == "cong_trang"}

    def rating(self, y):
        return RANK[self.h["ratings"].get(y)]

    def disciplined(self):
        start, end = datetime.date(Y, 1, 1), datetime.date(Y, 12, 31)
        for s, days in self.h["disciplines"]:
            e = None if days is None else s + datetime.timedelta(days=days)
            if s <= end and (e is None or e >= start):
                return True
        return False

    def held(self, code, y):
        if (code, y) in self.regular:
            return True
        return y == Y and getattr(self, code.lower())()

    def initiatives(self, lo, min_scope, for_award):
        return [
            i
            for i in self.h["initiatives"]
            if lo <= i[0] <= Y and SCOPE[i[1]] >= min_scope and i[2] in (None, (for_award, Y))
        ]

    def ldtt(self):
        return self.rating(Y) >= 3 and not self.disciplined()

    def cstd_cs(self):
        return self.held("LDTT", Y) and (
            self.rating(Y) == 4 or bool(self.initiatives(Y, 1, "CSTD_CS"))
        )

    def cstd_bo(self):
        return (
            all(self.held("CSTD_CS", y) for y in (Y - 2, Y - 1, Y))
            and bool(self.initiatives(Y - 2, 2, "CSTD_BO"))
            and not self.disciplined()
        )

    def bk_bo(self):
        if self.disciplined():
            return False
        path1 = self.held("CSTD_CS", Y - 1) and self.held("CSTD_CS", Y)
        path2 = (
            self.rating(Y - 1) == 4
            and self.rating(Y) == 4
            and len(self.initiatives(Y - 1, 1, "BK_BO")) >= 2
        )
        return path1 or path2

    def bk_ttg(self):
        """Principle 7: the period runs unbroken from the year after the latest BK_BO to Y,
        at least 5 years, and its 3 CSTD_CS are counted over all of it."""
        if self.disciplined():
            return False
        bk = [y for c, y in self.regular if c == "BK_BO" and y <= Y]
        if not bk:
            return False
        years = range(max(bk) + 1, Y + 1)
        return (
            len(years) >= 5
            and all(self.rating(y) >= 3 for y in years)
            and sum(self.held("CSTD_CS", y) for y in years) >= 3
        )


def _store(unit, h):
    person = PersonFactory(unit=unit)
    PersonYear.objects.bulk_create(
        PersonYear(person=person, year=y, rating=r, unit=unit) for y, r in h["ratings"].items()
    )
    types = {t.code: t for t in AwardType.objects.all()}
    AwardRecord.objects.bulk_create(
        AwardRecord(person=person, award_type=types[c], year=y, kind=k) for c, y, k in h["awards"]
    )
    for n, (y, scope, used) in enumerate(h["initiatives"]):
        ini = Initiative.objects.create(person=person, year=y, scope=scope, title=f"S{n}")
        if used:
            InitiativeUse.objects.create(initiative=ini, award_type=types[used[0]], year=used[1])
    for s, days in h["disciplines"]:
        e = None if days is None else s + datetime.timedelta(days=days)
        Discipline.objects.create(person=person, level="KHIEN_TRACH", start_date=s, end_date=e)
    return person


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(histories=histories_strategy)
def test_engine_matches_the_reference(histories):
    Person.objects.all().delete()
    unit = UnitFactory(code="PROP")
    people = [_store(unit, h) for h in histories]
    expected = {}
    for p, h in zip(people, histories, strict=True):
        ref = Reference(h)
        for code in CODES:
            expected[(p.code, code)] = getattr(ref, code.lower())()
    verdicts = list(eligibility.judge(Y, subject_type="person", award_codes=CODES, chunk=4))
    got = {(v.subject_code, v.award_code): v.eligible for v in verdicts}
    assert got == expected
    # the explaining evaluator (reasons) agrees with the fast compiled one
    assert all(v.explained_eligible == v.eligible for v in verdicts)
