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


def items_for(user) -> list[dict]:
    if not (user and user.is_authenticated):
        return []
    visible = []
    for item in sorted(_REGISTRY.values(), key=lambda i: (i.order, i.key)):
        if item.perm and not user.has_perm(item.perm):
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
    """Context processor: ``nav_items`` for the signed-in user."""
    user = getattr(request, "user", None)
    return {"nav_items": items_for(user)}
