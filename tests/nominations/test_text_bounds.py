"""A dossier's free text is bounded (emulation_portal.validators.LONG_TEXT_MAX) on the page
and through the API; nothing is saved when it is too long. Free text may start with a dash
(a list): only names refuse formula-like text, exports make free text inert."""

from awards.models import Nomination
from emulation_portal.validators import LONG_TEXT_MAX

API = "/api/v1/nominations/"
HUGE = "Thành tích xuất sắc. " * 10_000  # 210,000 characters


def test_api_refuses_a_200000_character_dossier_text(world, complete_bk, client):
    client.force_login(world.officer)
    response = client.patch(
        f"{API}{complete_bk.pk}/",
        {"version": complete_bk.version, "achievements": HUGE},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "achievements" in response.json()
    assert Nomination.objects.get(pk=complete_bk.pk).achievements == complete_bk.achievements


def test_dossier_page_refuses_a_200000_character_text(world, complete_bk, client):
    client.force_login(world.officer)
    response = client.post(
        f"/nominations/{complete_bk.pk}/edit/",
        {"version": complete_bk.version, "background": HUGE, "achievements": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["background"]
    assert Nomination.objects.get(pk=complete_bk.pk).background == complete_bk.background


def test_a_dash_list_at_the_limit_is_accepted(world, complete_bk, client):
    client.force_login(world.officer)
    text = ("- Hoàn thành xuất sắc nhiệm vụ.\n" * 1000)[: LONG_TEXT_MAX - 1].strip()
    response = client.patch(
        f"{API}{complete_bk.pk}/",
        {"version": complete_bk.version, "achievements": text},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Nomination.objects.get(pk=complete_bk.pk).achievements == text
