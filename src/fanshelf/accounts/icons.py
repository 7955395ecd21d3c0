"""Pseud icons: an upload is checked with Pillow and re-encoded as a 100×100 PNG.

Re-encoding drops everything the upload carried besides its pixels (EXIF, GPS
positions, comments) and any trick hidden in the file; only PNG, JPEG, GIF and WebP
are opened, and the pixel size is checked before a single pixel is decoded.
"""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ICON_SIZE = (100, 100)
MAX_SIDE = 4000
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")


def _refuse(message: str) -> ValidationError:
    return ValidationError({"icon": [message]})


def icon_from_upload(upload) -> ContentFile:
    """A 100×100 PNG made from an uploaded image, or ``ValidationError`` on "icon".

    Refused: a file over ``FANSHELF_ICON_MAX_BYTES``, anything but PNG/JPEG/GIF/WebP,
    a broken image, and images wider or taller than 4000 pixels (a small file can
    unpack to gigabytes). The picture is cropped to a square; transparency is kept.
    """
    limit = settings.FANSHELF_ICON_MAX_BYTES
    if upload.size > limit:
        raise _refuse(
            _("That file is too big: an icon may be at most %(size)s.")
            % {"size": filesizeformat(limit)}
        )
    not_an_image = _refuse(
        _("That file is not a picture we can use: upload a PNG, JPEG, GIF or WebP image.")
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=FORMATS) as image:
                _check_dimensions(image)
                image.verify()
            # verify() leaves the image unusable: open it again to decode it.
            upload.seek(0)
            with Image.open(upload, formats=FORMATS) as image:
                _check_dimensions(image)
                image.seek(0)
                image.load()
                icon = _square_icon(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    out = io.BytesIO()
    icon.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name="icon.png")


def _too_large() -> ValidationError:
    return _refuse(
        _("That picture is too large: icons may be at most %(side)s×%(side)s pixels.")
        % {"side": MAX_SIDE}
    )


def _check_dimensions(image) -> None:
    width, height = image.size
    if width > MAX_SIDE or height > MAX_SIDE:
        raise _too_large()
    if width < 1 or height < 1:
        raise _refuse(_("That picture is empty."))


def _square_icon(image):
    # Turn a phone photo the way it was taken before the EXIF that says so is dropped.
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    # A new image from the pixels alone: no info dict, no EXIF, no ICC profile.
    fitted = ImageOps.fit(image, ICON_SIZE, method=Image.Resampling.LANCZOS)
    clean = Image.new(fitted.mode, fitted.size)
    clean.paste(fitted)
    return clean
