import pytest

from emulation_portal.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_logs_in_in_vietnamese_and_sees_its_navigation(page, login, make_user):
    office = make_user(Role.OFFICE, username="thidua_test", full_name="Nguyễn Thị Ánh Tuyết")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Đăng nhập"
    login(office)
    assert page.locator("h1").inner_text() == "Xin chào, Nguyễn Thị Ánh Tuyết"
    nav = page.locator("nav.mainnav")
    assert nav.get_by_role("link", name="Trang chủ").is_visible()
    assert nav.get_by_role("link", name="Nhật ký nghiệp vụ").is_visible()
    nav.get_by_role("link", name="Nhật ký nghiệp vụ").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Nhật ký nghiệp vụ"


def test_language_switch_turns_the_page_english(page, login, make_user):
    login(make_user(Role.VIEWER, username="xem_test"))
    page.select_option("#lang-select", "en")  # portal.js submits the form on change
    page.wait_for_load_state()
    page.wait_for_selector("text=Log out")
    assert page.locator("html").get_attribute("lang") == "en"


def test_viewer_does_not_see_the_audit_log(page, login, make_user):
    login(make_user(Role.VIEWER, username="xem_test2"))
    assert page.locator("nav.mainnav").get_by_role("link", name="Nhật ký nghiệp vụ").count() == 0
