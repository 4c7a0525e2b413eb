"""Crawl (issue 15): for each demo role, every same-site link on the home page and on the
pages up to three clicks from it answers 200. A 403 or 404 behind a link is a dead end the page
offering it must not show.

The demo is built once for the module (``seed_demo``, about a minute and a half on SQLite)
and removed after it. The crawl is bounded: links are grouped by the view they resolve to
and the names of their query parameters, and only the first few of each group are followed
(a list of 500 people is one kind of link), up to ``MAX_PAGES`` per role. GET only; it skips
logging out, the language switch, downloads and Django admin for everyone but the
administrator."""

from collections import deque
from html.parser import HTMLParser
from importlib import import_module
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from tests.conftest import DATA_MIGRATIONS

ROLES = ["quantri", "thidua", "donvi", "khoitruong", "hoidong", "xem"]
DEPTH = 3  # pages parsed: the home page and those up to three clicks away
MAX_PAGES = 300
PER_KIND = 3
SKIP_PREFIXES = ("/logout", "/i18n/", "/static/", "/media/", "/api/")
SKIP_NAMES = {"logout", "set_language"}
# downloads: files a page offers (PDF, XLSX, ZIP, photos); fetched elsewhere by their tests
SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv", ".zip", ".docx", ".png", ".jpg", ".ico", ".svg")
DOWNLOAD_WORDS = ("download", "export", "photo", "minutes", "certificate", "file")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if parts.netloc not in ("", "testserver"):
                continue  # another site
            href = parts.path + (f"?{parts.query}" if parts.query else "")
        elif not href.startswith("/"):
            if href.startswith("?"):
                href = base.split("?", 1)[0] + href
            else:
                href = base.rsplit("/", 1)[0] + "/" + href
        out.append(href)
    return out


def _kind(url: str) -> tuple | None:
    """The group a link belongs to (view name and query parameter names), or None to skip."""
    parts = urlsplit(url)
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return ("unresolved", path)  # a link to nowhere: followed, and will fail
    name = match.view_name or ""
    if name.split(":")[-1] in SKIP_NAMES:
        return None
    if any(word in name for word in DOWNLOAD_WORDS) or any(
        word in path for word in ("/download", "/export", ".pdf")
    ):
        return None
    keys = tuple(sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)}))
    return (name, keys)


def crawl(client: Client, role: str) -> tuple[dict[str, tuple[int, str]], int]:
    """Breadth-first from the home page. Returns {url: (status, found on)} for every link
    that did not answer 200, and the number of pages fetched."""
    is_admin = role == "quantri"
    seen: set[str] = {"/"}
    per_kind: dict[tuple, int] = {}
    queue = deque([("/", 0, "")])
    bad: dict[str, tuple[int, str]] = {}
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url, depth, source = queue.popleft()
        response = client.get(url, follow=True)
        fetched += 1
        if response.status_code != 200:
            bad[url] = (response.status_code, source)
            continue
        if depth >= DEPTH or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode(), url):
            if link in seen:
                continue
            seen.add(link)
            if link.startswith("/admin/") and not is_admin:
                continue
            kind = _kind(link)
            if kind is None:
                continue
            per_kind[kind] = per_kind.get(kind, 0) + 1
            if per_kind[kind] > PER_KIND:
                continue
            queue.append((link, depth + 1, url))
    return bad, fetched


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for this module and removed after it."""
    from django.apps import apps

    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        yield
        call_command("flush", interactive=False, verbosity=0)
        for module, function in DATA_MIGRATIONS:
            getattr(import_module(module), function)(apps, None)


@pytest.mark.parametrize("role", ROLES)
def test_every_link_answers_200(demo, db, role):
    from emulation_portal.models import User

    client = Client()
    client.force_login(User.objects.get(username=role))
    bad, fetched = crawl(client, role)
    print(f"crawl {role}: {fetched} pages")
    assert fetched > 10
    assert bad == {}, "\n".join(f"{s} {u} (linked from {src})" for u, (s, src) in bad.items())
