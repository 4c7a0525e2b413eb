"""Demo nominations (seeder ``nominations``, order 40), written through the services.

For 2025, the year just closed:

- Two Bằng khen dossiers of Văn phòng Bộ (account ``donvi``): one returned by the office
  with comments per section and resubmitted; one with a negative verdict the office
  overrode with a reason.
- The unit with the most people eligible for a Bằng khen builds its list in one step from
  the engine's eligible people (the demo history already records the 2025 titles, so
  people holding the award are left out), trims it, attaches the letter and the minutes
  once, and submits it; the office starts reviewing half of it.
- The bloc proposals of Khối II become nominations in one step; the office publishes them
  with the Bằng khen nominees for comment (open today, five more days), a staff member
  objects and the office answers; they go to the council once the disclosure is over.
- Văn phòng Bộ's Giấy khen list (a title its head confers) runs inside the unit: built from
  the eligible people in one step and submitted by ``donvi`` (with no achievement on record,
  which a Giấy khen needs besides the rating, four people proposed one by one with the
  office's assessment), reviewed by a second officer of the unit (``donvi2``), half
  accepted for the unit's council.
- The office reopens the 2025 nominations deadline for Văn phòng Bộ, with a reason.

The one who proposes never reviews or decides the same nomination: ``thidua`` reviews what
the units propose; what the office itself proposes (the bloc's nominations, a list of a
unit without an officer) is reviewed, overridden and answered by a second office user
(``thidua2``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards import eligibility
from awards.models import AwardRecord, AwardType, Nomination
from awards.nominations import services
from units.models import Bloc, Unit

YEAR = 2025
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _fresh(user):
    for attr in ("_units_officer_scope", "_perm_cache"):
        user.__dict__.pop(attr, None)
    return user


def _deliberation(day: int = 12) -> dict:
    return {
        "deliberation_date": dt.date(YEAR, 12, day),
        "deliberation_attendees": 11,
        "deliberation_votes": 10,
    }


def _reviewers(ctx, vp):
    """The second office user and the second officer of Văn phòng Bộ, who review what
    ``thidua`` and ``donvi`` propose (created once, like every demo account)."""
    from emulation_portal.demo import demo_account
    from emulation_portal.models import Role
    from units import services as unit_services

    office2 = demo_account("thidua2", Role.OFFICE, "Hoàng Văn Bình (Vụ Tổ chức cán bộ)", ctx.actor)
    donvi2 = demo_account(
        "donvi2", Role.UNIT_OFFICER, "Đỗ Thị Mai (cán bộ thi đua, Văn phòng Bộ)", ctx.actor
    )
    unit_services.assign_officer(ctx.actor, user=donvi2, unit=vp)
    return office2, _fresh(donvi2)


def _try(ctx, label, func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        ctx.log(
            f"  nominations: {label} skipped ({'; '.join(getattr(exc, 'messages', [str(exc)]))})"
        )
        return None


def _list_unit(office, award_type):
    """The top-level unit with the most people eligible for ``award_type`` in ``YEAR`` who
    have neither received it nor a live nomination, and the officer acting for it (the
    office when the unit has none). One engine pass over the demo population."""
    from collections import Counter

    from units.models import Person, UnitOfficer

    eligible = [
        v.subject_id
        for v in eligibility.judge(YEAR, subject_type="person", award_codes=[award_type.code])
        if v.eligible
    ]
    taken = set(
        AwardRecord.objects.filter(award_type=award_type, year=YEAR).values_list(
            "person_id", flat=True
        )
    ) | set(
        Nomination.objects.filter(award_type=award_type, year=YEAR).values_list(
            "person_id", flat=True
        )
    )
    tops = Counter()
    for unit_id, parent_id, depth in Person.objects.filter(
        pk__in=[i for i in eligible if i not in taken]
    ).values_list("unit_id", "unit__parent_id", "unit__depth"):
        tops[unit_id if depth <= 1 else parent_id] += 1
    if not tops:
        return None, None
    unit = Unit.objects.get(pk=tops.most_common(1)[0][0])
    officer = UnitOfficer.objects.filter(unit=unit).select_related("user").first()
    return unit, _fresh(officer.user) if officer else office


def _built_list(ctx, clerk, unit, award_type, campaign, *, title, number, files):
    """A submission letter filled in one step from the engine's eligible people, with the
    letter and the minutes attached: (build result, batch), or (result, None) if empty."""
    built = _try(
        ctx,
        f"{award_type.code} list",
        services.build_batch,
        clerk,
        proposing_unit=unit,
        award_type=award_type,
        year=YEAR,
        campaign=campaign,
        title=title,
        number=number,
    )
    if built is None or not built.created:
        return built, None
    letter, minutes = files
    services.add_batch_attachment(clerk, built.batch, _file(letter), kind="submission_letter")
    services.add_batch_attachment(clerk, built.batch, _file(minutes), kind="minutes")
    return built, built.batch


def _gk_eligible(vp, gk) -> bool:
    """Whether anyone in Văn phòng Bộ's subtree qualifies for a Giấy khen on the record."""
    unit_ids = list(Unit.objects.filter(path__startswith=vp.path).values_list("pk", flat=True))
    return any(
        v.eligible
        for v in eligibility.judge(
            YEAR, subject_type="person", award_codes=[gk.code], unit_ids=unit_ids
        )
    )


def _gk_by_assessment(ctx, donvi, office, vp, gk, campaign) -> list[Nomination]:
    """A Giấy khen needs an achievement besides the rating (Law art. 75); with none on record
    the office assesses it. donvi proposes four of Văn phòng Bộ's people one by one, the
    office records its assessment (an override with the reason) and donvi submits them."""
    from units.models import Person

    taken = set(
        Nomination.objects.filter(award_type=gk, year=YEAR).values_list("person_id", flat=True)
    ) | set(
        AwardRecord.objects.filter(award_type=gk, year=YEAR).values_list("person_id", flat=True)
    )
    people = [
        p
        for p in Person.objects.filter(unit__path__startswith=vp.path).order_by("code")[:40]
        if p.pk not in taken
    ][:4]
    done = []
    for person in people:
        n = _try(
            ctx,
            f"GK {person.code}",
            services.create_nomination,
            donvi,
            award_type=gk,
            year=YEAR,
            proposing_unit=vp,
            person=person,
            campaign=campaign,
            **_deliberation(10),
        )
        if n is None:
            continue
        services.add_attachment(donvi, n, _file("to-trinh-08-TTr-VP.pdf"), kind="submission_letter")
        services.add_attachment(donvi, n, _file("bien-ban-vp.pdf"), kind="minutes")
        if services.record_verdict(office, n).eligible is False:
            services.override_verdict(
                office,
                n,
                reason="Có thành tích trong phong trào thi đua chuyển đổi số của Văn phòng Bộ "
                "năm 2025 (Điều 75 Luật Thi đua, khen thưởng); Thường trực đã thẩm định.",
            )
        n = _try(ctx, f"submit GK {person.code}", services.transition, _fresh(donvi), n, "submit")
        if n is not None:
            done.append(n)
    return done


def seed(ctx) -> None:
    if Nomination.objects.exists():
        ctx.log("  nominations: already seeded")
        return
    office, donvi = _user("thidua"), _user("donvi")
    vp = Unit.objects.filter(code="VP_BO").first()
    if office is None or donvi is None or vp is None:
        ctx.log("  nominations: needs the units seeder (donvi, VP_BO) and thidua; skipped")
        return
    donvi = _fresh(donvi)
    office2, donvi2 = _reviewers(ctx, vp)
    from campaigns.models import Campaign

    campaign = Campaign.objects.filter(year=YEAR, kind="annual").first()
    today = timezone.localdate()
    if campaign is not None:
        _try(
            ctx,
            "reopen deadline",
            services.reopen_deadline,
            office,
            campaign=campaign,
            unit=vp,
            closes_on=max(today + dt.timedelta(days=14), dt.date(YEAR + 1, 3, 16)),
            reason="Văn phòng Bộ bổ sung hồ sơ sau đợt rà soát tổ chức bộ máy.",
        )

    # 1. Bằng khen: one returned and resubmitted, one overridden
    bk = AwardType.objects.get(code="BK_BO")
    people = list(vp.people.all()) + [
        p for u in Unit.objects.filter(parent=vp) for p in u.people.all()
    ]
    verdicts = {
        v.subject_id: v
        for v in eligibility.judge(
            YEAR, subject_type="person", subject_ids=[p.pk for p in people], award_codes=["BK_BO"]
        )
    }
    held = set(
        AwardRecord.objects.filter(award_type=bk, year=YEAR).values_list("person_id", flat=True)
    )
    people = [p for p in people if p.pk not in held and p.pk in verdicts]
    good = [p for p in people if verdicts[p.pk].eligible]
    bad = [p for p in people if not verdicts[p.pk].eligible]
    disclosed = []
    returned = good[0] if good else (bad[1] if len(bad) > 1 else None)
    for person, story in ((returned, "returned"), (bad[0] if bad else None, "override")):
        if person is None:
            continue
        n = _try(
            ctx,
            f"BK_BO {person.code}",
            services.create_nomination,
            donvi,
            award_type=bk,
            year=YEAR,
            proposing_unit=vp,
            person=person,
            campaign=campaign,
            background=f"{person.full_name}, {person.position or 'chuyên viên'}, {vp.name}.",
            achievements=(
                "Hoàn thành xuất sắc nhiệm vụ được giao; chủ trì tham mưu chuyển đổi số "
                "quy trình văn thư, rút ngắn 30% thời gian xử lý văn bản đến."
            ),
            **_deliberation(15),
        )
        if n is None:
            continue
        services.add_attachment(donvi, n, _file("to-trinh-bang-khen.pdf"), kind="submission_letter")
        services.add_attachment(donvi, n, _file("bien-ban-hop-hoi-dong.pdf"), kind="minutes")
        if story == "override" or not verdicts[person.pk].eligible:
            services.override_verdict(
                office,
                n,
                reason="Thành tích đột xuất trong ứng phó bão số 3 (Yagi); Thường trực Hội đồng "
                "đề nghị xem xét theo Điều 74 Luật Thi đua, khen thưởng.",
            )
        n = services.transition(_fresh(donvi), n, "submit")
        n = services.transition(office, n, "start_review")
        if story == "returned":
            n = services.transition(
                office,
                n,
                "return",
                comments=[
                    ("achievements", "Bổ sung số liệu cụ thể về kết quả chuyển đổi số năm 2025."),
                    ("attachments", "Biên bản họp thiếu chữ ký của thư ký cuộc họp."),
                ],
            )
            n = services.update_dossier(
                donvi,
                n,
                version=n.version,
                achievements=n.achievements + " Đã số hóa 12.500 văn bản; 100% hồ sơ trực tuyến.",
            )
            services.add_attachment(donvi, n, _file("bien-ban-da-ky.pdf"), kind="minutes")
            n = services.transition(_fresh(donvi), n, "submit")
            n = services.transition(office, n, "start_review")
        disclosed.append(n)

    # 2. a unit's Bằng khen list, built from the eligible people in one step (those who
    # already received it for the year are left out), trimmed, submitted: the unit with
    # the most such people, by its own officer
    list_unit, clerk = _list_unit(office, bk)
    built = batch = None
    if list_unit is not None:
        built, batch = _built_list(
            ctx,
            clerk,
            list_unit,
            bk,
            campaign,
            title=f"Tờ trình đề nghị tặng Bằng khen của Bộ trưởng năm {YEAR}",
            number="15/TTr-TCCB",
            files=("to-trinh-15-TTr.pdf", "bien-ban-binh-xet.pdf"),
        )
    if batch is not None:
        rows = list(batch.nominations.select_related("person").order_by("id"))
        if len(rows) > 1:
            services.transition(clerk, rows[-1], "withdraw", note="Chuyển công tác trong năm.")
            rows = rows[:-1]
        for n in rows:
            services.update_dossier(
                clerk,
                n,
                version=n.version,
                background=f"{n.person.full_name}, {n.person.position or 'chuyên viên'}.",
                achievements="Hoàn thành xuất sắc nhiệm vụ hai năm liên tục; có sáng kiến "
                "được áp dụng tại đơn vị.",
                **_deliberation(),
            )
        result = services.submit_batch(_fresh(clerk), batch)
        reviewed = services.bulk_transition(
            office2 if clerk == office else office,
            list(Nomination.objects.filter(pk__in=result.done[: len(result.done) // 2])),
            "start_review",
        )
        ctx.log(
            f"  nominations: BK_BO list of {built.created} ({built.skipped} skipped), "
            f"{len(result.done)} submitted, {len(reviewed.done)} under review"
        )

    # 3. A title the unit head confers runs inside the unit:
    # Văn phòng Bộ's Giấy khen list, built from the eligible people and submitted by donvi,
    # reviewed by the unit's second officer, who accepts half of it for the unit's council
    gk = AwardType.objects.filter(code="GK").first()
    done = []
    if gk is not None and _gk_eligible(vp, gk):
        _built, batch = _built_list(
            ctx,
            donvi,
            vp,
            gk,
            campaign,
            title=f"Tờ trình đề nghị tặng Giấy khen của Chánh Văn phòng Bộ năm {YEAR}",
            number="08/TTr-VP",
            files=("to-trinh-08-TTr-VP.pdf", "bien-ban-vp.pdf"),
        )
        if batch is not None:
            for n in batch.nominations.order_by("id"):
                services.update_dossier(donvi, n, version=n.version, **_deliberation(10))
            result = services.submit_batch(_fresh(donvi), batch)
            done = list(Nomination.objects.filter(pk__in=result.done).order_by("id"))
    elif gk is not None:
        done = _gk_by_assessment(ctx, donvi, office, vp, gk, campaign)
    if done:
        services.bulk_transition(donvi2, done, "start_review")
        accepted = services.bulk_transition(
            donvi2,
            list(Nomination.objects.filter(pk__in=[n.pk for n in done[: len(done) // 2]])),
            "accept",
        )
        ctx.log(
            f"  nominations: GK of Văn phòng Bộ, {len(done)} submitted by donvi, "
            f"{len(accepted.done)} accepted inside the unit by donvi2"
        )

    # 4. Khối II's proposals become nominations, then disclosure, objection, answer; the
    # office proposes them on the bloc's behalf, so its second user reviews them
    bloc = Bloc.objects.filter(code="KHOI_II").first()
    if bloc is not None:
        made = _try(
            ctx,
            "bloc proposals",
            services.nominations_from_proposals,
            office,
            bloc=bloc,
            year=YEAR,
            campaign=campaign,
        )
        for n in made.created if made else []:
            n = services.update_dossier(
                office,
                n,
                version=n.version,
                background=f"{n.unit.name}: đơn vị thành viên {bloc.name} năm {YEAR}.",
                achievements=(
                    f"Được {bloc.name} suy tôn tại hội nghị tổng kết năm {YEAR}; hoàn thành "
                    "xuất sắc các chỉ tiêu giao ước thi đua."
                ),
            )
            services.add_attachment(
                office, n, _file("to-trinh-khoi-II.pdf"), kind="submission_letter"
            )
            if services.record_verdict(office, n).eligible is False:
                services.override_verdict(
                    office2,
                    n,
                    reason=f"Được {bloc.name} suy tôn (biên bản hội nghị tổng kết năm {YEAR}); "
                    "tiêu chí phong trào do Thường trực Hội đồng đánh giá.",
                )
            n = _try(ctx, f"submit {n}", services.transition, office, n, "submit")
            if n is not None:
                disclosed.append(services.transition(office2, n, "start_review"))
    if disclosed:
        disclosure = services.publish_disclosure(
            office,
            title=f"Công khai danh sách đề nghị khen thưởng cấp Bộ năm {YEAR}",
            year=YEAR,
            starts_on=today - dt.timedelta(days=2),
            ends_on=today + dt.timedelta(days=5),
            nominations=disclosed,
        )
        viewer = _user("xem")
        if viewer is not None:
            objection = services.raise_objection(
                viewer,
                disclosed[0],
                text="Đề nghị làm rõ số liệu thành tích chuyển đổi số đã nêu trong báo cáo.",
            )
            proposers = set(disclosed[0].proposers.values_list("user_id", flat=True))
            services.answer_objection(
                office2 if office.pk in proposers else office,
                objection,
                answer="Đã đối chiếu với báo cáo của Văn phòng Bộ; số liệu chính xác.",
            )
            # Not accepted yet: the disclosure runs five more days, then the list goes to
            # the council.
        ctx.log(f"  nominations: disclosure “{disclosure.title}” with {len(disclosed)} nominees")
    ctx.log(f"  nominations: {Nomination.objects.count()} nominations")
