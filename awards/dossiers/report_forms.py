"""The achievement-report forms (báo cáo thành tích), chosen by the nominee (person or
unit) and the kind of the nomination (regular merit, ad hoc, ...).

Modelled: regular merit for a person (Mẫu 05 of NĐ 152/2025's appendix: I background,
II achievements, III rewards already received), regular merit for a collective (I features
and organisation, II achievements, III rewards already received) and ad hoc, person and
collective (I background or features, II the feat). Other kinds (long service, thematic,
foreign) use the regular form of their nominee until their own is added.

Adding a form: put a ``ReportForm`` in ``FORMS`` under its (subject, kind) key with its
printed number (empty when not confirmed in the decree), its subject line and its parts;
``awards.dossiers.services.papers`` reads only this table."""

from __future__ import annotations

from dataclasses import dataclass

from awards.models import AwardKind


@dataclass(frozen=True)
class ReportForm:
    code: str
    form_no: str  # printed top right ("Mẫu số 05"); "" when the number is not confirmed
    subject: str  # "{award}" and "{year}" are filled in
    part_background: str
    part_achievements: str
    part_rewards: str  # "" when the form has no part III
    signer_left: str
    signer_right: str


PERSON_REGULAR = ReportForm(
    code="person_regular",
    form_no="Mẫu số 05",
    subject="Đề nghị tặng {award} năm {year}",
    part_background="I. SƠ LƯỢC LÝ LỊCH",
    part_achievements="II. THÀNH TÍCH ĐẠT ĐƯỢC",
    part_rewards="III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
    signer_left="THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ",
    signer_right="NGƯỜI BÁO CÁO THÀNH TÍCH",
)
UNIT_REGULAR = ReportForm(
    code="unit_regular",
    form_no="",
    subject="Đề nghị tặng {award} năm {year}",
    part_background="I. ĐẶC ĐIỂM, TÌNH HÌNH",
    part_achievements="II. THÀNH TÍCH ĐẠT ĐƯỢC",
    part_rewards="III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
    signer_left="XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG",
    signer_right="THỦ TRƯỞNG ĐƠN VỊ",
)
PERSON_AD_HOC = ReportForm(
    code="person_ad_hoc",
    form_no="",
    subject="Đề nghị khen thưởng đột xuất: {award}",
    part_background="I. SƠ LƯỢC LÝ LỊCH",
    part_achievements="II. NỘI DUNG THÀNH TÍCH",
    part_rewards="",
    signer_left="THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ",
    signer_right="NGƯỜI BÁO CÁO THÀNH TÍCH",
)
UNIT_AD_HOC = ReportForm(
    code="unit_ad_hoc",
    form_no="",
    subject="Đề nghị khen thưởng đột xuất: {award}",
    part_background="I. ĐẶC ĐIỂM, TÌNH HÌNH",
    part_achievements="II. NỘI DUNG THÀNH TÍCH",
    part_rewards="",
    signer_left="XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG",
    signer_right="THỦ TRƯỞNG ĐƠN VỊ",
)

FORMS: dict[tuple[str, str], ReportForm] = {
    ("person", AwardKind.CONG_TRANG): PERSON_REGULAR,
    ("unit", AwardKind.CONG_TRANG): UNIT_REGULAR,
    ("person", AwardKind.DOT_XUAT): PERSON_AD_HOC,
    ("unit", AwardKind.DOT_XUAT): UNIT_AD_HOC,
}


def form_for(subject_type: str, kind: str) -> ReportForm:
    """The form for a nominee (``person``/``unit``) and a nomination kind; a kind without a
    form of its own takes the nominee's regular form."""
    return FORMS.get((subject_type, kind)) or FORMS[(subject_type, AwardKind.CONG_TRANG)]
