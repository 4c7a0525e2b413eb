"""Issue 15, item 3 (what was left): the seeded rule texts holding a "%" (TTLDTT, TTLDXS) show
in Vietnamese on the catalogue, and every admin section has a Vietnamese name."""

import re

from django.test import Client


def test_catalogue_rule_texts_with_a_percent_in_vietnamese(office_client):
    html = office_client.get("/awards/").content.decode()
    assert "at least 70%" not in html
    assert "Hoàn thành tốt nhiệm vụ; ít nhất 70% thành viên đạt LDTT" in html
    assert "Hoàn thành xuất sắc nhiệm vụ; mọi thành viên từ HTNV trở lên" in html


def test_admin_sections_in_vietnamese(admin_account):
    client = Client()
    client.force_login(admin_account)
    html = client.get("/admin/").content.decode()
    sections = [s.strip() for s in re.findall(r"<caption>\s*<a[^>]*>(.*?)</a>", html, re.S)]
    assert "Lần đăng nhập" in sections and "Khóa truy cập API" in sections
    assert not {"Axes", "Auth Token"} & set(sections)
