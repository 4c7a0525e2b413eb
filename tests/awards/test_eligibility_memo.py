"""A population pass judges each distinct set of facts once (``Facts.signature``) and gives
everyone who shares it the same verdicts. It must never merge people whose facts differ in
anything a rule reads: each twin below differs from the base person in one such fact, and
the population pass must agree, person by person, with judging that person alone."""

import datetime
import gc

import pytest

from awards import eligibility
from awards.models import AwardKind, AwardRecord, AwardType, InitiativeUse
from tests.awards.factories import PersonFactory, UnitFactory, award, discipline, initiative, rate

Y = 2025


def _base(unit, code):
    """CSTD_CS for 2023-2024, HTXSNV throughout, a ministry-scope initiative in 2025: meets
    LDTT, CSTD_CS, CSTD_BO (3 consecutive CSTD_CS with this year's) and BK_BO."""
    p = PersonFactory(code=code, unit=unit)
    rate(p, dict.fromkeys(range(2019, Y + 1), "HTXSNV"))
    award(p, "CSTD_CS", 2023)
    award(p, "CSTD_CS", 2024)
    initiative(p, Y, scope="BO", title=f"Sáng kiến của {code}")
    return p


@pytest.mark.django_db
def test_people_with_different_facts_never_share_verdicts():
    unit = UnitFactory(code="VP", name="Văn phòng Bộ")
    people = {
        name: _base(unit, name) for name in ("A", "B", "RATED", "KIND", "USED", "DISC", "ADHOC")
    }
    # B is an exact twin of A (the memo's hit). Each other twin differs in one fact:
    rate(people["RATED"], {Y: "HTNV"})  # this year's rating
    AwardRecord.objects.filter(person=people["KIND"], year=2024).update(
        kind=AwardKind.DOT_XUAT
    )  # ad hoc
    InitiativeUse.objects.create(  # the initiative already rewarded
        initiative=people["USED"].initiatives.get(),
        award_type=AwardType.objects.get(code="BK_BO"),
        year=2024,
    )
    discipline(people["DISC"], datetime.date(Y, 6, 1), level="KHIEN_TRACH")
    award(people["ADHOC"], "BK_BO", Y, kind=AwardKind.DOT_XUAT)  # an achievement: GK

    together = {}
    for v in eligibility.judge(Y, subject_type="person", chunk=2):
        together.setdefault(v.subject_code, {})[v.award_code] = v.eligible
    alone = {
        code: {v.award_code: v.eligible for v in eligibility.judge_subject(Y, p)}
        for code, p in people.items()
    }
    assert together == alone
    eligible = {code: {a for a, ok in by.items() if ok} for code, by in together.items()}
    assert {"LDTT", "CSTD_CS", "CSTD_BO", "BK_BO"} <= eligible["A"]
    assert eligible["B"] == eligible["A"]
    for twin in ("RATED", "KIND", "USED", "DISC", "ADHOC"):
        assert eligible[twin] != eligible["A"], twin
    assert "CSTD_BO" not in eligible["USED"]
    assert not eligible["DISC"]
    assert eligible["ADHOC"] - eligible["A"] == {"GK"}


@pytest.mark.django_db
def test_a_shared_verdict_still_explains_its_own_person():
    unit = UnitFactory(code="VP", name="Văn phòng Bộ")
    a, b = _base(unit, "A"), _base(unit, "B")
    verdicts = {
        (v.subject_code, v.award_code): v
        for v in eligibility.judge(Y, subject_type="person", award_codes=["CSTD_BO"])
    }
    first, second = verdicts[("A", "CSTD_BO")], verdicts[("B", "CSTD_BO")]
    assert first.eligible and second.eligible
    # The second was judged by the memo; its reasons name its own initiative.
    assert "Sáng kiến của B" in " ".join(map(str, second.reasons))
    assert "Sáng kiến của A" not in " ".join(map(str, second.reasons))
    assert second.initiatives_used == [b.initiatives.get().pk]
    assert first.initiatives_used == [a.initiatives.get().pk]


@pytest.mark.django_db
def test_a_pass_spaces_out_full_collections_and_restores_the_thresholds():
    unit = UnitFactory(code="VP", name="Văn phòng Bộ")
    for code in ("A", "B", "C"):
        _base(unit, code)
    before = gc.get_threshold()
    first = eligibility.judge(Y, subject_type="person")
    next(first)
    relaxed = gc.get_threshold()
    assert relaxed[:2] == before[:2]
    assert relaxed[2] == before[2] * eligibility.FULL_GC_SPACING
    # A second pass at the same time (another thread, say) finds it relaxed; whichever
    # ends first leaves it so for the other, and the last one out restores it.
    second = eligibility.judge(Y, subject_type="person")
    next(second)
    first.close()  # a caller that stops early
    assert gc.get_threshold() == relaxed
    assert len(list(second)) == 3 * 11 - 1
    assert gc.get_threshold() == before
