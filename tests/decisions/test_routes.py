"""Every decisions route, for each role, on an existing and a missing id: never a 5xx."""

import datetime as dt

import pytest

from awards.decisions import services
from awards.models import AwardType
from emulation_portal.models import Role
from tests.decisions.conftest import approved

ROUTES = [
    "/decisions/",
    "/decisions/new/",
    "/decisions/{d}/",
    "/decisions/{d}/decision.pdf",
    "/decisions/{d}/certificates/{i}.pdf",
    "/api/v1/decisions/",
    "/api/v1/decisions/{d}/",
    "/api/v1/decisions/{d}/items/",
    "/api/v1/decisions/{d}/documents/",
    "/api/v1/decision-submissions/",
]
POSTS = ["/decisions/{d}/move/", "/decisions/{d}/edit/", "/decisions/{d}/list/", "/decisions/new/"]


@pytest.mark.parametrize("role", [None, Role.VIEWER, Role.UNIT_OFFICER, Role.COUNCIL, Role.OFFICE])
def test_no_5xx(world, client, make_user, role):
    d = services.create_draft(
        world.office,
        issuer=world.issuer,
        award_type=AwardType.objects.get(code="BK_BO"),
        year=2025,
        nomination_ids=[approved(world.people[0], "BK_BO").pk],
    )
    signed = services.sign(
        world.office,
        services.create_draft(
            world.office,
            issuer=world.issuer,
            award_type=AwardType.objects.get(code="BK_BO"),
            year=2025,
            nomination_ids=[approved(world.people[1], "BK_BO").pk],
        ),
        date=dt.date(2026, 2, 5),
    )
    if role:
        client.force_login(make_user(role, username=f"u-{role}"))
    for ids in (
        {"d": d.pk, "i": d.items.get().pk},
        {"d": signed.pk, "i": signed.items.get().pk},
        {"d": 999, "i": 999},
    ):
        for route in ROUTES:
            r = client.get(route.format(**ids))
            assert r.status_code < 500, (route, r.status_code)
        for route in POSTS:
            for data in (
                {},
                {"move": "sign", "version": "x", "date": "bad"},
                {"move": "zzz"},
                {"nomination": ["a", "999"], "version": "1"},
            ):
                r = client.post(route.format(**ids), data)
                assert r.status_code < 500, (route, data, r.status_code)
