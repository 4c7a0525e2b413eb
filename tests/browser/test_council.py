"""The council on a phone: the office opens a session, three members vote on a 390x844
screen (approve all, change an exception, review, cast, keep the receipt), the chair
closes it, and the minutes PDF is downloaded and its text read."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from awards.council import services
from awards.models import AttendanceStatus, AwardType, Ballot, MemberRole, Nomination
from emulation_portal.models import Role
from tests.factories import UserFactory
from tests.nominations import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _world():
    ministry = f.unit("BO_HD", "Bộ Nông nghiệp và Môi trường", kind="BO")
    vp = f.unit("VP_HD", "Văn phòng Bộ", parent=ministry, kind="VAN_PHONG")
    office = UserFactory(role=Role.OFFICE, username="thidua_hd")
    council = services.create_council(
        office, name="Hội đồng Thi đua - Khen thưởng Bộ", level="ministry", unit=ministry
    )
    term = services.create_term(
        office, council, starts_on=dt.date(2025, 1, 1), decision_number="100/QĐ-BNNMT"
    )
    names = ["Trần Văn Chủ", "Lê Thị Hoa", "Phạm Văn Đức", "Ngô Thị Lan", "Đỗ Văn Thư"]
    roles = [MemberRole.CHAIR] + [MemberRole.MEMBER] * 3 + [MemberRole.SECRETARY]
    members = []
    for i, (name, role) in enumerate(zip(names, roles, strict=True), 1):
        first, last = name.rsplit(" ", 1)[1], name.rsplit(" ", 1)[0]
        user = UserFactory(role=Role.COUNCIL, username=f"hdp{i}", first_name=first, last_name=last)
        members.append(services.add_member(office, term, user=user, role=role, order=i))
    people = [f.person(vp, f"HDP{i}", n) for i, n in enumerate(["Vũ Thị Mai", "Hoàng Văn Nam"])]
    noms = [
        Nomination.objects.create(
            person=p,
            award_type=AwardType.objects.get(code="CSTD_BO"),
            year=2025,
            proposing_unit=vp,
            level="ministry",
            state="accepted",
        )
        for p in people
    ]
    s = services.create_session(
        office,
        council,
        title="Phiên họp xét khen thưởng năm 2025",
        date=dt.date(2026, 1, 20),
        year=2025,
        place="Hà Nội",
    )
    assert not services.build_agenda(office, s, noms).refused
    for m in members:
        services.set_attendance(office, s, m, AttendanceStatus.PRESENT)
    return office, members, s


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True
    )
    outside = []

    def guard(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context, outside


def _login(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-Secret-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_office_opens_three_members_vote_on_a_phone_chair_closes_minutes_read(
    page, login, browser, live_server
):
    from pypdf import PdfReader

    office, members, s = _world()
    chair, voters = members[0], members[1:4]

    login(office)
    page.goto(f"/council/sessions/{s.pk}/")
    assert page.locator("[data-quorum]").get_attribute("data-quorum") == "met"
    page.click("button[data-move=open]")
    page.wait_for_load_state()
    assert page.locator("h1 + p [data-state]").get_attribute("data-state") == "open"

    items = list(s.items.order_by("order"))
    receipts = []
    for i, voter in enumerate(voters):
        context, outside = _phone(browser, live_server)
        phone = context.new_page()
        _login(phone, voter.user)
        phone.goto(f"/council/sessions/{s.pk}/")
        phone.click("a[data-action=vote]")
        phone.wait_for_load_state()
        # approve all is the starting point; nothing is wider than the phone's screen
        assert phone.locator("input[value=approve]:checked").count() == 2
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        if i == 0:  # one exception: the first member disapproves the second nominee
            phone.locator(f"fieldset[data-item='{items[1].pk}'] input[value=disapprove]").check()
        phone.click("button[value=review]")
        phone.wait_for_load_state()
        expected = "disapprove" if i == 0 else "approve"
        assert (
            phone.locator(f"li[data-item='{items[1].pk}']").get_attribute("data-choice") == expected
        )
        phone.click("button[data-action=cast]")
        phone.wait_for_load_state()
        code = phone.locator("[data-receipt]").get_attribute("data-receipt")
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert "Hãy giữ mã này" in phone.content()
        receipts.append(code)
        context.close()
        assert not outside, outside
    assert sorted(receipts) == sorted(
        Ballot.objects.filter(session=s).values_list("receipt", flat=True)
    )

    context, outside = _phone(browser, live_server)
    phone = context.new_page()
    _login(phone, chair.user)
    phone.goto(f"/council/sessions/{s.pk}/")
    assert phone.locator("#council-progress [data-cast]").get_attribute("data-cast") == "3"
    phone.once("dialog", lambda d: d.accept())
    phone.click("button[data-move=close]")
    phone.wait_for_load_state()
    assert phone.locator("h1 + p [data-state]").get_attribute("data-state") == "closed"
    with phone.expect_download() as info:
        phone.click("a[data-action=minutes]")
    pdf = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for expected in (
        "BIÊN BẢN",
        "Hội đồng Thi đua - Khen thưởng Bộ",
        "Tổng số thành viên Hội đồng: 5",
        "Vũ Thị Mai",
        "3/5",  # three approvals of five members: 60.0% fails 90%
        "60,0%",
        "2/5",
        "Không đạt",
        "Trần Văn Chủ",
        "Đỗ Văn Thư",
    ):
        assert expected in text, (expected, text)
    # the receipts are published to the members after closing
    phone.goto(f"/council/sessions/{s.pk}/results/")
    for code in receipts:
        assert phone.locator(f"tr[data-receipt='{code}']").count() == 1
    context.close()
    assert not outside, outside
