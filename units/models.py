"""The registry: units (a tree with history), people, yearly ratings, discipline,
initiatives, and blocs/clusters with membership per year.

Codes are the stable ones of ``shared/domain/codes.md``; display names are translated.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from emulation_portal.validators import (
    LONG_TEXT_MAX,
    PERSON_NAME_MAX,
    TITLE_MAX,
    UNIT_NAME_MAX,
    refuse_formula_like,
)

MIN_YEAR = 1945
MAX_YEAR = 2100


class UnitKind(models.TextChoices):
    BO = "BO", _("Ministry")
    VU = "VU", _("Department")
    CUC = "CUC", _("General department or agency")
    VIEN = "VIEN", _("Institute")
    TRUNG_TAM = "TRUNG_TAM", _("Centre")
    VAN_PHONG = "VAN_PHONG", _("Office")
    SO = "SO", _("Provincial department")
    DOANH_NGHIEP = "DOANH_NGHIEP", _("State company")
    TRUONG = "TRUONG", _("School")
    PHONG = "PHONG", _("Sub-unit")
    KHAC = "KHAC", _("Other")


class Rating(models.TextChoices):
    """Annual rating (xếp loại chất lượng), best first."""

    HTXSNV = "HTXSNV", _("Excellent (HTXSNV)")
    HTTNV = "HTTNV", _("Good (HTTNV)")
    HTNV = "HTNV", _("Completed (HTNV)")
    KHTNV = "KHTNV", _("Not completed (KHTNV)")


# Higher is better; rules compare ranks ("HTTNV or better" = rank >= 3).
RATING_RANK = {Rating.HTXSNV: 4, Rating.HTTNV: 3, Rating.HTNV: 2, Rating.KHTNV: 1}


class PositionLevel(models.TextChoices):
    """A person's level in a year, as the Home Affairs ministry's statistical forms count
    awards to individuals (``codes.md`` "Position levels")."""

    LANH_DAO_BO = "LANH_DAO_BO", _("Ministry or province leader")
    LANH_DAO_VU = "LANH_DAO_VU", _("Department leader")
    QUAN_LY = "QUAN_LY", _("Other manager")
    DOANH_NHAN = "DOANH_NHAN", _("State company manager")
    TRUC_TIEP = "TRUC_TIEP", _("Frontline worker")


def effective_position_level(level: str, is_manager: bool) -> str:
    """The level a person counts at: the recorded one, else ``QUAN_LY`` for a manager and
    ``TRUC_TIEP`` for anyone else (the fallback of ``codes.md``)."""
    if level:
        return level
    return PositionLevel.QUAN_LY if is_manager else PositionLevel.TRUC_TIEP


class Gender(models.TextChoices):
    F = "F", _("Female")
    M = "M", _("Male")


class DisciplineLevel(models.TextChoices):
    """Mildest first."""

    KHIEN_TRACH = "KHIEN_TRACH", _("Reprimand")
    CANH_CAO = "CANH_CAO", _("Warning")
    HA_BAC_LUONG = "HA_BAC_LUONG", _("Salary step down")
    GIANG_CHUC = "GIANG_CHUC", _("Demotion")
    CACH_CHUC = "CACH_CHUC", _("Removal from post")
    BUOC_THOI_VIEC = "BUOC_THOI_VIEC", _("Dismissal")


DISCIPLINE_RANK = {level: i for i, level in enumerate(DisciplineLevel.values, start=1)}


class InitiativeScope(models.TextChoices):
    CO_SO = "CO_SO", _("Base")
    BO = "BO", _("Ministry")
    TOAN_QUOC = "TOAN_QUOC", _("National")


# A wider scope satisfies a rule asking for a narrower one.
SCOPE_RANK = {InitiativeScope.CO_SO: 1, InitiativeScope.BO: 2, InitiativeScope.TOAN_QUOC: 3}


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    PROJECT = "project", _("Scientific project")


class BlocKind(models.TextChoices):
    KHOI = "KHOI", _("Bloc")
    CUM = "CUM", _("Cluster")


class BlocRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY = "deputy", _("Deputy")
    MEMBER = "member", _("Member")


def _year_check(name: str, field: str = "year") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": MIN_YEAR}) & Q(**{f"{field}__lte": MAX_YEAR}),
        name=name,
    )


class Unit(models.Model):
    """A unit of the ministry. ``path`` is the materialised path of ids ("0001.0005."),
    so a subtree is one prefix filter. A merged or renamed unit is closed (``active_to``)
    and points to its ``successor``; its history stays."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[refuse_formula_like])
    name = models.CharField(_("name"), max_length=UNIT_NAME_MAX, validators=[refuse_formula_like])
    short_name = models.CharField(
        _("short name"), max_length=120, blank=True, validators=[refuse_formula_like]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into / renamed to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="unit_active_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.active_to is None


class UnitOfficer(models.Model):
    """A unit officer's scope: the unit and all its sub-units."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="officer_scopes",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="officers"
    )

    class Meta:
        verbose_name = _("unit officer")
        verbose_name_plural = _("unit officers")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="unit_officer_unique")]

    def __str__(self):
        return f"{self.user} → {self.unit}"


class Person(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[refuse_formula_like])
    full_name = models.CharField(
        _("full name"), max_length=PERSON_NAME_MAX, validators=[refuse_formula_like]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    position = models.CharField(
        _("position"), max_length=200, blank=True, validators=[refuse_formula_like]
    )
    is_manager = models.BooleanField(
        _("manager"), default=False, help_text=_("Unchecked: frontline worker")
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("current unit"), on_delete=models.PROTECT, related_name="people"
    )
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "code"]
        # the people lists are ordered this way: the first pages read the index, not a sort
        indexes = [models.Index(fields=["full_name", "code"], name="person_name_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte="1900-01-01"),
                name="person_birth_date_plausible",
            )
        ]

    def __str__(self):
        return self.full_name


class PersonYear(models.Model):
    """A person's year: the unit they belonged to, their rating (blank until rated) and
    their position level (blank: the fallback of :func:`effective_position_level`)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit that year"), on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True)
    position_level = models.CharField(
        _("position level"),
        max_length=12,
        choices=PositionLevel.choices,
        blank=True,
        # bulk inserts (COPY) that name no level leave it empty rather than failing
        default="",
        db_default="",
        help_text=_("Empty: a manager counts as other manager, anyone else as frontline worker"),
    )

    class Meta:
        verbose_name = _("person's year")
        verbose_name_plural = _("people's years")
        ordering = ["person", "year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="person_year_unique"),
            _year_check("person_year_in_range"),
        ]
        indexes = [models.Index(fields=["year", "unit"]), models.Index(fields=["year", "rating"])]

    def __str__(self):
        return f"{self.person} {self.year}: {self.rating or '-'}"

    @property
    def counted_position_level(self) -> str:
        """The level this year counts at in the statistics (recorded, else the fallback)."""
        return effective_position_level(self.position_level, self.person.is_manager)

    @property
    def counted_position_level_label(self) -> str:
        return PositionLevel(self.counted_position_level).label


class UnitRating(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="ratings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)

    class Meta:
        verbose_name = _("unit rating")
        verbose_name_plural = _("unit ratings")
        ordering = ["unit", "year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="unit_rating_unique"),
            _year_check("unit_rating_year_in_range"),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.rating}"


class Discipline(models.Model):
    """A disciplinary measure; in force from ``start_date`` through ``end_date`` (open-ended
    when empty). It blocks awards while in force."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="disciplines"
    )
    level = models.CharField(_("level"), max_length=20, choices=DisciplineLevel.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    decision_ref = models.CharField(
        _("decision"), max_length=120, blank=True, validators=[refuse_formula_like]
    )
    reason = models.TextField(_("reason"), max_length=LONG_TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["person", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="discipline_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["person", "level", "start_date"], name="discipline_natural_key"
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_level_display()} ({self.start_date})"


class Initiative(models.Model):
    """An initiative or accepted scientific project, recognised at a scope. Which reward
    used it (one initiative supports one reward) is recorded by the awards app."""

    person = models.ForeignKey(
        Person, verbose_name=_("author"), on_delete=models.CASCADE, related_name="initiatives"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=TITLE_MAX, validators=[refuse_formula_like])
    kind = models.CharField(
        _("kind"), max_length=12, choices=InitiativeKind.choices, default=InitiativeKind.INITIATIVE
    )
    scope = models.CharField(_("scope"), max_length=12, choices=InitiativeScope.choices)
    recognized_on = models.DateField(_("recognised on"), null=True, blank=True)
    recognized_by = models.CharField(
        _("recognised by"), max_length=300, blank=True, validators=[refuse_formula_like]
    )

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["person", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "title"], name="initiative_natural_key"
            ),
            _year_check("initiative_year_in_range"),
        ]
        indexes = [models.Index(fields=["year", "scope"])]

    def __str__(self):
        return self.title


class Bloc(models.Model):
    """A bloc (Khối, of ministry units) or cluster (Cụm, of provincial departments)."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[refuse_formula_like])
    name = models.CharField(_("name"), max_length=UNIT_NAME_MAX, validators=[refuse_formula_like])
    kind = models.CharField(_("kind"), max_length=4, choices=BlocKind.choices)
    description = models.TextField(_("description"), max_length=LONG_TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("bloc or cluster")
        verbose_name_plural = _("blocs and clusters")
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name


class BlocMembership(models.Model):
    """A unit's place in a bloc for one year. ``bloc_kind`` is copied from the bloc so the
    database itself refuses a unit in two blocs of the same kind in one year."""

    bloc = models.ForeignKey(
        Bloc, verbose_name=_("bloc"), on_delete=models.CASCADE, related_name="memberships"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="bloc_memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=BlocRole.choices, default=BlocRole.MEMBER
    )
    bloc_kind = models.CharField(max_length=4, choices=BlocKind.choices, editable=False)

    class Meta:
        verbose_name = _("bloc membership")
        verbose_name_plural = _("bloc memberships")
        ordering = ["bloc", "year", "role", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year", "unit"], name="bloc_membership_unique"),
            models.UniqueConstraint(
                fields=["unit", "year", "bloc_kind"], name="bloc_membership_one_bloc_per_kind"
            ),
            models.UniqueConstraint(
                fields=["bloc", "year"],
                condition=Q(role="leader"),
                name="bloc_one_leader_per_year",
            ),
            models.UniqueConstraint(
                fields=["bloc", "year"],
                condition=Q(role="deputy"),
                name="bloc_one_deputy_per_year",
            ),
            _year_check("bloc_membership_year_in_range"),
        ]

    def __str__(self):
        return f"{self.bloc} {self.year}: {self.unit} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        if not self.bloc_kind and self.bloc_id:
            self.bloc_kind = Bloc.objects.values_list("kind", flat=True).get(pk=self.bloc_id)
        super().save(*args, **kwargs)
