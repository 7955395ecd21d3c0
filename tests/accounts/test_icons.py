import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fanshelf.accounts.icons import icon_from_upload
from fanshelf.accounts.pseuds import create_pseud, edit_pseud

pytestmark = pytest.mark.django_db


def image_file(fmt="PNG", size=(300, 200), mode="RGB", name="me.png", **save):
    out = io.BytesIO()
    colour = {"RGBA": (200, 30, 60, 128), "L": 200}.get(mode, (200, 30, 60))
    Image.new(mode, size, colour).save(out, format=fmt, **save)
    return SimpleUploadedFile(name, out.getvalue())


def jpeg_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo: latitude
    return image_file("JPEG", name="holiday.jpg", exif=exif.tobytes())


def opened(content):
    return Image.open(io.BytesIO(content.read()))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_each_accepted_format_becomes_a_100px_png(fmt):
    icon = opened(icon_from_upload(image_file(fmt)))
    assert (icon.format, icon.size) == ("PNG", (100, 100))


def test_transparency_is_kept():
    icon = opened(icon_from_upload(image_file(mode="RGBA")))
    assert icon.mode == "RGBA"
    assert icon.getpixel((50, 50))[3] == 128


def test_exif_and_gps_are_stripped():
    upload = jpeg_with_gps()
    assert b"SpyCam" in upload.read()
    upload.seek(0)
    content = icon_from_upload(upload).read()
    icon = Image.open(io.BytesIO(content))
    assert b"SpyCam" not in content
    assert not icon.getexif()
    assert "exif" not in icon.info


def test_a_file_that_is_not_an_image_is_refused():
    upload = SimpleUploadedFile("me.png", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError) as caught:
        icon_from_upload(upload)
    assert "not a picture" in caught.value.message_dict["icon"][0]


def test_other_image_formats_are_refused():
    with pytest.raises(ValidationError):
        icon_from_upload(image_file("BMP", name="me.bmp"))


def test_a_truncated_image_is_refused():
    whole = image_file("PNG", size=(400, 400)).read()
    with pytest.raises(ValidationError):
        icon_from_upload(SimpleUploadedFile("me.png", whole[: len(whole) // 2]))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.FANSHELF_ICON_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        icon_from_upload(image_file())
    assert "too big" in caught.value.message_dict["icon"][0]


def test_a_decompression_bomb_is_refused_before_decoding():
    # 5000×5000 of one colour compresses to a few kilobytes.
    bomb = image_file("PNG", size=(5000, 5000), mode="L")
    assert bomb.size < 100_000
    with pytest.raises(ValidationError) as caught:
        icon_from_upload(bomb)
    assert "4000" in caught.value.message_dict["icon"][0]


def test_a_pseud_icon_is_stored_under_a_random_name_with_alt_text(author, settings):
    pseud = create_pseud(user=author, name="Hux Icons", icon=jpeg_with_gps())
    assert pseud.icon.name.startswith("icons/") and pseud.icon.name.endswith(".png")
    assert "holiday" not in pseud.icon.name
    assert pseud.icon_description == "Hux Icons’s icon"
    assert (settings.MEDIA_ROOT / pseud.icon.name).exists()
    assert pseud.icon.url.startswith("/media/icons/")


def test_replacing_and_removing_an_icon_deletes_the_old_file(author, settings):
    pseud = create_pseud(user=author, name="Hux Icons", icon=image_file())
    first = settings.MEDIA_ROOT / pseud.icon.name
    edit_pseud(user=author, pseud=pseud, name="Hux Icons", icon=image_file("GIF"), icon_alt="a cat")
    second = settings.MEDIA_ROOT / pseud.icon.name
    assert not first.exists() and second.exists()
    assert pseud.icon_description == "a cat"
    edit_pseud(user=author, pseud=pseud, name="Hux Icons", remove_icon=True)
    assert not second.exists() and not pseud.icon
