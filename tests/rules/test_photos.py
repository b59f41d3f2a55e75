"""Headshots: re-encoded without metadata, cut to two sizes; anything else refused with a reason."""
import io
import struct
import zlib

import pytest
from PIL import Image

from portal.register import photos
from tests.support.photos import jpeg_with_gps, picture


def png_header_only(width: int, height: int) -> bytes:
    """A tiny file that claims enormous dimensions: a decompression bomb's shape."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def read(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("fmt, filename", [("JPEG", "me.jpg"), ("JPEG", "ME.JPEG"), ("PNG", "me.png"),
                                           ("WEBP", "me.webp")])
def test_accepted_photos_become_two_square_webps(fmt, filename):
    photo = photos.process(picture(fmt), filename)
    card, profile = read(photo.card), read(photo.profile)
    assert (card.format, card.size) == ("WEBP", (240, 240))
    assert (profile.format, profile.size) == ("WEBP", (480, 480))
    assert len(photo.key) == 32


def test_location_camera_and_colour_profile_are_removed_and_rotation_kept():
    photo = photos.process(jpeg_with_gps(), "holiday.jpg")
    for data in (photo.card, photo.profile):
        image = read(data)
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info and "xmp" not in image.info
        assert b"PhoneMaker" not in data and b"Model X" not in data


def test_transparency_is_laid_on_white():
    photo = photos.process(picture("PNG", mode="RGBA"), "clear.png")
    assert read(photo.card).convert("RGB").getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize("data, filename, message", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "face.svg", "JPEG, PNG or WebP"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "face.png", "not a photo we can read"),
    (b"MZ\x90\x00 not a picture at all", "face.jpg", "not a photo we can read"),
    (picture("PNG"), "face.jpg", "named as a JPEG but is really a PNG"),
    (picture("GIF", mode="P"), "face.png", "named as a PNG but is really a GIF"),
    (picture("PNG"), "face", "JPEG, PNG or WebP"),
    (picture("PNG", size=(40_000, 10)), "wide.png", "40,000 by 10 pixels"),
    (png_header_only(30_000, 30_000), "bomb.png", "far too many pixels to open"),
    (png_header_only(7_000, 7_000), "big.png", "7,000 by 7,000 pixels, more than we can take"),
    (png_header_only(3_000, 3_000), "short.png", "damaged or incomplete"),
    (picture("JPEG")[:400], "cut.jpg", "damaged or incomplete"),
    (b"", "empty.jpg", "empty"),
    (b"\xff" * (5 * 1024 * 1024 + 1), "huge.jpg", "5 MB or smaller"),
])
def test_anything_else_is_refused_with_a_reason(data, filename, message):
    with pytest.raises(photos.PhotoRefused, match=message):
        photos.process(data, filename)
