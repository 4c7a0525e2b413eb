"""Creating a draft nomination and editing its dossier."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    AwardKind,
    AwardRecord,
    AwardType,
    Batch,
    Nomination,
)
from awards.models.nominations import DEAD_STATES
from awards.nominations.services.common import (
    DOSSIER_FIELDS,
    _clean_text,
    _conflict,
    _lock,
    _require,
    level_for,
    rewards_history,
)
from awards.nominations.services.duties import copy_batch_proposers, note_proposer
from emulation_portal import audit
from units.models import Person, Unit

# --------------------------------------------------------------------------- creating


def _check_new(
    *, person, unit, award_type: AwardType, year: int, proposing_unit: Unit, kind: str
) -> None:
    if (person is None) == (unit is None):
        raise ValidationError(_("Choose either a person or a unit to nominate."))
    subject_type = "person" if person is not None else "unit"
    if not award_type.applies_to(subject_type):
        raise ValidationError(
            {
                "award_type": _("%(award)s is not awarded to a %(subject)s.")
                % {
                    "award": award_type.code,
                    "subject": _("person") if subject_type == "person" else _("unit"),
                }
            }
        )
    if kind not in AwardKind.values:
        raise ValidationError({"kind": _("Choose a valid kind.")})
    this_year = timezone.localdate().year
    if not (2000 <= int(year) <= this_year):
        raise ValidationError(
            {"year": _("The year must be between 2000 and %(y)s.") % {"y": this_year}}
        )
    if not award_type.is_active:
        raise ValidationError({"award_type": _("This award is no longer in use.")})


def _live_exists(*, person, unit, award_type, year) -> bool:
    qs = Nomination.objects.filter(award_type=award_type, year=year).exclude(state__in=DEAD_STATES)
    return qs.filter(person=person).exists() if person else qs.filter(unit=unit).exists()


def _held(*, person, unit, award_type, year, kind) -> AwardRecord | None:
    """The award record if the nominee already received this award (of this kind) for the
    year: nominating them again makes no sense."""
    qs = AwardRecord.objects.live().filter(award_type=award_type, year=year, kind=kind)
    return (qs.filter(person=person) if person else qs.filter(unit=unit)).first()


def _already_held(record: AwardRecord, nominee):
    ref = f" ({record.decision_number})" if record.decision_number else ""
    return ValidationError(
        _("%(nominee)s already received %(award)s for %(year)s%(ref)s.")
        % {"nominee": nominee, "award": record.award_type.code, "year": record.year, "ref": ref},
        code="held",
    )


def _duplicate(person, unit):
    return ValidationError(
        _("%(nominee)s already has a live nomination for this award and year.")
        % {"nominee": person or unit},
        code="duplicate",
    )


@transaction.atomic
def create_nomination(
    actor,
    *,
    award_type: AwardType,
    year: int,
    proposing_unit: Unit,
    person: Person | None = None,
    unit: Unit | None = None,
    kind: str = AwardKind.CONG_TRANG,
    campaign=None,
    batch: Batch | None = None,
    acclamation=None,
    **dossier,
) -> Nomination:
    """Create a draft nomination of ``person`` or ``unit`` proposed by ``proposing_unit``.
    Part III of the report is filled from the award history. The nominee must be in the
    proposing unit's subtree (a person by current unit)."""
    probe = Nomination(proposing_unit=proposing_unit)
    _require(actor, "nominations.submit", probe)
    _check_new(
        person=person,
        unit=unit,
        award_type=award_type,
        year=year,
        proposing_unit=proposing_unit,
        kind=kind,
    )
    nominee_path = (person.unit if person else unit).path
    if acclamation is None and not nominee_path.startswith(proposing_unit.path):
        raise ValidationError(
            _("%(nominee)s is not in %(unit)s or its sub-units.")
            % {"nominee": person or unit, "unit": proposing_unit}
        )
    if _live_exists(person=person, unit=unit, award_type=award_type, year=year):
        raise _duplicate(person, unit)
    record = _held(person=person, unit=unit, award_type=award_type, year=year, kind=kind)
    if record is not None:
        raise _already_held(record, person or unit)
    nomination = Nomination(
        person=person,
        unit=unit,
        award_type=award_type,
        kind=kind,
        year=year,
        campaign=campaign,
        proposing_unit=proposing_unit,
        level=level_for(award_type),
        batch=batch,
        acclamation=acclamation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        rewards_received=rewards_history(person or unit, year),
    )
    _apply_dossier(nomination, dossier)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise _duplicate(person, unit) from None
    note_proposer(actor, [nomination])
    copy_batch_proposers(nomination)
    audit.record(
        actor,
        "nomination.create",
        nomination,
        after=audit.snapshot(
            nomination,
            ["person", "unit", "award_type", "kind", "year", "proposing_unit", "level", "batch"],
        ),
    )
    return nomination


def _apply_dossier(nomination: Nomination, changes: dict) -> None:
    unknown = set(changes) - set(DOSSIER_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for name in ("background", "achievements", "rewards_received"):
        if name in changes:
            setattr(nomination, name, _clean_text(changes[name]))
    if "initiative" in changes:
        ini = changes["initiative"]
        if ini is not None and (not nomination.person_id or ini.person_id != nomination.person_id):
            raise ValidationError({"initiative": _("The initiative must be the nominee's own.")})
        nomination.initiative = ini
    for name in ("deliberation_date", "deliberation_attendees", "deliberation_votes"):
        if name in changes:
            setattr(nomination, name, changes[name])
    a, v = nomination.deliberation_attendees, nomination.deliberation_votes
    if a is not None and v is not None and v > a:
        raise ValidationError(
            {"deliberation_votes": _("More votes in favour than members present.")}
        )
    if nomination.deliberation_date and nomination.deliberation_date > timezone.localdate():
        raise ValidationError({"deliberation_date": _("The deliberation date is in the future.")})


@transaction.atomic
def update_dossier(actor, nomination: Nomination, *, version: int, **changes) -> Nomination:
    """Save the dossier fields of a draft or returned nomination. ``version`` is the one the
    user loaded: if anyone saved or moved the nomination since, the save is refused (no
    lost update)."""
    current = _lock(nomination)
    _require(actor, "nominations.edit", current)
    if current.version != int(version):
        raise _conflict()
    before = audit.snapshot(current, DOSSIER_FIELDS)
    _apply_dossier(current, changes)
    after = audit.snapshot(current, DOSSIER_FIELDS)
    if after == before:
        return current
    values = {name: getattr(current, name) for name in DOSSIER_FIELDS}
    initiative = values.pop("initiative")
    values["initiative_id"] = initiative.pk if initiative else None
    updated = Nomination.objects.filter(pk=current.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise _conflict()
    current.refresh_from_db()
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    note_proposer(actor, [current])
    audit.record(
        actor,
        "nomination.edit",
        current,
        before={k: before[k] for k in changed},
        after=changed,
    )
    return current
