"""Attaching files to a dossier or to a submission letter, and removing them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    Attachment,
    AttachmentKind,
    Batch,
    Nomination,
)
from awards.nominations import uploads
from awards.nominations.services.common import (
    _conflict,
    _lock,
    _require,
)
from awards.nominations.services.duties import note_proposer
from emulation_portal import audit


def add_attachment(
    actor, nomination: Nomination, upload, *, kind: str, version: int | None = None
) -> Attachment:
    """Attach a checked file (PDF, JPEG, PNG or DOCX, by content) to an editable dossier:
    stores the file and its row, bumps the nomination's version, records the audit event.
    The file is checked first, outside the transaction that locks the nomination."""
    _require(actor, "nominations.edit", nomination)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose which document this is.")})
    # Checking a file decompresses it (DOCX): done before the row lock, so that nobody
    # editing the same nomination waits on it. Permission and version are checked again
    # under the lock.
    checked = uploads.check_upload(upload)
    with transaction.atomic():
        return _attach(actor, nomination, checked, kind=kind, version=version)


def _attach(actor, nomination: Nomination, checked, *, kind: str, version: int | None):
    n = _lock(nomination)
    _require(actor, "nominations.edit", n)
    if version is not None and int(version) != n.version:
        raise _conflict()
    att = _store(actor, checked, kind, nomination=n)
    Nomination.objects.filter(pk=n.pk).update(version=F("version") + 1, updated_at=timezone.now())
    note_proposer(actor, [n])
    audit.record(
        actor,
        "nomination.attach",
        n,
        after={"attachment": att.pk, "kind": kind, "name": att.original_name, "sha256": att.sha256},
    )
    return att


def _store(actor, checked: uploads.CheckedFile, kind: str, **owner) -> Attachment:
    """Write the file under a random name, then its row; the file is removed again if the
    row cannot be saved."""
    att = Attachment(
        kind=kind,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        **owner,
    )
    att.file.save(f"upload.{checked.extension}", ContentFile(checked.content), save=False)
    try:
        with transaction.atomic():
            att.save()
    except Exception:
        att.file.delete(save=False)
        raise
    return att


@transaction.atomic
def remove_attachment(actor, attachment: Attachment) -> None:
    """Remove a file from an editable dossier (the stored file is deleted after commit)."""
    if attachment.nomination_id:
        n = _lock(attachment.nomination)
        _require(actor, "nominations.edit", n)
        Nomination.objects.filter(pk=n.pk).update(version=F("version") + 1)
        note_proposer(actor, [n])
        obj = n
    else:
        batch = attachment.batch
        _require(actor, "nominations.submit", Nomination(proposing_unit=batch.proposing_unit))
        note_proposer(actor, batch.nominations.values_list("pk", flat=True))
        obj = batch
    name, storage = attachment.file.name, attachment.file.storage
    audit.record(
        actor,
        "nomination.detach",
        obj,
        before={"attachment": attachment.pk, "name": attachment.original_name},
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def add_batch_attachment(actor, batch: Batch, upload, *, kind: str) -> Attachment:
    """Attach a file to a submission letter; it serves every nomination the letter carries.
    The file is checked before the transaction that stores it."""
    _require(actor, "nominations.submit", Nomination(proposing_unit=batch.proposing_unit))
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose which document this is.")})
    checked = uploads.check_upload(upload)
    with transaction.atomic():
        return _attach_to_batch(actor, batch, checked, kind=kind)


def _attach_to_batch(actor, batch: Batch, checked, *, kind: str) -> Attachment:
    att = _store(actor, checked, kind, batch=batch)
    note_proposer(actor, batch.nominations.values_list("pk", flat=True))
    audit.record(
        actor,
        "batch.attach",
        batch,
        after={"attachment": att.pk, "kind": kind, "name": att.original_name},
    )
    return att
