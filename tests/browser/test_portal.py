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
    # the audit log sits in the "Quản trị" menu, closed until opened
    assert not nav.get_by_role("link", name="Nhật ký nghiệp vụ").is_visible()
    nav.locator("summary", has_text="Quản trị").click()
    assert nav.get_by_role("link", name="Nhật ký nghiệp vụ").is_visible()
    nav.get_by_role("link", name="Nhật ký nghiệp vụ").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Nhật ký nghiệp vụ"
    # one entry current, inside the menu marked current
    assert page.locator('nav.mainnav [aria-current="page"]').count() == 1
    assert page.locator("nav.mainnav details.current summary").inner_text().startswith("Quản trị")


def test_menus_work_by_keyboard(page, login, make_user):
    login(make_user(Role.OFFICE, username="thidua_kb"))
    summary = page.locator("nav.mainnav summary", has_text="Quản trị")
    summary.focus()
    page.keyboard.press("Enter")
    audit = page.locator("nav.mainnav").get_by_role("link", name="Nhật ký nghiệp vụ")
    assert audit.is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")  # portal.js closes the menu, focus back on its summary
    assert not audit.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    # opening another menu closes the first
    summary.click()
    page.locator("nav.mainnav summary", has_text="Đơn vị & Cán bộ").click()
    assert not audit.is_visible()
    # the user menu holds "my jobs"
    page.locator("details.usermenu summary").click()
    page.get_by_role("link", name="Tác vụ của tôi").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Tác vụ của tôi"


def test_language_switch_turns_the_page_english(page, login, make_user):
    login(make_user(Role.VIEWER, username="xem_test"))
    page.select_option("#lang-select", "en")  # portal.js submits the form on change
    page.wait_for_load_state()
    page.wait_for_selector("text=Log out", state="attached")  # inside the closed user menu
    assert page.locator("html").get_attribute("lang") == "en"


def test_viewer_does_not_see_the_audit_log(page, login, make_user):
    login(make_user(Role.VIEWER, username="xem_test2"))
    assert page.locator("nav.mainnav").get_by_role("link", name="Nhật ký nghiệp vụ").count() == 0
