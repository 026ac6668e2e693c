"""Question images (preguntas/images.py): what is stored is a new WebP drawn from the upload,
upright, no larger than MAX_SIDE, with no metadata; too large, too many pixels or no image is
refused with a message for the teacher. And /media/, where the local demo serves them."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.storage import default_storage
from PIL import Image, ImageCms

from preguntas import images
from preguntas.images import ImageError, reencode


def image_bytes(mode="RGB", size=(120, 80), color=(200, 30, 30), format="PNG", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format, **save)
    return buffer.getvalue()


def upload(data: bytes, name="foto.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def stored(content) -> Image.Image:
    picture = Image.open(io.BytesIO(content.read()))
    picture.load()
    return picture


def refusal(data: bytes, name="foto.png") -> str:
    with pytest.raises(ImageError) as refused:
        reencode(upload(data, name))
    return str(refused.value)


def exif_with(**tags) -> bytes:
    exif = Image.Exif()
    for tag, value in tags.items():
        exif[{"orientation": 0x0112, "make": 0x010F, "model": 0x0110}[tag]] = value
    return exif.tobytes()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that says it is width × height and holds almost nothing: a decompression bomb's
    header, cheap to make and to refuse."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


# What is stored ---------------------------------------------------------------------------


def test_a_photo_is_stored_as_webp_under_a_new_random_name():
    first = reencode(upload(image_bytes(format="JPEG"), "../../etc/Foto de clase ñ.jpg", "image/jpeg"))
    second = reencode(upload(image_bytes(format="JPEG"), "../../etc/Foto de clase ñ.jpg", "image/jpeg"))
    assert first.name != second.name
    for content in (first, second):
        assert content.name.endswith(".webp") and "/" not in content.name and "Foto" not in content.name
        assert len(content.name) == len("0123456789abcdef0123456789abcdef.webp")
    picture = stored(first)
    assert (picture.format, picture.size) == ("WEBP", (120, 80))
    red, green, blue = picture.getpixel((60, 40))
    assert red > 180 and green < 60 and blue < 60


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_every_format_a_teacher_has_is_taken(format):
    picture = stored(reencode(upload(image_bytes(format=format), f"dibujo.{format.lower()}")))
    assert picture.format == "WEBP" and picture.size == (120, 80)


def test_a_large_photo_is_shrunk_to_fit_the_longest_side():
    picture = stored(reencode(upload(image_bytes(size=(4000, 3000), format="JPEG"), "grande.jpg")))
    assert picture.size == (images.MAX_SIDE, 1200)


def test_a_tall_picture_is_shrunk_by_its_height():
    picture = stored(reencode(upload(image_bytes(size=(900, 3200)))))
    assert picture.size == (450, images.MAX_SIDE)


def test_a_small_picture_keeps_its_size():
    assert stored(reencode(upload(image_bytes(size=(64, 48))))).size == (64, 48)


def test_a_png_with_transparency_keeps_it():
    canvas = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    canvas.paste((20, 120, 220, 255), (25, 25, 75, 75))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    picture = stored(reencode(upload(buffer.getvalue())))
    assert picture.mode == "RGBA"
    assert picture.getpixel((5, 5))[3] == 0  # the clear corner stays clear
    assert picture.getpixel((50, 50))[3] == 255


def test_a_picture_with_no_transparency_has_no_alpha_channel():
    assert stored(reencode(upload(image_bytes()))).mode == "RGB"


def test_a_phone_photo_is_turned_upright_and_loses_its_exif():
    """Orientation 6: the camera was held sideways; the stored picture is turned 90° clockwise."""
    canvas = Image.new("RGB", (200, 100), (255, 255, 255))
    canvas.paste((0, 0, 0), (0, 0, 40, 100))  # a black band on the left, as stored by the camera
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", exif=exif_with(orientation=6, make="Cámara", model="Teléfono 12"))
    picture = stored(reencode(upload(buffer.getvalue(), "IMG_0001.jpg", "image/jpeg")))
    assert picture.size == (100, 200)
    assert sum(picture.getpixel((50, 10))) < 150  # the band is now at the top
    assert sum(picture.getpixel((50, 190))) > 600
    assert "exif" not in picture.info and not picture.getexif()


def test_no_metadata_of_the_upload_is_kept():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_bytes(format="PNG", icc_profile=profile, exif=exif_with(make="Escáner"))
    picture = stored(reencode(upload(data)))
    assert not {"exif", "icc_profile", "xmp"} & set(picture.info)


def test_only_the_first_frame_of_an_animation_is_kept():
    frames = [Image.new("RGB", (40, 30), color) for color in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    picture = stored(reencode(upload(buffer.getvalue(), "animada.gif", "image/gif")))
    assert getattr(picture, "n_frames", 1) == 1
    red, _, blue = picture.getpixel((20, 15))[:3]
    assert red > 200 and blue < 50


def test_a_cmyk_print_file_becomes_rgb():
    picture = stored(reencode(upload(image_bytes("CMYK", color=(0, 0, 0, 0), format="JPEG"), "imprenta.jpg")))
    assert picture.mode == "RGB" and min(picture.getpixel((10, 10))) > 240


# What is refused -----------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    photo = image_bytes(format="JPEG")
    data = photo + b"\0" * (images.MAX_BYTES + 1024 * 1024 - len(photo))  # decoders ignore what follows the image
    message = refusal(data, "enorme.jpg").replace("\xa0", " ")
    assert message == "La imagen ocupa 6,0 MB y el máximo es 5,0 MB: elige una más pequeña o redúcela antes de subirla."
    assert refusal(photo + b"\0" * (images.MAX_BYTES + 1 - len(photo)), "enorme.jpg")


def test_a_file_at_the_size_limit_is_taken():
    photo = image_bytes(format="JPEG")
    assert reencode(upload(photo + b"\0" * (images.MAX_BYTES - len(photo)), "justa.jpg")).name.endswith(".webp")


@pytest.mark.parametrize(
    "data, name",
    [
        (b"texto,respuesta\nLima,v\n", "preguntas.csv"),
        (b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n", "apuntes.pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "dibujo.svg"),
        (b"<html><body>hola</body></html>", "foto.png"),
        (image_bytes(format="BMP"), "dibujo.bmp"),  # an image, but not a format that is taken
        (image_bytes(format="TIFF"), "escaner.tif"),
        (image_bytes(format="PNG")[:60], "cortada.png"),  # cut short
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "rota.png"),
    ],
)
def test_a_file_that_is_not_an_image_of_a_taken_format_is_refused(data, name):
    assert refusal(data, name) == (
        "Ese archivo no es una imagen que se pueda abrir: sube una foto o un dibujo en JPEG, PNG, WebP o GIF."
    )


def test_an_empty_file_is_refused():
    assert refusal(b"") == "El archivo está vacío."


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    """40 000 × 40 000 pixels (4.8 GB decoded) in 70 bytes."""
    data = png_header_only(40_000, 40_000)
    assert len(data) < 100
    assert refusal(data) == (
        "La imagen tiene demasiados píxeles: el máximo es 40 millones. Redúcela antes de subirla."
    )


def test_a_picture_over_the_pixel_limit_is_refused_with_its_size():
    assert refusal(png_header_only(7000, 7000)) == (
        "La imagen mide 7000 × 7000 píxeles y el máximo es 40 millones de píxeles: redúcela antes de subirla."
    )


def test_a_real_picture_over_the_pixel_limit_is_refused():
    """A black-and-white picture of 8000 × 6000 pixels: a small file, 48 million pixels."""
    data = image_bytes("1", (8000, 6000), 0, "PNG")
    assert len(data) < images.MAX_BYTES
    assert "8000 × 6000 píxeles" in refusal(data)


# Serving ----------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_app_serves_a_stored_image_with_nosniff(client, media_root):
    name = default_storage.save("preguntas/2026/11/" + "a" * 32 + ".webp", reencode(upload(image_bytes())))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


@pytest.mark.parametrize("path", ["preguntas/no-existe.webp", "../settings.py", "preguntas/", "%00", "..%2F..%2Fetc%2Fpasswd"])
def test_nothing_but_a_stored_file_is_served(client, media_root, path):
    (media_root / "preguntas").mkdir()
    assert client.get(f"/media/{path}").status_code in (400, 404)


def test_media_is_read_only(client, media_root):
    assert client.post("/media/preguntas/x.webp").status_code == 405
