"""Campaigns' free text (description, reasons, minutes, pledges, evidence) is bounded at
LONG_TEXT_MAX on the pages and through the API; nothing is saved when it is too long."""

import pytest

from campaigns.models import Campaign
from emulation_portal.validators import LONG_TEXT_MAX

pytestmark = pytest.mark.django_db
HUGE = "Nâng cao chất lượng. " * 10_000  # 210,000 characters
BODY = {
    "year": 2026,
    "kind": "annual",
    "name": "Thi đua năm 2026",
    "theme": "",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
}


def test_api_refuses_a_200000_character_description(client, office_user):
    client.force_login(office_user)
    r = client.post("/api/v1/campaigns/", {**BODY, "description": HUGE})
    assert r.status_code == 400 and "description" in r.json()
    assert not Campaign.objects.exists()
    r = client.post("/api/v1/campaigns/", {**BODY, "description": "- một\n- hai"})
    assert r.status_code == 201, r.json()


def test_page_form_refuses_a_200000_character_description():
    from campaigns.forms import CampaignForm

    form = CampaignForm(data={**BODY, "description": HUGE})
    assert not form.is_valid() and "description" in form.errors
    form = CampaignForm(data={**BODY, "description": "x" * LONG_TEXT_MAX})
    assert "description" not in form.errors
