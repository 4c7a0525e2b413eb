"""Drafting a decision: its texts (with defaults in the administrative style), its list
built from the nominations ready for a decision, a replacing draft, discarding a draft.
A draft is edited with a conditional UPDATE on ``version``; anything else is refused."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from awards.decisions.services.common import (
    clean,
    conflict,
    issuer_may_confer,
    lock,
    require,
)
from awards.models import (
    AwardCategory,
    AwardType,
    Decision,
    DecisionIssuer,
    DecisionItem,
    DecisionState,
    Nomination,
    NominationState,
    SignerPrefix,
)
from emulation_portal import audit
from emulation_portal.validators import LONG_TEXT_MAX, TITLE_MAX

TEXT_FIELDS = [
    "subject",
    "legal_bases",
    "articles",
    "recipients",
    "signer_prefix",
    "signer_for",
    "signer_title",
    "signer_name",
]
SHORT_FIELDS = {"subject": TITLE_MAX, "signer_for": 120, "signer_title": 120, "signer_name": 120}


def default_texts(issuer: DecisionIssuer, award_type: AwardType, year: int) -> dict:
    """The usual wording of a decision conferring ``award_type`` for ``year``."""
    if award_type.category == AwardCategory.TITLE:
        what = f"danh hiệu “{award_type.name_vi}” năm {year}"
    else:
        what = f"{award_type.name_vi} năm {year}"
    body = issuer.name.title() if issuer.is_ministry else issuer.name
    if issuer.is_ministry:
        bases = [
            "Căn cứ Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022",
            "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ quy định "
            "chi tiết một số điều của Luật Thi đua, Khen thưởng",
            f"Căn cứ Nghị định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {body}",
            "Theo đề nghị của Hội đồng Thi đua - Khen thưởng và Vụ trưởng Vụ Tổ chức cán bộ",
        ]
    else:
        bases = [
            "Căn cứ Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022",
            "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ quy định "
            "chi tiết một số điều của Luật Thi đua, Khen thưởng",
            f"Căn cứ Quyết định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {body}",
            "Theo đề nghị của Hội đồng Thi đua - Khen thưởng",
        ]
    articles = [
        f"Điều 1. Tặng {what} cho các cá nhân, tập thể có tên trong danh sách kèm theo Quyết "
        "định này, đã có thành tích xuất sắc trong thực hiện nhiệm vụ.",
        "Điều 2. Kèm theo danh hiệu (hình thức khen thưởng) là tiền thưởng theo quy định tại "
        "Nghị định số 152/2025/NĐ-CP, mức cụ thể ghi trong danh sách kèm theo.",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các đơn vị liên quan và "
        "các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
    ]
    return {
        "subject": f"Về việc tặng {what}",
        "legal_bases": "\n".join(bases),
        "articles": "\n".join(articles),
        "recipients": "Như Điều 3;\nLưu: VT, TCCB.",
        "signer_prefix": SignerPrefix.KT if issuer.is_ministry else SignerPrefix.NONE,
        "signer_for": issuer.head_title if issuer.is_ministry else "",
        "signer_title": "THỨ TRƯỞNG" if issuer.is_ministry else issuer.head_title,
        "signer_name": "",
    }


def _check_texts(values: dict) -> dict:
    out = {}
    for name in TEXT_FIELDS:
        if name not in values:
            continue
        value = clean(values[name])
        limit = SHORT_FIELDS.get(name, LONG_TEXT_MAX)
        if len(value) > limit:
            raise ValidationError(
                _("%(field)s is too long (at most %(n)s characters).")
                % {"field": Decision._meta.get_field(name).verbose_name, "n": limit}
            )
        if name == "signer_prefix" and value not in SignerPrefix.values:
            raise ValidationError(_("Choose an authority prefix from the list."))
        out[name] = value
    if "articles" in out and not out["articles"]:
        raise ValidationError(_("A decision needs at least one article."))
    if "subject" in out and not out["subject"]:
        raise ValidationError(_("A decision needs a subject line."))
    return out


def check_nominations(issuer: DecisionIssuer, award_type: AwardType, year: int, nominations):
    """Refuse, naming them, nominations that cannot go on this draft's list: another award
    or year, an award this issuer does not confer, or not approved."""
    problems = []
    for n in nominations:
        if n.award_type_id != award_type.pk or n.year != year:
            problems.append(
                _("%(who)s: the nomination is for %(award)s %(year)s.")
                % {"who": n.nominee, "award": n.award_type.code, "year": n.year}
            )
        elif not issuer_may_confer(issuer, n):
            problems.append(
                _("%(who)s: %(issuer)s does not confer %(award)s.")
                % {"who": n.nominee, "issuer": issuer.name, "award": n.award_type.code}
            )
        elif n.state != NominationState.APPROVED:
            problems.append(
                _("%(who)s: the nomination is “%(state)s”, not approved.")
                % {"who": n.nominee, "state": n.get_state_display()}
            )
    if problems:
        raise ValidationError(problems, code="not_ready")


def _write_items(decision: Decision, nominations) -> None:
    DecisionItem.objects.filter(decision=decision).delete()
    DecisionItem.objects.bulk_create(
        [
            DecisionItem(decision=decision, nomination=n, order=i)
            for i, n in enumerate(nominations, 1)
        ]
    )


def _ordered(nominations):
    """Units first, then people, each by proposing unit and name: the list's usual order."""
    return sorted(
        nominations,
        key=lambda n: (
            0 if n.unit_id else 1,
            n.proposing_unit.path,
            str(n.nominee),
            n.pk,
        ),
    )


def _load(ids) -> list[Nomination]:
    ids = [int(i) for i in ids]
    found = list(
        Nomination.objects.filter(pk__in=ids).select_related(
            "award_type", "proposing_unit", "person", "unit"
        )
    )
    if len(found) != len(set(ids)):
        raise ValidationError(_("Some of the chosen nominations do not exist."))
    return found


@transaction.atomic
def create_draft(
    actor,
    *,
    issuer: DecisionIssuer,
    award_type: AwardType,
    year: int,
    nomination_ids=(),
    **texts,
) -> Decision:
    """Create a draft decision of ``issuer`` conferring ``award_type`` for ``year``, with
    the default texts (overridden by ``texts``) and the given approved nominations as its
    list; audited as ``decision.create``."""
    require(actor, "decisions.manage")
    values = {**default_texts(issuer, award_type, int(year)), **_check_texts(texts)}
    nominations = _ordered(_load(nomination_ids))
    check_nominations(issuer, award_type, int(year), nominations)
    decision = Decision.objects.create(
        issuer=issuer,
        symbol=issuer.symbol,
        award_type=award_type,
        award_year=int(year),
        created_by=actor,
        **values,
    )
    _write_items(decision, nominations)
    audit.record(
        actor,
        "decision.create",
        decision,
        after={
            "issuer": issuer.pk,
            "award": award_type.code,
            "year": int(year),
            "nominations": [n.pk for n in nominations],
        },
    )
    return decision


@transaction.atomic
def update_draft(actor, decision: Decision, *, version: int | None = None, **texts) -> Decision:
    """Change a draft's texts; a signed decision is refused (a replacing decision fixes a
    content error). Audited as ``decision.update``."""
    d = lock(decision)
    require(actor, "decisions.manage", d)
    _require_draft(d)
    if version is not None and int(version) != d.version:
        raise conflict()
    values = _check_texts(texts)
    before = {k: getattr(d, k) for k in values}
    Decision.objects.filter(pk=d.pk, state=DecisionState.DRAFT).update(
        **values, version=F("version") + 1
    )
    d.refresh_from_db()
    audit.record(actor, "decision.update", d, before=before, after=values)
    return d


@transaction.atomic
def set_list(actor, decision: Decision, nomination_ids, *, version: int | None = None) -> Decision:
    """Replace a draft's list with the given nominations (approved ones, of its award,
    year and issuer; on a replacing draft also those its replaced decision conferred)."""
    d = lock(decision)
    require(actor, "decisions.manage", d)
    _require_draft(d)
    if version is not None and int(version) != d.version:
        raise conflict()
    nominations = _ordered(_load(nomination_ids))
    carried = _carried_ids(d)
    check_nominations(
        d.issuer, d.award_type, d.award_year, [n for n in nominations if n.pk not in carried]
    )
    before = list(d.items.values_list("nomination_id", flat=True))
    _write_items(d, nominations)
    Decision.objects.filter(pk=d.pk).update(version=F("version") + 1)
    d.refresh_from_db()
    audit.record(
        actor,
        "decision.list",
        d,
        before={"nominations": before},
        after={"nominations": [n.pk for n in nominations]},
    )
    return d


def _carried_ids(d: Decision) -> set[int]:
    """Nominations the replaced decision conferred: a replacing draft may list them."""
    if not d.replaces_id:
        return set()
    return set(
        DecisionItem.objects.filter(decision_id=d.replaces_id).values_list(
            "nomination_id", flat=True
        )
    )


def _require_draft(d: Decision) -> None:
    if d.state != DecisionState.DRAFT:
        raise ValidationError(
            _("A signed decision is never edited: issue a replacing decision."), code="signed"
        )


@transaction.atomic
def create_replacement(actor, decision: Decision) -> Decision:
    """A draft that replaces a signed (or published) decision with a content error: a copy
    of its texts and list pointing to it. Once signed, the replaced decision becomes
    ``replaced`` and its award records are superseded. Audited as ``decision.create``."""
    old = lock(decision)
    require(actor, "decisions.manage", old)
    if old.state not in (DecisionState.SIGNED, DecisionState.PUBLISHED):
        raise ValidationError(
            _("Only a signed decision can be replaced; this one is “%(state)s”.")
            % {"state": old.get_state_display()},
            code="bad_state",
        )
    existing = Decision.objects.filter(replaces=old).first()
    if existing is not None:
        raise ValidationError(
            _("A replacing decision already exists for %(ref)s (draft #%(id)s).")
            % {"ref": old.reference, "id": existing.pk},
            code="already_replaced",
        )
    values = {name: getattr(old, name) for name in TEXT_FIELDS}
    new = Decision.objects.create(
        issuer=old.issuer,
        symbol=old.symbol,
        award_type=old.award_type,
        award_year=old.award_year,
        replaces=old,
        created_by=actor,
        **values,
    )
    if f"Quyết định số {old.reference}" not in new.articles:
        Decision.objects.filter(pk=new.pk).update(
            articles=new.articles
            + "\n"
            + f"Quyết định này thay thế Quyết định số {old.reference} ngày "
            + old.date.strftime("%d/%m/%Y")
            + "."
        )
        new.refresh_from_db()
    DecisionItem.objects.bulk_create(
        [
            DecisionItem(decision=new, nomination_id=i.nomination_id, order=i.order)
            for i in old.items.order_by("order")
        ]
    )
    audit.record(actor, "decision.create", new, after={"replaces": old.pk})
    return new


@transaction.atomic
def discard_draft(actor, decision: Decision) -> None:
    """Delete a draft (a signed decision is never deleted); audited."""
    d = lock(decision)
    require(actor, "decisions.manage", d)
    _require_draft(d)
    audit.record(actor, "decision.discard", d, before={"subject": d.subject})
    d.items.all().delete()
    d.delete()
