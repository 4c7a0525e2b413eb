"""Prize money (NĐ 152/2025 art. 49): the award's multiple in the rule set in force on the
decision's date times the base salary in force on that date, rounded up to the next 10,000
VND. Decimal arithmetic throughout; amounts are whole dong."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from awards.models import AwardType, BaseSalary, PrizeMultiple, RuleSet

STEP = 10_000


@dataclass(frozen=True)
class Prize:
    multiple: Decimal
    base_salary: int
    amount: int


def round_up(value: Decimal) -> int:
    """Up to the next multiple of 10,000 dong; an exact multiple stays."""
    steps = (Decimal(value) / STEP).to_integral_value(rounding=ROUND_CEILING)
    return int(steps) * STEP


class PrizeTable:
    """The multiples and the base salary for one date, read once (two queries)."""

    def __init__(self, day: dt.date):
        self.day = day
        rule_set = RuleSet.in_force_on(day)
        self.multiples = (
            {
                (p.award_type_id, p.subject): p.multiple
                for p in PrizeMultiple.objects.filter(rule_set=rule_set)
            }
            if rule_set
            else {}
        )
        salary = BaseSalary.in_force(day)
        self.base_salary = salary.amount if salary else None

    def prize(self, award_type: AwardType, subject_type: str) -> Prize | None:
        """None when the rule set sets no money for this award (e.g. KNC) or no base
        salary is in force."""
        multiple = self.multiples.get((award_type.pk, subject_type))
        if multiple is None or self.base_salary is None:
            return None
        amount = round_up(Decimal(multiple) * Decimal(self.base_salary))
        return Prize(Decimal(multiple), self.base_salary, amount)


def prize_for(award_type: AwardType, subject_type: str, day: dt.date) -> Prize | None:
    return PrizeTable(day).prize(award_type, subject_type)
