"""Standing verdicts: the engine's verdicts of a year stored in a table and kept current.

- A **pass** (``request_pass`` → task ``awards.verdict_pass``) judges a whole year with the
  set-based engine, split into chunks (people by id range, units in tree order) that run as
  a Celery chord across the workers; each chunk replaces the rows of its own subjects, so a
  chunk run again (a retry) writes the same rows. The chord's callback (``finish_pass``)
  recounts the tallies and marks the pass done.
- **Changes of facts** (a rating, an award record, an initiative or its use, a discipline,
  a person's unit, a bloc membership) mark their subject dirty after commit, one row per
  subject (``mark_dirty``; signals connected by ``connect``); one task (``drain_dirty``)
  re-judges every dirty subject, and the units whose members they are, for each stored year.
  An import marks nothing row by row: it asks for a pass of each stored year instead.
- Explanations are not stored: a page explains one subject on demand with the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from awards import eligibility
from awards.models import (
    AwardRecord,
    AwardType,
    DirtySubject,
    InitiativeUse,
    RuleSet,
    StoredVerdict,
    VerdictPass,
    VerdictTally,
)
from emulation_portal import audit
from emulation_portal.jobs import enqueue
from units.bulk import insert_rows
from units.models import (
    BlocMembership,
    Discipline,
    Initiative,
    Person,
    PersonYear,
    Unit,
    UnitRating,
)

log = logging.getLogger(__name__)

PEOPLE_CHUNK = 20_000  # people per chunk of a pass (a few seconds of one worker)
UNIT_CHUNK = 500  # units per chunk (each reads its own members)
DRAIN_BATCH = 5_000  # dirty subjects re-judged at a time
UNIT_SORT_BASE = 10**12  # units sort after every person id
OPEN = (VerdictPass.State.PENDING, VerdictPass.State.RUNNING)

FIELDS = [
    "year",
    "rule_set_id",
    "award_type_id",
    "person_id",
    "unit_id",
    "scope_unit_id",
    "code",
    "name",
    "sort_key",
    "eligible",
    "pass_id",
    "computed_at",
]


# --------------------------------------------------------------------------- passes


def request_pass(actor, year: int, trigger: str = VerdictPass.Trigger.MANUAL) -> VerdictPass:
    """Ask for a pass over ``year``: creates a waiting pass and sends it after commit, or
    returns the one already waiting (requests coalesce). Raises ``ValidationError`` for a
    year without a rule set."""
    rule_set = eligibility.rule_set_for(year)
    with transaction.atomic():
        waiting = VerdictPass.objects.filter(year=year, state=VerdictPass.State.PENDING).first()
        if waiting is not None:
            return waiting
        try:
            with transaction.atomic():
                p = VerdictPass.objects.create(
                    year=year,
                    rule_set=rule_set,
                    trigger=trigger,
                    requested_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:  # another request created it meanwhile
            return VerdictPass.objects.get(year=year, state=VerdictPass.State.PENDING)
        audit.record(actor, "eligibility.pass_request", p, after={"year": year, "trigger": trigger})
        from awards import tasks

        enqueue(tasks.verdict_pass, p.pk)
    return p


def _people_ranges(size: int) -> list[dict]:
    bounds = Person.objects.aggregate(lo=Min("id"), hi=Max("id"))
    if bounds["lo"] is None:
        return []
    return [
        {"kind": "person", "lo": lo, "hi": min(lo + size - 1, bounds["hi"])}
        for lo in range(bounds["lo"], bounds["hi"] + 1, size)
    ]


def _unit_chunks(size: int) -> list[dict]:
    ids = list(Unit.objects.order_by("path", "id").values_list("id", flat=True))
    return [
        {"kind": "unit", "ids": ids[i : i + size], "first": i} for i in range(0, len(ids), size)
    ]


def begin_pass(
    pass_id: int, *, people_chunk: int | None = None, unit_chunk: int | None = None
) -> list[dict] | None:
    """Claim a waiting pass (waiting → running) and return its chunks; None when it is not
    waiting, or when another pass of the year still runs (it starts this one when done)."""
    try:
        with transaction.atomic():
            claimed = VerdictPass.objects.filter(
                pk=pass_id, state=VerdictPass.State.PENDING
            ).update(state=VerdictPass.State.RUNNING, started_at=timezone.now())
    except IntegrityError:  # one pass of the year is running
        return None
    if not claimed:
        return None
    chunks = _people_ranges(people_chunk or PEOPLE_CHUNK) + _unit_chunks(unit_chunk or UNIT_CHUNK)
    VerdictPass.objects.filter(pk=pass_id).update(chunks_total=len(chunks))
    return chunks


def _rows(verdicts: Iterable[eligibility.Verdict], year, rule_set, pass_id, sort_or_unit, codes):
    """Table rows; ``sort_or_unit``: a person's current unit (their scope), or a unit's
    sort key, by id."""
    now = timezone.now()
    for v in verdicts:
        if v.subject_type == "person":
            person_id, unit_id = v.subject_id, None
            scope = sort_or_unit[v.subject_id]
            sort_key = v.subject_id
        else:
            person_id, unit_id = None, v.subject_id
            scope = v.subject_id
            sort_key = sort_or_unit[v.subject_id]
        yield (
            year,
            rule_set.pk,
            codes[v.award_code],
            person_id,
            unit_id,
            scope,
            v.subject_code,
            v.subject_name[:300],
            sort_key,
            v.eligible,
            pass_id,
            now,
        )


def _award_ids() -> dict[str, int]:
    return dict(AwardType.objects.values_list("code", "id"))


def judge_chunk(pass_id: int, chunk: dict) -> int:
    """Judge one chunk of a running pass and replace its subjects' standing verdicts (in
    one transaction: a chunk run twice leaves the same rows). Returns the subjects judged."""
    p = VerdictPass.objects.select_related("rule_set").get(pk=pass_id)
    if p.state != VerdictPass.State.RUNNING:
        return 0
    codes = _award_ids()
    if chunk["kind"] == "person":
        current = dict(
            Person.objects.filter(id__gte=chunk["lo"], id__lte=chunk["hi"])
            .order_by("id")
            .values_list("id", "unit_id")
        )
        ids = list(current)
        verdicts = (
            eligibility.judge(p.year, subject_type="person", subject_ids=ids, rule_set=p.rule_set)
            if ids
            else ()
        )
        rows = list(_rows(verdicts, p.year, p.rule_set, pass_id, current, codes))
        old = StoredVerdict.objects.filter(
            year=p.year, person_id__gte=chunk["lo"], person_id__lte=chunk["hi"]
        )
    else:
        ids = chunk["ids"]
        unit_sort = {uid: UNIT_SORT_BASE + chunk["first"] + i for i, uid in enumerate(ids)}
        verdicts = eligibility.judge(
            p.year, subject_type="unit", subject_ids=ids, rule_set=p.rule_set
        )
        rows = list(_rows(verdicts, p.year, p.rule_set, pass_id, unit_sort, codes))
        old = StoredVerdict.objects.filter(year=p.year, unit_id__in=ids)
    with transaction.atomic():
        old.delete()
        insert_rows(StoredVerdict, FIELDS, rows)
        VerdictPass.objects.filter(pk=pass_id).update(
            chunks_done=F("chunks_done") + 1, subjects=F("subjects") + len(ids)
        )
    return len(ids)


def finish_pass(pass_id: int) -> None:
    """Close a pass whose chunks all ran: drop the year's rows of a rule set no longer in
    force and of subjects that no longer exist, recount the tallies, mark it done; then
    start the pass waiting for the year, or re-judge what changed while this one ran."""
    p = VerdictPass.objects.select_related("rule_set").get(pk=pass_id)
    if p.state != VerdictPass.State.RUNNING:
        return
    with transaction.atomic():
        StoredVerdict.objects.filter(year=p.year).exclude(rule_set=p.rule_set).delete()
        # Rows older than the pass were not rewritten by any chunk: their subject is gone.
        StoredVerdict.objects.filter(
            year=p.year, rule_set=p.rule_set, computed_at__lt=p.started_at
        ).delete()
        recount(p.year, p.rule_set_id)
        VerdictPass.objects.filter(pk=pass_id, state=VerdictPass.State.RUNNING).update(
            state=VerdictPass.State.DONE, finished_at=timezone.now()
        )
    _analyze()
    _after_pass(p.year)


def _analyze() -> None:
    """Refresh the planner's statistics of the verdict table a pass has just rewritten.
    Measured: with the statistics of before the pass (a year estimated at a few rows) the
    list page sorted the whole year (145 ms at 7,000 people, growing with them) instead of
    reading 50 rows in index order (0.1 ms); autovacuum comes too late for the first views."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {StoredVerdict._meta.db_table}")


def fail_pass(pass_id: int, message: str = "") -> None:
    """Mark a running pass failed (a chunk failed past its retries); the year keeps the
    verdicts of its last finished pass."""
    VerdictPass.objects.filter(pk=pass_id, state__in=OPEN).update(
        state=VerdictPass.State.FAILED, finished_at=timezone.now(), message=message[:500]
    )
    year = VerdictPass.objects.filter(pk=pass_id).values_list("year", flat=True).first()
    if year is not None:
        _after_pass(year)


def _after_pass(year: int) -> None:
    from awards import tasks

    waiting = (
        VerdictPass.objects.filter(year=year, state=VerdictPass.State.PENDING)
        .values_list("pk", flat=True)
        .first()
    )
    if waiting is not None:
        enqueue(tasks.verdict_pass, waiting)
    elif DirtySubject.objects.exists():
        enqueue(tasks.drain_verdicts)


def run_pass_inline(pass_id: int, **sizes) -> None:
    """The whole pass in this process, chunk after chunk (the reference the fan-out is
    compared with, and the path of ``manage.py`` runs without workers)."""
    chunks = begin_pass(pass_id, **sizes)
    if chunks is None:
        return
    for chunk in chunks:
        judge_chunk(pass_id, chunk)
    finish_pass(pass_id)


# --------------------------------------------------------------------------- tallies


def recount(year: int, rule_set_id: int, scope_unit_ids: Iterable[int] | None = None) -> None:
    """Rewrite the tallies of ``year`` (of the given scope units only, if given) from the
    standing verdicts: one GROUP BY per subject kind."""
    rows = StoredVerdict.objects.filter(year=year, rule_set_id=rule_set_id)
    tallies = VerdictTally.objects.filter(year=year, rule_set_id=rule_set_id)
    if scope_unit_ids is not None:
        scope_unit_ids = list(set(scope_unit_ids))
        rows = rows.filter(scope_unit_id__in=scope_unit_ids)
        tallies = tallies.filter(scope_unit_id__in=scope_unit_ids)
    else:
        VerdictTally.objects.filter(year=year).exclude(rule_set_id=rule_set_id).delete()
    tallies.delete()
    new = []
    for is_unit in (False, True):
        for award_id, scope, total, eligible in (
            rows.filter(unit__isnull=not is_unit)
            .order_by()
            .values("award_type_id", "scope_unit_id")
            .annotate(total=Count("id"), ok=Count("id", filter=Q(eligible=True)))
            .values_list("award_type_id", "scope_unit_id", "total", "ok")
        ):
            new.append(
                VerdictTally(
                    year=year,
                    rule_set_id=rule_set_id,
                    award_type_id=award_id,
                    is_unit=is_unit,
                    scope_unit_id=scope,
                    total=total,
                    eligible=eligible,
                )
            )
    VerdictTally.objects.bulk_create(new, batch_size=2000)


# --------------------------------------------------------------------------- changes


def stored_years() -> dict[int, int]:
    """Year -> rule set id of every year whose standing verdicts a finished pass made."""
    return dict(
        VerdictPass.objects.filter(state=VerdictPass.State.DONE)
        .order_by("year", "finished_at")
        .values_list("year", "rule_set_id")
    )


def _pending(conn):
    """This transaction's dirty subjects (sets of ids), flushed once after it commits."""
    state = conn.__dict__.get("_standing_dirty")
    alive = state is not None and any(func is state["flush"] for _s, func, _r in conn.run_on_commit)
    if not alive:
        state = {"person": set(), "unit": set(), "initiative": set()}
        state["flush"] = lambda: _flush(state)
        conn.__dict__["_standing_dirty"] = state
        transaction.on_commit(state["flush"])
    return state


def mark_dirty(*, persons=(), units=(), initiatives=()) -> None:
    """Note that these subjects' facts changed. Inside a transaction the ids are gathered
    and written once after it commits (a rolled-back change marks nothing; a bulk write
    marks each subject once); outside one, at once."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        _flush({"person": set(persons), "unit": set(units), "initiative": set(initiatives)})
        return
    state = _pending(conn)
    state["person"].update(i for i in persons if i)
    state["unit"].update(i for i in units if i)
    state["initiative"].update(i for i in initiatives if i)


def _flush(state: dict) -> None:
    """Write the dirty rows (upserts: a subject already waiting gets a fresh time) and send
    one drain task. Nothing is written while no year is stored."""
    persons, units = set(state["person"]), set(state["unit"])
    initiatives = state["initiative"]
    state["person"], state["unit"], state["initiative"] = set(), set(), set()
    if (
        not (persons or units or initiatives)
        or not VerdictPass.objects.filter(state=VerdictPass.State.DONE).exists()
    ):
        return
    if initiatives:
        persons.update(
            Initiative.objects.filter(id__in=initiatives).values_list("person_id", flat=True)
        )
    # A subject deleted in the same transaction (its rows went with it) is not marked.
    if persons:
        persons = set(Person.objects.filter(id__in=persons).values_list("id", flat=True))
    if units:
        units = set(Unit.objects.filter(id__in=units).values_list("id", flat=True))
    now = timezone.now()
    with transaction.atomic():
        if persons:
            DirtySubject.objects.bulk_create(
                [DirtySubject(person_id=i, marked_at=now) for i in persons],
                update_conflicts=True,
                unique_fields=["person"],
                update_fields=["marked_at"],
            )
        if units:
            DirtySubject.objects.bulk_create(
                [DirtySubject(unit_id=i, marked_at=now) for i in units],
                update_conflicts=True,
                unique_fields=["unit"],
                update_fields=["marked_at"],
            )
        from awards import tasks

        enqueue(tasks.drain_verdicts)


def drain_dirty(batch: int = DRAIN_BATCH) -> int:
    """Re-judge every dirty subject for each stored year, and forget it; a subject marked
    again meanwhile stays for the next drain. Does nothing while a pass runs (the pass
    drains when it ends). Returns how many subjects were re-judged."""
    if VerdictPass.objects.filter(state=VerdictPass.State.RUNNING).exists():
        return 0
    years = stored_years()
    done = 0
    while True:
        started = timezone.now()
        rows = list(
            DirtySubject.objects.order_by("pk").values_list("pk", "person_id", "unit_id")[:batch]
        )
        if not rows:
            return done
        persons = [p for _pk, p, _u in rows if p]
        units = [u for _pk, _p, u in rows if u]
        for year, rule_set_id in years.items():
            rejudge(year, rule_set_id, persons, units)
        DirtySubject.objects.filter(pk__in=[r[0] for r in rows], marked_at__lte=started).delete()
        done += len(rows)
        if len(rows) < batch:
            return done


def rejudge(year: int, rule_set_id: int, person_ids: list[int], unit_ids: list[int]) -> None:
    """Replace the standing verdicts of ``year`` for these people, these units and the units
    these people belong to (their members' counts changed), then recount their tallies."""
    rule_set = RuleSet.objects.get(pk=rule_set_id)
    codes = _award_ids()
    units = set(unit_ids)
    current = dict(Person.objects.filter(id__in=person_ids).values_list("id", "unit_id"))
    if person_ids:
        units.update(current.values())
        units.update(
            PersonYear.objects.filter(person_id__in=person_ids, year=year)
            .order_by()
            .values_list("unit_id", flat=True)
        )
        units.update(
            StoredVerdict.objects.filter(year=year, person_id__in=person_ids)
            .order_by()
            .values_list("scope_unit_id", flat=True)
            .distinct()
        )
    units.discard(None)
    units = sorted(units)
    rows = []
    if person_ids:
        rows += _rows(
            eligibility.judge(
                year, subject_type="person", subject_ids=person_ids, rule_set=rule_set
            ),
            year,
            rule_set,
            None,
            current,
            codes,
        )
    if units:
        sort = dict(
            StoredVerdict.objects.filter(year=year, unit_id__in=units)
            .order_by()
            .values_list("unit_id", "sort_key")
            .distinct()
        )
        for unit in Unit.objects.filter(id__in=[u for u in units if u not in sort]):
            sort[unit.pk] = UNIT_SORT_BASE + Unit.objects.filter(path__lt=unit.path).count()
        rows += _rows(
            eligibility.judge(year, subject_type="unit", subject_ids=units, rule_set=rule_set),
            year,
            rule_set,
            None,
            sort,
            codes,
        )
    with transaction.atomic():
        old = StoredVerdict.objects.filter(year=year).filter(
            Q(person_id__in=person_ids) | Q(unit_id__in=units)
        )
        scopes = set(old.order_by().values_list("scope_unit_id", flat=True).distinct())
        old.delete()
        insert_rows(StoredVerdict, FIELDS, rows)
        recount(year, rule_set_id, scopes | {r[5] for r in rows})


def request_passes_for_stored_years(actor, trigger: str) -> list[VerdictPass]:
    """A pass of every stored year (after an import, a rule change, at night)."""
    passes = []
    for year in stored_years():
        try:
            passes.append(request_pass(actor, year, trigger))
        except ValidationError:  # the year lost its rule set
            continue
    return passes


# --------------------------------------------------------------------------- signals


def _person_fact(sender, instance, **kwargs):
    mark_dirty(persons=[instance.person_id])


def _unit_fact(sender, instance, **kwargs):
    mark_dirty(units=[instance.unit_id])


def _person_year(sender, instance, **kwargs):
    mark_dirty(persons=[instance.person_id], units=[instance.unit_id])


def _person(sender, instance, **kwargs):
    # A deleted person's rows go with it; their unit's members changed.
    if kwargs.get("signal") is _post_delete:
        mark_dirty(units=[instance.unit_id])
    else:
        mark_dirty(persons=[instance.pk])


def _record(sender, instance, **kwargs):
    mark_dirty(persons=[instance.person_id], units=[instance.unit_id])


def _initiative_use(sender, instance, **kwargs):
    mark_dirty(initiatives=[instance.initiative_id])


def _rules_changed(sender, instance, **kwargs):
    if not stored_years():
        return
    transaction.on_commit(lambda: request_passes_for_stored_years(None, VerdictPass.Trigger.RULES))


def _imported(sender, actor=None, **kwargs):
    request_passes_for_stored_years(actor, VerdictPass.Trigger.IMPORT)


_post_delete = None


def connect() -> None:
    """Connect the model signals that mark subjects dirty (called from ``AppConfig.ready``).
    Writes that bypass signals (the importers' bulk writes) send ``units.signals.imported``
    instead, which asks for a pass of each stored year."""
    global _post_delete
    from django.db.models.signals import post_delete, post_save

    from awards.models import Rule
    from units.signals import facts_imported

    _post_delete = post_delete
    handlers = [
        (PersonYear, _person_year),
        (UnitRating, _unit_fact),
        (Discipline, _person_fact),
        (Initiative, _person_fact),
        (BlocMembership, _unit_fact),
        (Person, _person),
        (AwardRecord, _record),
        (InitiativeUse, _initiative_use),
        (Rule, _rules_changed),
    ]
    for model, handler in handlers:
        uid = f"standing-verdicts-{model.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=uid)
        post_delete.connect(handler, sender=model, dispatch_uid=uid + "-del")
    facts_imported.connect(_imported, dispatch_uid="standing-verdicts-import")
