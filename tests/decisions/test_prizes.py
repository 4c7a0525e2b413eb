"""Prize money: multiple x base salary in force on the decision's date, rounded up to the
next 10,000 VND; the 1 Jul 2026 base salary change; the list's amounts and total."""

import datetime as dt
from decimal import Decimal

import pytest

from awards.decisions import services
from awards.models import AwardType, BaseSalary, PrizeMultiple
from tests.decisions.conftest import approved


def test_rounding_up_to_the_next_ten_thousand():
    assert services.round_up(Decimal("0.3") * 2_530_000) == 760_000  # 759,000
    assert services.round_up(Decimal("1.0") * 2_530_000) == 2_530_000  # exact: stays
    assert services.round_up(Decimal("0.3") * 2_340_000) == 710_000  # 702,000
    assert services.round_up(Decimal("750000")) == 750_000
    assert services.round_up(Decimal("750000.01")) == 760_000


@pytest.mark.django_db
def test_base_salary_rows_and_multiples_are_seeded():
    assert BaseSalary.in_force(dt.date(2026, 6, 30)).amount == 2_340_000
    assert BaseSalary.in_force(dt.date(2026, 7, 1)).amount == 2_530_000
    ldtt = AwardType.objects.get(code="LDTT")
    rows = PrizeMultiple.objects.filter(award_type=ldtt, subject="person")
    assert {r.rule_set.code for r in rows} >= {"ND152-2025-TT62"}
    assert {r.multiple for r in rows} == {Decimal("0.3")}
    # the individual forms are not read in NĐ 152: kept, marked unconfirmed
    bk = PrizeMultiple.objects.get(
        rule_set__code="ND152-2025-TT62", award_type__code="BK_BO", subject="person"
    )
    assert bk.multiple == Decimal("1.5") and not bk.confirmed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "amount"),
    [(dt.date(2026, 6, 30), 710_000), (dt.date(2026, 7, 1), 760_000)],
)
def test_ldtt_across_the_base_salary_change(day, amount):
    prize = services.prize_for(AwardType.objects.get(code="LDTT"), "person", day)
    assert prize.amount == amount


@pytest.mark.django_db
def test_no_money_where_the_rule_set_sets_none():
    assert (
        services.prize_for(AwardType.objects.get(code="KNC"), "person", dt.date(2026, 7, 1)) is None
    )
    # before the first rule set of the 2022 Law
    assert (
        services.prize_for(AwardType.objects.get(code="LDTT"), "person", dt.date(2023, 12, 31))
        is None
    )


@pytest.mark.parametrize(
    ("day", "each"), [(dt.date(2026, 6, 30), 710_000), (dt.date(2026, 7, 1), 760_000)]
)
def test_signed_list_carries_amounts_of_the_decision_date(world, day, each):
    nominations = [approved(p, "LDTT", proposing_unit=world.vp) for p in world.people]
    d = services.create_draft(
        world.office,
        issuer=world.vp_issuer,
        award_type=AwardType.objects.get(code="LDTT"),
        year=2025,
        nomination_ids=[n.pk for n in nominations],
        signer_name="Lê Văn Nam",
    )
    d = services.sign(world.office, d, date=day)
    rows = list(d.items.values_list("multiple", "base_salary", "amount"))
    assert rows == [(Decimal("0.30"), 2_340_000 if day.month == 6 else 2_530_000, each)] * 3
    assert services.total_prize(d) == 3 * each
