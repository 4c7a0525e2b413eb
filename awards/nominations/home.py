"""The nominations' part of the home page (``emulation_portal.home``): the office's dossiers
to review, objections to answer and disclosures ending; a unit officer's drafts, returned
dossiers and those past their deadline. Two queries at most, whatever the counts."""

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import NominationState, Objection
from awards.models.nominations import EDITABLE_STATES
from awards.nominations import selectors
from emulation_portal.home import Task, is_urgent
from emulation_portal.permissions import is_office, is_unit_officer


def _queue(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse('nominations:queue')}?{query}"


def tasks(request) -> list[Task]:
    user = request.user
    office, officer = is_office(user), is_unit_officer(user)
    if not (office or officer):
        return []
    today = timezone.localdate()
    qs = selectors._with_deadline(selectors.queue(user, {})).order_by()
    open_objection = Exists(Objection.objects.filter(nomination=OuterRef("pk"), answered_at=None))
    editable = Q(state__in=EDITABLE_STATES)
    got = qs.annotate(has_open_objection=open_objection).aggregate(
        submitted=Count("pk", filter=Q(state=NominationState.SUBMITTED)),
        objected=Count("pk", filter=Q(has_open_objection=True)),
        drafts=Count("pk", filter=Q(state=NominationState.DRAFT)),
        drafts_due=Min("deadline", filter=Q(state=NominationState.DRAFT)),
        returned=Count("pk", filter=Q(state=NominationState.RETURNED)),
        returned_due=Min("deadline", filter=Q(state=NominationState.RETURNED)),
        overdue=Count("pk", filter=editable & Q(deadline__lt=today)),
    )
    out = []
    if office:
        out += [
            Task(
                "nominations.review",
                _("Dossiers to review"),
                got["submitted"],
                _queue(state=NominationState.SUBMITTED),
                order=10,
            ),
            Task(
                "nominations.objections",
                _("Nominations with objections to answer"),
                got["objected"],
                _queue(objections="open"),
                order=12,
                urgent=True,
            ),
        ]
        ending = selectors.ending_disclosures(today).aggregate(n=Count("pk"), due=Min("ends_on"))
        out.append(
            Task(
                "nominations.disclosures",
                _("Public disclosures ending within a week"),
                ending["n"],
                f"{reverse('nominations:disclosure-list')}?ending=soon",
                deadline=ending["due"],
                order=14,
                urgent=True,
            )
        )
    if officer:
        out += [
            Task(
                "nominations.drafts",
                _("Draft nominations to complete and submit"),
                got["drafts"],
                _queue(state=NominationState.DRAFT),
                deadline=got["drafts_due"],
                order=20,
                urgent=is_urgent(got["drafts_due"], today),
            ),
            Task(
                "nominations.returned",
                _("Dossiers returned for correction"),
                got["returned"],
                _queue(state=NominationState.RETURNED),
                deadline=got["returned_due"],
                order=21,
                urgent=is_urgent(got["returned_due"], today),
            ),
            Task(
                "nominations.overdue",
                _("Dossiers still open past their deadline"),
                got["overdue"],
                _queue(overdue=1),
                order=22,
                urgent=True,
            ),
        ]
    return out
