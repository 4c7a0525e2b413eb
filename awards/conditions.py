"""The vocabulary of rule conditions, and its schema check.

A rule's condition is a JSON tree built from these nodes (an administrator combines and tunes
them in Django admin; ``validate`` refuses anything else with a clear message):

- ``{"all": [c, ...]}`` / ``{"any": [c, ...]}``: every / at least one sub-condition.
- ``{"rating_at_least": "HTTNV", "years": N}``: rated at least so in each of the N consecutive
  years ending with the year under judgment (the subject's own rating: a person's, or a
  unit's). ``{"rating_at_least": "HTXSNV", "times": k, "window": w}``: at least k such years
  among the w years ending with that year.
- ``{"consecutive": {"award": "CSTD_CS", "years": N}}``: held that award (regular merit) in
  each of the N consecutive years ending with the year under judgment.
- ``{"holds_award": "BK_BO", "times": k, "window": w}``: held it at least k times in the w
  years ending with that year (``window`` omitted: ever).
- ``{"eligible_for": "LDTT"}``: the subject qualifies for that award in the same year (or
  already holds it for that year).
- ``{"initiative": {"scope": "BO", "within_years": n, "count": c}}``: at least c initiatives
  or scientific projects recognised at that scope or wider in the n years ending with that
  year, not already used for another reward.
- ``{"members_share": {"rating_at_least": "HTTNV" | "award": "LDTT", "share": 0.7}}``: a
  unit's members that year, at least that share (of all members) rated so / holding the
  title. ``"at_least": n`` instead of ``share`` asks for a count.
- ``{"no_discipline": {"min_level": "CANH_CAO", "scope": "self" | "members"}}``: no
  discipline at that level or above in force during the year.
- ``{"after_award": {"award": "BK_BO", "then": c}}``: holds that award; ``c`` is judged over
  the period from the year after the latest such award to the year under judgment, however
  long (principle 7): inside it every window is that whole period, so ``"years": 5`` asks
  every year of it, and at least 5, and ``times`` / counts are taken over all of it.
- ``{"bloc_role": "leader"}``: the unit leads (or is deputy of) a bloc or cluster that year.
- ``{"achievement": {"kinds": ["dot_xuat", "chuyen_de"], "within_years": n}}``: the subject
  received a reward of one of those kinds (any award type but the one judged) in the n years
  ending with that year: the records' evidence of an ad hoc or a campaign achievement.
- ``{"manual": "text"}``: a path the office must assess by hand (never met automatically).

Only regular-merit (``cong_trang``) awards count toward chains (principle 2).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RATINGS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
SCOPES = ("CO_SO", "BO", "TOAN_QUOC")
DISCIPLINE_LEVELS = (
    "KHIEN_TRACH",
    "CANH_CAO",
    "HA_BAC_LUONG",
    "GIANG_CHUC",
    "CACH_CHUC",
    "BUOC_THOI_VIEC",
)
NODE_KEYS = (
    "all",
    "any",
    "rating_at_least",
    "consecutive",
    "holds_award",
    "eligible_for",
    "initiative",
    "members_share",
    "no_discipline",
    "after_award",
    "bloc_role",
    "achievement",
    "manual",
)
# Award kinds that record an achievement outside regular merit (awards.models.AwardKind).
ACHIEVEMENT_KINDS = ("dot_xuat", "chuyen_de", "cong_hien", "doi_ngoai")
MAX_YEARS = 50
MAX_DEPTH = 12


def _fail(path: str, message: str):
    raise ValidationError(_("Condition %(path)s: %(message)s") % {"path": path, "message": message})


def _int(node: dict, key: str, path: str, *, required: bool, minimum: int = 1) -> int | None:
    if key not in node:
        if required:
            _fail(path, _("“%(key)s” is required.") % {"key": key})
        return None
    value = node[key]
    if isinstance(value, bool) or not isinstance(value, int) or not (minimum <= value <= MAX_YEARS):
        _fail(
            path,
            _("“%(key)s” must be a whole number from %(min)s to %(max)s.")
            % {"key": key, "min": minimum, "max": MAX_YEARS},
        )
    return value


def _choice(value, allowed, key: str, path: str):
    if value not in allowed:
        _fail(
            path,
            _("“%(key)s” must be one of %(allowed)s, not “%(value)s”.")
            % {"key": key, "allowed": ", ".join(allowed), "value": value},
        )


def _keys(node: dict, allowed: set[str], path: str):
    extra = sorted(set(node) - allowed)
    if extra:
        _fail(path, _("unknown key(s): %(keys)s.") % {"keys": ", ".join(extra)})


def validate(tree, award_codes: set[str] | None = None) -> None:
    """Raise ``ValidationError`` naming the faulty node if ``tree`` is not a valid condition.
    ``award_codes``: the catalogue's codes, to refuse unknown award codes."""
    _validate(tree, "$", award_codes, 0)


def _award(code, path: str, award_codes):
    if not isinstance(code, str) or not code:
        _fail(path, _("an award code is required."))
    if award_codes is not None and code not in award_codes:
        _fail(path, _("unknown award code “%(code)s”.") % {"code": code})


def _validate(node, path: str, codes, depth: int) -> None:  # noqa: C901 - one branch per node
    if depth > MAX_DEPTH:
        _fail(path, _("nested too deeply."))
    if not isinstance(node, dict) or not node:
        _fail(path, _('each condition must be a JSON object such as {"all": [...]}.'))
    kind = next((k for k in NODE_KEYS if k in node), None)
    if kind is None:
        _fail(
            path,
            _("unknown condition; use one of: %(keys)s.") % {"keys": ", ".join(NODE_KEYS)},
        )
    here = f"{path}.{kind}"
    if kind in ("all", "any"):
        _keys(node, {kind}, path)
        items = node[kind]
        if not isinstance(items, list) or not items:
            _fail(here, _("a non-empty list of conditions is required."))
        for i, item in enumerate(items):
            _validate(item, f"{here}[{i}]", codes, depth + 1)
    elif kind == "rating_at_least":
        _keys(node, {"rating_at_least", "years", "times", "window"}, path)
        _choice(node[kind], RATINGS, kind, path)
        if "times" in node:
            times = _int(node, "times", path, required=True)
            window = _int(node, "window", path, required=True)
            if "years" in node:
                _fail(path, _("use either “years” or “times” with “window”, not both."))
            if times > window:
                _fail(path, _("“times” cannot exceed “window”."))
        else:
            _int(node, "years", path, required=True)
    elif kind == "consecutive":
        _keys(node, {kind}, path)
        body = node[kind]
        if not isinstance(body, dict):
            _fail(here, _("an object with “award” and “years” is required."))
        _keys(body, {"award", "years"}, here)
        _award(body.get("award"), here, codes)
        _int(body, "years", here, required=True)
    elif kind == "holds_award":
        _keys(node, {"holds_award", "times", "window"}, path)
        _award(node[kind], path, codes)
        times = _int(node, "times", path, required=False) or 1
        window = _int(node, "window", path, required=False)
        if window is not None and times > window:
            _fail(path, _("“times” cannot exceed “window”."))
    elif kind == "eligible_for":
        _keys(node, {kind}, path)
        _award(node[kind], path, codes)
    elif kind == "initiative":
        _keys(node, {kind}, path)
        body = node[kind]
        if not isinstance(body, dict):
            _fail(here, _("an object with “scope” and “within_years” is required."))
        _keys(body, {"scope", "within_years", "count"}, here)
        _choice(body.get("scope"), SCOPES, "scope", here)
        _int(body, "within_years", here, required=True)
        _int(body, "count", here, required=False)
    elif kind == "members_share":
        _keys(node, {kind}, path)
        body = node[kind]
        if not isinstance(body, dict):
            _fail(here, _("an object with “share” and a rating or an award is required."))
        _keys(body, {"rating_at_least", "award", "share", "at_least"}, here)
        if ("rating_at_least" in body) == ("award" in body):
            _fail(here, _("give exactly one of “rating_at_least” and “award”."))
        if "rating_at_least" in body:
            _choice(body["rating_at_least"], RATINGS, "rating_at_least", here)
        else:
            _award(body["award"], here, codes)
        if ("share" in body) == ("at_least" in body):
            _fail(here, _("give exactly one of “share” (0-1) and “at_least” (a count)."))
        if "share" in body:
            share = body["share"]
            if (
                isinstance(share, bool)
                or not isinstance(share, int | float)
                or not (0 < share <= 1)
            ):
                _fail(here, _("“share” must be a number above 0 and at most 1, e.g. 0.7."))
        else:
            _int(body, "at_least", here, required=True)
    elif kind == "no_discipline":
        _keys(node, {kind}, path)
        body = node[kind]
        if not isinstance(body, dict):
            _fail(here, _("an object with “min_level” and “scope” is required."))
        _keys(body, {"min_level", "scope"}, here)
        _choice(body.get("min_level"), DISCIPLINE_LEVELS, "min_level", here)
        _choice(body.get("scope", "self"), ("self", "members"), "scope", here)
    elif kind == "after_award":
        _keys(node, {kind}, path)
        body = node[kind]
        if not isinstance(body, dict):
            _fail(here, _("an object with “award” and “then” is required."))
        _keys(body, {"award", "then"}, here)
        _award(body.get("award"), here, codes)
        if "then" not in body:
            _fail(here, _("“then” is required."))
        _validate(body["then"], f"{here}.then", codes, depth + 1)
    elif kind == "bloc_role":
        _keys(node, {kind}, path)
        _choice(node[kind], ("leader", "deputy"), kind, path)
    elif kind == "achievement":
        _keys(node, {kind}, path)
        body = node[kind]
        if not isinstance(body, dict):
            _fail(here, _("an object with “kinds” and “within_years” is required."))
        _keys(body, {"kinds", "within_years"}, here)
        kinds = body.get("kinds")
        if not isinstance(kinds, list) or not kinds:
            _fail(here, _("“kinds” must be a non-empty list of award kinds."))
        for value in kinds:
            _choice(value, ACHIEVEMENT_KINDS, "kinds", here)
        _int(body, "within_years", here, required=True)
    elif kind == "manual":
        _keys(node, {kind}, path)
        if not isinstance(node[kind], str) or not node[kind].strip():
            _fail(path, _("describe what the office must assess."))


def referenced_awards(node) -> set[str]:
    """Award codes a condition names through ``eligible_for`` (its same-year dependencies)."""
    found: set[str] = set()
    _walk(node, lambda n: found.add(n["eligible_for"]) if "eligible_for" in n else None)
    return found


def _walk(node, visit) -> None:
    if not isinstance(node, dict):
        return
    visit(node)
    for key in ("all", "any"):
        for item in node.get(key, []) or []:
            _walk(item, visit)
    if isinstance(node.get("after_award"), dict):
        _walk(node["after_award"].get("then"), visit)


def lookback(node) -> int:
    """How many years of ratings/initiatives before the judged year a condition reads for
    everyone (an "after" period may reach further back, for the people concerned only)."""
    if not isinstance(node, dict):
        return 1
    best = 1
    for key in ("all", "any"):
        for item in node.get(key, []) or []:
            best = max(best, lookback(item))
    if "rating_at_least" in node:
        best = max(best, node.get("years") or node.get("window") or 1)
    if isinstance(node.get("consecutive"), dict):
        best = max(best, node["consecutive"].get("years", 1))
    if isinstance(node.get("initiative"), dict):
        best = max(best, node["initiative"].get("within_years", 1))
    if isinstance(node.get("achievement"), dict):
        best = max(best, node["achievement"].get("within_years", 1))
    if isinstance(node.get("after_award"), dict):
        best = max(best, lookback(node["after_award"].get("then")))
    return best
