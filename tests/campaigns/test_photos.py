"""Meeting photos: checked by content within a pixel bound, stored under a random name with
the detected type's extension, and shown only through a view that checks the reader."""

import datetime as dt
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import services
from campaigns.models import MeetingPhoto
from emulation_portal.models import Role
from tests.portal import hostile


def url(name, s, *args):
    return reverse(f"campaigns:{name}", args=[s.bloc.pk, s.year, *args])


@pytest.fixture
def meeting(bloc_setup):
    s = bloc_setup
    return services.create_meeting(
        s.leader,
        s.bloc,
        s.year,
        kind="activity",
        held_on=dt.date(2025, 5, 20),
        place="Sầm Sơn",
        host=s.units[0],
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _stored_files(settings):
    root = os.path.join(settings.MEDIA_ROOT, "campaigns")
    return [f for _d, _s, files in os.walk(root) for f in files]


def test_a_pixel_bomb_gets_a_form_error_not_a_500(client, bloc_setup, meeting, settings):
    s = bloc_setup
    bomb = hostile.pixel_bomb_png(30000, 30000)
    client.force_login(s.leader)
    response = client.post(
        url("meeting-photo", s, meeting.pk),
        {"image": SimpleUploadedFile("anh.png", bomb), "caption": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert "quá nhiều điểm ảnh" in response.content.decode()  # the page is in Vietnamese
    assert not meeting.photos.exists() and _stored_files(settings) == []


def test_a_large_but_not_bomb_sized_image_is_refused_before_decoding(bloc_setup, meeting):
    bomb = hostile.pixel_bomb_png(10000, 6000)  # under Pillow's own limit, over ours
    with pytest.raises(ValidationError) as exc:
        services.add_photo(bloc_setup.leader, meeting, SimpleUploadedFile("a.png", bomb))
    assert "10000 x 6000" in exc.value.message_dict["image"][0]
    assert not meeting.photos.exists()


def test_a_png_named_html_is_stored_as_png_under_a_random_name(bloc_setup, meeting):
    photo = services.add_photo(
        bloc_setup.leader, meeting, SimpleUploadedFile("photo.html", hostile.png_bytes())
    )
    name = os.path.basename(photo.image.name)
    assert name.endswith(".png") and "photo" not in name and ".html" not in name


def test_photos_display_only_to_who_may_see_the_meeting(
    client, bloc_setup, meeting, make_user, office_user
):
    s = bloc_setup
    photo = services.add_photo(
        s.leader, meeting, SimpleUploadedFile("b.png", hostile.png_bytes()), caption="Biển"
    )
    file_url = url("meeting-photo-file", s, meeting.pk, photo.pk)
    client.force_login(s.officers[2])  # a member unit's officer
    page = client.get(url("meeting", s, meeting.pk)).content.decode()
    assert f'src="{file_url}"' in page
    response = client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == hostile.png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert f'filename="anh-{meeting.pk}-{photo.pk}.png"' in response["Content-Disposition"]
    client.force_login(office_user)
    assert client.get(file_url).status_code == 200
    for outsider in (s.outsider, make_user(Role.VIEWER)):
        client.force_login(outsider)
        assert client.get(file_url).status_code in (403, 404)
    client.logout()
    assert client.get(file_url).status_code == 302
    # a photo id of another meeting is not found through this one
    other = services.create_meeting(
        s.leader,
        s.bloc,
        s.year,
        kind="activity",
        held_on=dt.date(2025, 6, 1),
        place="Huế",
        host=s.units[1],
    )
    client.force_login(s.leader)
    assert client.get(url("meeting-photo-file", s, other.pk, photo.pk)).status_code == 404
    # and /media/ stays unrouted
    assert client.get("/media/" + photo.image.name).status_code == 404


def test_a_photo_stored_before_the_fix_is_served_by_its_content(client, bloc_setup, meeting):
    from django.core.files.base import ContentFile

    s = bloc_setup
    photo = MeetingPhoto(meeting=meeting, uploaded_by=s.leader)
    photo.image.save("photo.html", ContentFile(hostile.png_bytes()), save=True)
    client.force_login(s.leader)
    response = client.get(url("meeting-photo-file", s, meeting.pk, photo.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
