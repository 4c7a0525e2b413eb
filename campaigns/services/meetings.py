"""Bloc meetings and activities, and their photos."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from campaigns.models import BlocMeeting, MeetingKind, MeetingPhoto
from campaigns.services.common import _require
from emulation_portal import audit
from units.models import Bloc, Unit

MAX_PHOTO_BYTES = 10 * 1024 * 1024


PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


@transaction.atomic
def create_meeting(
    actor,
    bloc: Bloc,
    year: int,
    *,
    kind: str,
    held_on: date,
    place: str,
    host: Unit,
    title: str = "",
    minutes: str = "",
    attendees: list[Unit] | None = None,
    other_blocs: list[Bloc] | None = None,
    flag_slots: int = 1,
    bk_slots: int = 2,
) -> BlocMeeting:
    """Record a meeting or joint activity of the bloc (leader's officer)."""
    from campaigns.selectors import BlocYear

    _require(actor, "campaigns.run_bloc", BlocYear(bloc, year))
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Unknown kind of meeting.")})
    if not (place or "").strip():
        raise ValidationError({"place": _("Give the place of the meeting.")})
    if (
        kind == MeetingKind.YEAR_END
        and BlocMeeting.objects.filter(bloc=bloc, year=year, kind=kind).exists()
    ):
        raise ValidationError(
            _("The bloc already has a year-end meeting for %(year)s.") % {"year": year}
        )
    try:
        with transaction.atomic():
            meeting = BlocMeeting.objects.create(
                bloc=bloc,
                year=year,
                kind=kind,
                held_on=held_on,
                place=place.strip(),
                host=host,
                title=title,
                minutes=minutes,
                flag_slots=flag_slots,
                bk_slots=bk_slots,
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("The bloc already has a year-end meeting for %(year)s.") % {"year": year}
        ) from None
    if attendees:
        meeting.attendees.set(attendees)
    if other_blocs:
        meeting.other_blocs.set(other_blocs)
    audit.record(
        actor,
        "meeting.create",
        meeting,
        after={
            "kind": kind,
            "held_on": held_on,
            "place": place,
            "host": host.code,
            "attendees": [u.code for u in attendees or []],
        },
    )
    return meeting


@transaction.atomic
def update_meeting(
    actor, meeting: BlocMeeting, *, minutes: str, attendees: list[Unit] | None = None
) -> BlocMeeting:
    """Record the minutes and the attending units."""
    _require(actor, "campaigns.run_bloc", meeting)
    meeting = BlocMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.result_recorded_at:
        raise ValidationError(
            _(
                "The meeting's result is recorded: its minutes and attendees are part of the "
                "record and can no longer change."
            ),
            code="meeting_closed",
        )
    before = {
        "minutes": meeting.minutes,
        "attendees": sorted(meeting.attendees.values_list("code", flat=True)),
    }
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    if attendees is not None:
        meeting.attendees.set(attendees)
    audit.record(
        actor,
        "meeting.update",
        meeting,
        before=before,
        after={"minutes": minutes, "attendees": sorted(u.code for u in attendees or [])},
    )
    return meeting


def validate_image(upload) -> str:
    """Check by content (not by name) that ``upload`` is a JPEG, PNG or WebP image within
    the size and pixel limits, without decoding it; returns the extension of the detected
    type."""
    from emulation_portal.uploads import check_image

    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"image": _("The photo is larger than 10 MB.")})
    try:
        checked = check_image(upload, formats=tuple(PHOTO_FORMATS))
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    return checked.extension


def add_photo(actor, meeting: BlocMeeting, upload, *, caption: str = "") -> MeetingPhoto:
    """Attach a photo (checked by its content) to a meeting or activity: stores the file
    under a random name with the detected type's extension, its row and the audit event."""
    import uuid

    _require(actor, "campaigns.run_bloc", meeting)
    extension = validate_image(upload)  # before the transaction: it reads the whole file
    with transaction.atomic():
        photo = MeetingPhoto(meeting=meeting, caption=caption[:300], uploaded_by=actor)
        photo.image.save(f"{uuid.uuid4().hex}.{extension}", upload, save=True)
        audit.record(
            actor,
            "meeting.add_photo",
            photo,
            after={"meeting": meeting.pk, "file": photo.image.name},
        )
    return photo
