"""The papers of a nomination, described once (``paper.Paper``) for the PDF and the Word
copy: the unit's submission letter (tờ trình, Mẫu 01) with its list, and the nominee's
achievement report in the form for its kind (``awards.dossiers.report_forms``)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from awards import selectors
from awards.decisions.services.common import lines, vn_date
from awards.dossiers.report_forms import form_for
from awards.dossiers.services.paper import (
    Paper,
    heading,
    line,
    page_break,
    para,
    recipients,
    signatures,
    table,
)
from awards.models import Batch, Nomination, NominationState

PAPER_TEMPLATE = "pdf/paper.html"
GENDER = {"F": "Nữ", "M": "Nam"}
DEAD_STATES = (NominationState.WITHDRAWN, NominationState.REJECTED)


def _sentence(name: str) -> str:
    """``BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG`` -> ``Bộ Nông nghiệp và Môi trường``."""
    from awards.decisions.services.documents import _sentence as sentence

    return sentence(name)


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _unit_header(unit) -> tuple[str, str]:
    """(issuing body, the unit under it) as printed top left."""
    if unit.parent_id:
        return unit.parent.name.upper(), unit.name.upper()
    return unit.name.upper(), ""


def _place_date(day) -> str:
    return f"{settings.PORTAL_PLACE}, {vn_date(day)}"


def _legal_bases(day) -> list[str]:
    """One "Căn cứ ..." per act of the rule set in force on ``day``."""
    rule_set = selectors.rule_set_in_force(day)
    acts = [a.strip(" .") for a in (rule_set.legal_reference if rule_set else "").split(";")]
    acts = [a for a in acts if a] or ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"]
    return [f"Căn cứ {a}" for a in acts]


def _detail(n: Nomination) -> str:
    if n.person_id:
        return ", ".join(x for x in (n.person.position, n.person.unit.name) if x)
    return n.unit.parent.name if n.unit.parent_id else ""


def letter_nominations(batch: Batch) -> list[Nomination]:
    return list(
        batch.nominations.exclude(state__in=DEAD_STATES)
        .select_related("person__unit", "unit__parent", "award_type")
        .order_by("unit_id", "person__full_name", "id")
    )


def letter_paper(batch: Batch) -> Paper:
    """The submission letter (Mẫu 01) of a unit's list, with the list attached."""
    unit = batch.proposing_unit
    body, sub = _unit_header(unit)
    day = timezone.localtime(batch.created_at).date()
    noms = letter_nominations(batch)
    units = sum(1 for n in noms if n.unit_id)
    people = len(noms) - units
    awards = sorted({n.award_type.name_vi for n in noms})
    award_text = ", ".join(awards) or (batch.award_type.name_vi if batch.award_type else "")
    ministry = _sentence(settings.PORTAL_ISSUING_BODY)
    counted = " và ".join(
        x
        for x in (
            f"{units:02d} tập thể" if units else "",
            f"{people:02d} cá nhân" if people else "",
        )
        if x
    )
    bases = _legal_bases(day)
    blocks = [
        para(b + (";" if i < len(bases) - 1 else "."), italic=True) for i, b in enumerate(bases)
    ]
    blocks += [
        para(
            f"Căn cứ kết quả bình xét thi đua, khen thưởng năm {batch.year} của {unit.name}, "
            f"{unit.name} kính trình Bộ trưởng {ministry} xem xét, tặng {award_text} "
            f"năm {batch.year} cho {counted or 'các trường hợp'} (có danh sách kèm theo)."
        ),
        para(f"{unit.name} kính trình Bộ trưởng xem xét, quyết định./."),
        signatures(
            {"lines": ["THỦ TRƯỞNG ĐƠN VỊ"], "name": ""},
        ),
        recipients(["Như trên;", "Lưu: VT."]),
        page_break(),
        heading("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"),
        para(
            f"(Kèm theo Tờ trình số {batch.number or '     '} {vn_date(day)} của {unit.name})",
            italic=True,
            center=True,
        ),
        table(
            [["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Hình thức đề nghị"]]
            + [
                [f"{i}", str(n.nominee), _detail(n), n.award_type.name_vi]
                for i, n in enumerate(noms, start=1)
            ],
            widths=[8, 34, 34, 24],
        ),
    ]
    return Paper(
        issuing_body=body,
        issuer_sub=sub,
        number_line=f"Số: {batch.number}" if batch.number else "Số:      /TTr",
        place_date=_place_date(day),
        doc_type="TỜ TRÌNH",
        subject=batch.title,
        addressee=f"Kính gửi: Bộ trưởng {ministry}",
        blocks=blocks,
        title=f"Tờ trình {batch.number}".strip(),
    )


def _history_rows(subject) -> list[list[str]]:
    rows = []
    for r in selectors.award_history(subject):
        ref = ", ".join(x for x in (r.decision_number, _dmy(r.decision_date)) if x)
        rows.append([str(r.year), r.award_type.name_vi, ref])
    return rows


def report_paper(n: Nomination) -> Paper:
    """The achievement report of a nomination in the form for its nominee and kind: part I
    from the registry and the nominee's own text, II the achievements, III the rewards
    already received, from the award records and the nominee's own list."""
    form = form_for(n.subject_type, n.kind)
    body, sub = _unit_header(n.proposing_unit)
    day = timezone.localtime(n.submitted_at or n.created_at).date()
    blocks = [heading(form.part_background)]
    if n.person_id:
        p = n.person
        blocks += [
            line(f"- Họ và tên: {p.full_name}"),
            line(f"- Giới tính: {GENDER.get(p.gender, '')}"),
            line(f"- Ngày, tháng, năm sinh: {_dmy(p.birth_date)}"),
            line(f"- Chức vụ: {p.position}"),
            line(f"- Đơn vị công tác: {p.unit.name}"),
        ]
        signer_name = p.full_name
    else:
        u = n.unit
        blocks += [line(f"- Tên tập thể: {u.name}")]
        if u.parent_id:
            blocks.append(line(f"- Đơn vị cấp trên: {u.parent.name}"))
        signer_name = ""
    blocks += [para(x) for x in lines(n.background)]
    blocks.append(heading(form.part_achievements))
    blocks += [para(x) for x in lines(n.achievements)] or [para("(Chưa nhập nội dung.)")]
    if form.part_rewards:
        blocks.append(heading(form.part_rewards))
        history = _history_rows(n.nominee)
        if history:
            blocks.append(
                table(
                    [["Năm", "Hình thức khen thưởng", "Số, ngày quyết định"], *history],
                    [12, 50, 38],
                )
            )
        blocks += [para(x) for x in lines(n.rewards_received)]
        if not history and not lines(n.rewards_received):
            blocks.append(para("Chưa có."))
    blocks.append(
        signatures(
            {"lines": [form.signer_left], "name": ""},
            {"lines": [form.signer_right], "name": signer_name},
        )
    )
    award = n.award_type.name_vi
    return Paper(
        issuing_body=body,
        issuer_sub=sub,
        number_line=form.form_no,
        place_date=_place_date(day),
        doc_type="BÁO CÁO THÀNH TÍCH",
        subject=form.subject.format(award=award, year=n.year),
        blocks=blocks,
        title=f"Báo cáo thành tích {n.nominee}",
    )


def paper_html(paper: Paper) -> str:
    with override("vi"):
        return render_to_string(
            PAPER_TEMPLATE, {"paper": paper, "issuing_body": paper.issuing_body}
        )


def content_key(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()
