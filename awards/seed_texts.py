"""Texts the data migration seeds in English (rule descriptions, ``manual`` paths), marked
here so they are translated when shown; text an administrator writes is shown as written."""

from django.utils.translation import gettext_noop

SEEDED = [
    gettext_noop("Leader of a thematic movement lasting 3 years or more"),
    gettext_noop("Leader of a Prime Minister's movement lasting 5 years or more"),
    gettext_noop("Outstanding in a thematic movement, or an ad hoc achievement"),
    gettext_noop("Long-service path for leaders by years in post (details unconfirmed)"),
    gettext_noop("Long service in the sector (criteria unconfirmed)"),
    gettext_noop(
        "Rated HTTNV or better in the year; no discipline in force. “Active in emulation” is "
        "checked by the unit."
    ),
    gettext_noop(
        "LDTT in the year and either HTXSNV or an initiative / scientific project recognised "
        "at base scope or wider."
    ),
    gettext_noop(
        "CSTD_CS in each of 3 consecutive years and an initiative or scientific work at "
        "ministry scope."
    ),
    gettext_noop(
        "CSTD_BO for two consecutive periods (this year and 3 years before) and an initiative "
        "or scientific work of national scope."
    ),
    gettext_noop(
        # xgettext:no-python-format
        "Completed its tasks well; at least 70% of members LDTT; no member disciplined at "
        "warning or above."
    ),
    gettext_noop(
        # xgettext:no-python-format
        "Completed its tasks excellently; every member HTNV or better; at least 70% LDTT; at "
        "least one CSTD_CS; no member disciplined at warning or above."
    ),
    gettext_noop(
        "Leads its bloc or cluster in the year (ranking and acclamation) and exceeded its "
        "targets; or leads a thematic movement of 3 years or more."
    ),
    gettext_noop(
        "Chosen among the collectives that lead a ministry bloc or cluster; or leads a Prime "
        "Minister's movement of 5 years or more."
    ),
    gettext_noop("Conferred by the head of the unit; no chain. Assumption: rated HTTNV or better."),
    gettext_noop(
        "Conferred by the head of the unit; no chain. Assumption: completed its tasks well."
    ),
    gettext_noop(
        "CSTD_CS in 2 consecutive years; or HTXSNV in 2 consecutive years with 2 initiatives "
        "or scientific works at base scope; thematic and ad hoc paths are assessed by hand."
    ),
    gettext_noop(
        "2 consecutive years completing tasks excellently, or TTLDXS in 2 consecutive years."
    ),
    gettext_noop(
        "Holds BK_BO, then at least 5 consecutive years after it rated HTTNV or better, "
        "including 3 years of CSTD_CS."
    ),
    gettext_noop(
        "Holds BK_TTG, then at least 5 consecutive years after it rated HTTNV or better, with "
        "at least 1 year HTXSNV and 3 years of CSTD_CS."
    ),
    gettext_noop(
        "UNCONFIRMED under the 2022 Law: modelled like HCLD3 after an HCLD3; tune when the "
        "criteria are confirmed."
    ),
    gettext_noop(
        "UNCONFIRMED under the 2022 Law: modelled like HCLD3 after an HCLD2; tune when the "
        "criteria are confirmed."
    ),
    gettext_noop("Criteria unconfirmed: assessed by the office."),
    # migration 0009: GK needs an achievement
    gettext_noop("An achievement in an emulation campaign or an ad hoc achievement (Law art. 75)"),
    gettext_noop(
        "Conferred by the head of the unit; no chain. Rated HTTNV or better, and an achievement "
        "in an emulation campaign or an ad hoc achievement (Law art. 75): an ad hoc or thematic "
        "reward of the year on record shows one; otherwise the office assesses it."
    ),
]
