"""Awards models, one module per area. Append new modules' names here."""

from .catalogue import AwardCategory, AwardSubject, AwardType, BaseSalary, ConferringAuthority
from .records import AwardKind, AwardRecord, InitiativeUse, RecordSource
from .rules import Rule, RuleSet
from .verdicts import EligibilityVerdict

__all__ = [
    "AwardCategory",
    "AwardKind",
    "AwardRecord",
    "AwardSubject",
    "AwardType",
    "BaseSalary",
    "ConferringAuthority",
    "EligibilityVerdict",
    "InitiativeUse",
    "RecordSource",
    "Rule",
    "RuleSet",
]
