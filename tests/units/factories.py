"""Registry factories: they write through the services so paths and search text are right."""

import itertools

from units import services
from units.models import Bloc, BlocKind, Gender, Unit, UnitKind

_seq = itertools.count(1)


def make_unit(code=None, name=None, kind=UnitKind.VU, parent: Unit | None = None, **kw) -> Unit:
    n = next(_seq)
    return services.create_unit(
        None,
        code=code or f"U{n:04d}",
        name=name or f"Đơn vị {n}",
        kind=kind,
        parent=parent,
        **kw,
    )


def make_person(unit: Unit, code=None, full_name=None, gender=Gender.F, **kw):
    n = next(_seq)
    return services.create_person(
        None,
        code=code or f"P{n:05d}",
        full_name=full_name or f"Nguyễn Văn {n}",
        gender=gender,
        unit=unit,
        **kw,
    )


def make_bloc(code=None, kind=BlocKind.KHOI, name=None) -> Bloc:
    n = next(_seq)
    return services.create_bloc(None, code=code or f"B{n}", name=name or f"Khối {n}", kind=kind)
