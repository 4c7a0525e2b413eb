"""Navigation by role. Each app registers its entries in ``AppConfig.ready``, so the base
layout knows no domain app and shows each user only what their role may open.

Entries are shown in a few menus (``GROUPS``); an entry names its menu with ``group``, or
gets the one of its URL's first segment (``GROUP_BY_PREFIX``). Exactly one entry is marked
current: the one whose URL is the longest prefix of the page's path."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy translation
    url_name: str
    perm: str | None = None  # a rules permission; None = any signed-in user
    order: int = 100
    description: str = ""
    kwargs: dict = field(default_factory=dict)
    group: str | None = None  # a key of GROUPS; None: chosen by the URL's prefix


# The menus, in order: (key, label).
GROUPS = [
    ("registry", _("Units & People")),
    ("emulation", _("Registration & Blocs")),
    ("nominations", _("Nominations & Council")),
    ("catalogue", _("Catalogue & Rules")),
    ("admin", _("Administration")),
]
DEFAULT_GROUP = "admin"
# The menu of an entry that names none, by the first segment of its URL.
GROUP_BY_PREFIX = {
    "/units/": "registry",
    "/people/": "registry",
    "/campaigns/": "emulation",
    "/blocs/": "emulation",
    "/nominations/": "nominations",
    "/council/": "nominations",
    "/decisions/": "nominations",
    "/awards/": "catalogue",
    "/exchange/": "admin",
    "/audit/": "admin",
    "/admin/": "admin",
}


def group_of(item: NavItem, url: str) -> str:
    if item.group:
        return item.group
    head = "/" + url.lstrip("/").split("/", 1)[0] + "/"
    return GROUP_BY_PREFIX.get(head, DEFAULT_GROUP)


_REGISTRY: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _REGISTRY[item.key] = item


_CACHE_ATTR = "_portal_perm_cache"


def request_has_perm(request, perm: str) -> bool:
    """Whether ``request.user`` holds ``perm``, asked of the backends once per request.

    Changes nothing but a dict stored on the request: the layout, the home page and any
    partial rendered in the same request share one answer per permission instead of running
    the rules predicates (some query the database) once per menu entry and per template.
    """
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return False
    cache = request.__dict__.setdefault(_CACHE_ATTR, {})
    if perm not in cache:
        cache[perm] = user.has_perm(perm)
    return cache[perm]


def items_for(user, request=None) -> list[dict]:
    """The entries ``user`` may open; with ``request``, permissions come from its cache."""
    if not (user and user.is_authenticated):
        return []

    def allowed(perm):
        return request_has_perm(request, perm) if request is not None else user.has_perm(perm)

    visible = []
    for item in sorted(_REGISTRY.values(), key=lambda i: (i.order, i.key)):
        if item.perm and not allowed(item.perm):
            continue
        try:
            url = reverse(item.url_name, kwargs=item.kwargs or None)
        except NoReverseMatch:
            continue
        visible.append(
            {
                "key": item.key,
                "label": item.label,
                "url": url,
                "description": item.description,
                "group": group_of(item, url),
            }
        )
    return visible


def active_key(items: list[dict], path: str) -> str | None:
    """The key of the one entry whose URL is the longest prefix of ``path`` (so
    /nominations/disclosures/ marks "Công khai", not "Đề nghị" too); None on the home page
    or a page no entry leads to."""
    best, length = None, 0
    for item in items:
        url = item["url"]
        if url != "/" and path.startswith(url) and len(url) > length:
            best, length = item["key"], len(url)
    return best


def grouped(items: list[dict], path: str) -> list[dict]:
    """The menus holding at least one of ``items``, each with its entries and whether it
    holds the current one; every entry carries ``active``."""
    current = active_key(items, path)
    menus = []
    for key, label in GROUPS + [(None, None)]:
        known = {k for k, _label in GROUPS}
        entries = [
            {**item, "active": item["key"] == current}
            for item in items
            if item["group"] == key or (key is None and item["group"] not in known)
        ]
        if entries:
            menus.append(
                {
                    "key": key or "other",
                    "label": label or _("More"),
                    "items": entries,
                    "active": any(e["active"] for e in entries),
                }
            )
    return menus


def navigation(request):
    """Context processor: ``nav_items`` for the signed-in user, built once per request."""
    items = request.__dict__.get("_portal_nav_items")
    if items is None:
        items = items_for(getattr(request, "user", None), request)
        request.__dict__["_portal_nav_items"] = items
    menu_items = list(items)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        menu_items.append(
            {
                "key": "django-admin",
                "label": _("Administration site"),
                "url": reverse("admin:index"),
                "description": "",
                "group": "admin",
            }
        )
    return {"nav_items": items, "nav_menus": grouped(menu_items, getattr(request, "path", ""))}
