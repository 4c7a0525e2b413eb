"""Navigation by role. Each app registers its entries in ``AppConfig.ready``, so the base
layout knows no domain app and shows each user only what their role may open."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy translation
    url_name: str
    perm: str | None = None  # a rules permission; None = any signed-in user
    order: int = 100
    description: str = ""
    kwargs: dict = field(default_factory=dict)


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
            {"key": item.key, "label": item.label, "url": url, "description": item.description}
        )
    return visible


def navigation(request):
    """Context processor: ``nav_items`` for the signed-in user, built once per request."""
    items = request.__dict__.get("_portal_nav_items")
    if items is None:
        items = items_for(getattr(request, "user", None), request)
        request.__dict__["_portal_nav_items"] = items
    return {"nav_items": items}
