"""Question images: what a teacher uploads is checked, then stored as a new file drawn from it.

The file that was sent is never stored. It is read as JPEG, PNG, WebP or GIF (an animation's
first frame) and nothing else; its size and its pixel count are checked before it is decoded
(a small file can unpack into gigabytes: a decompression bomb); it is turned upright as its
EXIF orientation says, converted to sRGB, shrunk to fit ``MAX_SIDE`` and written again as WebP
with no metadata at all (no EXIF, so no GPS position or camera; no ICC profile, no XMP), under
a new random name.

Why WebP: every browser a class uses shows it (Safari since 14, in 2020), it keeps
transparency, and it is smaller than JPEG or PNG for the same look on a phone's data plan.
Photos are written lossy at ``QUALITY``; palette images (GIFs, diagrams saved as 8-bit PNGs)
losslessly, because lossy compression smears their flat colours and thin lines.
"""

import io
import uuid

from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps

MAX_BYTES = 5 * 1024 * 1024  # a phone photo; nginx's client_max_body_size must allow it (docs/deploy.md)
MAX_PIXELS = 40_000_000  # about 7300 × 5500: any real photo; decoded it is 160 MB of memory at most
MAX_SIDE = 1600  # sharp on a projector and on a phone held close
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"  # what the file input offers to pick
QUALITY = 85
EXTENSION = "webp"

_SRGB = ImageCms.createProfile("sRGB")


class ImageError(ValueError):
    """Why an upload is refused, in words for the teacher."""


def reencode(upload) -> ContentFile:
    """The file to store for an uploaded image (a Django ``UploadedFile`` or any binary file),
    named ``<random>.webp``; ``ImageError`` if it is too large, too many pixels or no image."""
    _check_size(upload)
    upload.seek(0)
    try:
        with Image.open(upload, formats=FORMATS) as image:
            _check_pixels(image)
            palette = image.mode in ("P", "1")
            image.draft(None, (MAX_SIDE, MAX_SIDE))  # a large JPEG is decoded at 1/2, 1/4 or 1/8 size
            image.load()
            picture = _srgb(ImageOps.exif_transpose(image))
    except ImageError:
        raise
    except Image.DecompressionBombError:
        raise ImageError(_too_many_pixels()) from None
    except Exception:  # whatever a broken or hostile file makes a decoder raise
        raise ImageError(not_an_image()) from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    picture.info = {}  # nothing of the original file's metadata goes into the new one
    buffer = io.BytesIO()
    picture.save(buffer, "WEBP", quality=QUALITY, lossless=palette, method=4)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSION}")


def not_an_image() -> str:
    return _("Ese archivo no es una imagen que se pueda abrir: sube una foto o un dibujo en JPEG, PNG, WebP o GIF.")


def _check_size(upload) -> None:
    size = getattr(upload, "size", None)
    if size is None:
        size = upload.seek(0, io.SEEK_END)
    if not size:
        raise ImageError(_("El archivo está vacío."))
    if size > MAX_BYTES:
        raise ImageError(
            _("La imagen ocupa %(size)s y el máximo es %(max)s: elige una más pequeña o redúcela antes de subirla.")
            % {"size": filesizeformat(size), "max": filesizeformat(MAX_BYTES)}
        )


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageError(_too_many_pixels(width, height))


def _too_many_pixels(width: int | None = None, height: int | None = None) -> str:
    limit = {"max": MAX_PIXELS // 1_000_000}
    if width is None:
        return _("La imagen tiene demasiados píxeles: el máximo es %(max)s millones. Redúcela antes de subirla.") % limit
    return _(
        "La imagen mide %(width)s × %(height)s píxeles y el máximo es %(max)s millones de píxeles: "
        "redúcela antes de subirla."
    ) % {"width": width, "height": height, **limit}


def _srgb(image: Image.Image) -> Image.Image:
    """The image in RGB, or RGBA if it has transparency, its colours moved to sRGB from the
    profile it carries (a wide-gamut phone photo, a CMYK print file)."""
    mode = "RGBA" if image.has_transparency_data else "RGB"
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            return ImageCms.profileToProfile(image, io.BytesIO(profile), _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: the colours as they are
    return image.convert(mode)
