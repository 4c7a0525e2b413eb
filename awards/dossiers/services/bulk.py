"""Bulk jobs that end in one ZIP: every dossier of a council session, every certificate of
a signed decision. The ZIP is written to a temporary file one member at a time (each
stored PDF streamed from storage), so memory stays bounded whatever the number of items;
the job's progress counts the items."""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from awards.models import CouncilSession, Decision, DecisionState
from emulation_portal import audit, jobs
from emulation_portal.models import Job

SESSION_KIND = "dossiers.session_zip"
CERTIFICATES_KIND = "dossiers.certificates_zip"
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def member_name(order: int, label: str, suffix: str = ".pdf") -> str:
    """An inert file name inside the ZIP: the order, then the label in NFC Vietnamese with
    path separators, control and reserved characters replaced and no leading dot."""
    text = unicodedata.normalize("NFC", label)
    text = UNSAFE.sub("_", text).strip(" ._")[:80] or "tep"
    return f"{order:03d}-{text}{suffix}"


def _write_zip(job: Job, reporter, entries, archive_name: str) -> None:
    """``entries``: (member name, callable giving the stored document). Writes the ZIP to
    a temporary file and saves it as the job's result."""
    total = len(entries)
    reporter.progress(0, total)
    with tempfile.TemporaryFile() as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
            for done, (name, produce) in enumerate(entries, start=1):
                doc = produce()
                with default_storage.open(doc.file.name, "rb") as src, zf.open(name, "w") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
                reporter.progress(done, total)
        tmp.seek(0)
        fresh = Job.objects.get(pk=job.pk)
        fresh.result_file.save(archive_name, File(tmp), save=False)
        Job.objects.filter(pk=job.pk).update(result_file=fresh.result_file.name)


def session_zip_work(job: Job, reporter) -> None:
    from awards.dossiers.services.dossier import ensure_dossier

    session = CouncilSession.objects.get(pk=job.params["session"])
    items = list(
        session.items.select_related("nomination__person", "nomination__unit").order_by(
            "order", "id"
        )
    )
    entries = [
        (
            member_name(i, str(item.nomination.nominee)),
            lambda pk=item.nomination_id: ensure_dossier(pk),
        )
        for i, item in enumerate(items, start=1)
    ]
    _write_zip(job, reporter, entries, f"ho-so-phien-{session.pk}.zip")


def certificates_zip_work(job: Job, reporter) -> None:
    from awards.decisions.services.documents import ensure_certificate

    decision = Decision.objects.get(pk=job.params["decision"])
    items = list(
        decision.items.select_related("nomination__person", "nomination__unit").order_by("order")
    )
    entries = [
        (
            member_name(item.order, str(item.nomination.nominee)),
            lambda pk=item.pk: ensure_certificate(pk),
        )
        for item in items
    ]
    _write_zip(job, reporter, entries, f"bang-khen-qd-{decision.pk}.zip")


def start_session_zip(actor, session: CouncilSession) -> Job:
    """Start the job that zips every dossier of a council session (the office)."""
    from awards.dossiers import tasks

    if not actor.has_perm("dossiers.bulk", session):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not session.items.exists():
        raise ValidationError(_("This session has no nominations on its agenda."))
    job = jobs.start_job(actor, SESSION_KIND, tasks.session_zip, {"session": session.pk})
    audit.record(actor, "dossiers.session_zip", session, after={"job": job.pk})
    return job


def start_certificates_zip(actor, decision: Decision) -> Job:
    """Start the job that zips every certificate of a signed decision (the office)."""
    from awards.dossiers import tasks

    if not actor.has_perm("dossiers.bulk", decision):
        raise PermissionDenied(_("You are not allowed to do this."))
    if decision.state == DecisionState.DRAFT:
        raise ValidationError(_("Certificates are printed for signed decisions only."))
    job = jobs.start_job(
        actor, CERTIFICATES_KIND, tasks.certificates_zip, {"decision": decision.pk}
    )
    audit.record(actor, "dossiers.certificates_zip", decision, after={"job": job.pk})
    return job
