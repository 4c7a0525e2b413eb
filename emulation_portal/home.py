"""The home page's "things to do" (việc cần làm): apps register a function per kind of work
in ``AppConfig.ready``, so the portal names no domain app.

``fn(request) -> list[Task]``; a function returns nothing for a role it does not serve, and
runs a fixed number of queries whatever the counts (aggregates, never a query per item).
A task's link must open the list filtered to exactly what ``count`` counted.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    key: str
    label: str  # a translated sentence ("Dossiers to review")
    count: int
    url: str  # the list behind the count, filtered to what was counted
    deadline: dt.date | None = None  # the nearest deadline among the counted items
    order: int = 100
    urgent: bool = False  # past its deadline, or due within the week


TaskFunc = Callable[[object], "list[Task]"]

_REGISTRY: dict[str, tuple[int, TaskFunc]] = {}


def register(key: str, order: int, fn: TaskFunc) -> None:
    _REGISTRY[key] = (order, fn)


def tasks_for(request) -> list[Task]:
    """The tasks of ``request.user`` with something to do (count > 0), in order."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return []
    out: list[Task] = []
    for _key, (_order, fn) in sorted(_REGISTRY.items(), key=lambda kv: (kv[1][0], kv[0])):
        for task in fn(request) or []:
            if task.count > 0:
                out.append(task)
    return sorted(out, key=lambda t: (t.order, t.key))


def is_urgent(deadline: dt.date | None, today: dt.date) -> bool:
    return deadline is not None and deadline <= today + dt.timedelta(days=7)
