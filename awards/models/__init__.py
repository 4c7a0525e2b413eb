"""Awards models, one module per area. Append new modules' names here."""

from .catalogue import AwardCategory, AwardSubject, AwardType, BaseSalary, ConferringAuthority
from .nominations import (
    Attachment,
    AttachmentKind,
    Batch,
    Disclosure,
    Nomination,
    NominationLevel,
    NominationProposer,
    NominationState,
    Objection,
    ReviewComment,
    Section,
)
from .records import AwardKind, AwardRecord, InitiativeUse, RecordSource
from .rules import Rule, RuleSet
from .verdicts import EligibilityVerdict

__all__ = [
    "Attachment",
    "AttachmentKind",
    "AwardCategory",
    "AwardKind",
    "AwardRecord",
    "AwardSubject",
    "AwardType",
    "BaseSalary",
    "Batch",
    "ConferringAuthority",
    "Disclosure",
    "EligibilityVerdict",
    "InitiativeUse",
    "Nomination",
    "NominationLevel",
    "NominationProposer",
    "NominationState",
    "Objection",
    "RecordSource",
    "ReviewComment",
    "Rule",
    "RuleSet",
    "Section",
]
