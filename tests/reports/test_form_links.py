"""The reporting page offers a unit officer the forms of their own units (a link without a
unit is the ministry's, a 403 for them); every form link it shows answers 200."""

import re

import pytest

from emulation_portal.models import Role
from units.models import UnitOfficer


def _form_links(client) -> list[str]:
    html = client.get("/reports/").content.decode()
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/reports/forms/[^"]+)"', html)]


@pytest.mark.parametrize("role", ["officer", "office"])
def test_every_form_link_opens(world, client, make_user, office_user, role):
    if role == "officer":
        user = make_user(Role.UNIT_OFFICER)
        UnitOfficer.objects.create(user=user, unit=world["vu"])
    else:
        user = office_user
    client.force_login(user)
    links = _form_links(client)
    assert links
    if role == "officer":
        assert all("unit=VU" in link for link in links)
    for link in links:
        assert client.get(link).status_code == 200, link
