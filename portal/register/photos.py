"""Mentor headshots: checked, re-encoded without metadata, cut to two square sizes.

Only JPEG, PNG and WebP photos up to 5 MB are taken. Pillow reads the file's header before
its pixels, so a file that is not what its name says, a picture of enormous dimensions or a
decompression bomb is refused before any memory is spent on it. What is kept is a fresh
WebP encoding of the pixels alone: no EXIF, no GPS position, no camera details.
"""
import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from PIL import Image, ImageOps, UnidentifiedImageError

from portal.core.refused import Refused

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 8000
MAX_PIXELS = 40_000_000
SIZES = {"card": 240, "profile": 480}  # square, twice the size shown, for sharp phone screens

# What each accepted file name says, and what Pillow must find inside it.
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "BMP": "BMP", "TIFF": "TIFF"}


DAMAGED = "The photo seems to be damaged or incomplete: try saving it again"


class PhotoRefused(Refused):
    """Why a photo was not taken, in words for the person who chose it."""


@dataclass
class Photo:
    key: str
    card: bytes
    profile: bytes


def process(data: bytes, filename: str) -> Photo:
    if len(data) > MAX_BYTES:
        raise PhotoRefused("The photo must be 5 MB or smaller")
    if not data:
        raise PhotoRefused("The chosen file is empty")
    claimed = FORMATS.get(PurePath(filename or "").suffix.lower())
    if claimed is None:
        raise PhotoRefused("The photo must be a JPEG, PNG or WebP file")

    with warnings.catch_warnings():
        # Pillow warns, then errors, on images big enough to be decompression bombs: refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            raise PhotoRefused("The file is not a photo we can read: choose a JPEG, PNG or WebP photo") from None
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise PhotoRefused(f"The photo has far too many pixels to open: make it no more than {MAX_SIDE:,} "
                               "pixels on each side and choose it again") from None
        except OSError:
            raise PhotoRefused(DAMAGED) from None
        found = image.format
        if found != claimed:
            named = FORMAT_NAMES.get(found, found or "another kind of file")
            raise PhotoRefused(f"The file is named as a {FORMAT_NAMES[claimed]} but is really a {named}: "
                               "save it again as JPEG, PNG or WebP and choose it again")
        width, height = image.size
        if width > MAX_SIDE or height > MAX_SIDE:
            raise PhotoRefused(f"The photo is {width:,} by {height:,} pixels: it must be no more than "
                               f"{MAX_SIDE:,} pixels on each side")
        if width * height > MAX_PIXELS:
            raise PhotoRefused(f"The photo is {width:,} by {height:,} pixels, more than we can take: "
                               "make it smaller and choose it again")
        try:
            image.load()
        except (OSError, Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise PhotoRefused(DAMAGED) from None

    image = ImageOps.exif_transpose(image)  # honour the camera's rotation before the EXIF goes
    image = _flatten(image)
    encoded = {name: _encode(ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS))
               for name, side in SIZES.items()}
    key = hashlib.sha256(encoded["profile"]).hexdigest()[:32]
    return Photo(key=key, card=encoded["card"], profile=encoded["profile"])


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels only: transparency laid on white, palettes and other modes converted."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _encode(image: Image.Image) -> bytes:
    # A new image from the pixels alone carries no EXIF, XMP or ICC from the original file.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "WEBP", quality=82, method=4)
    return out.getvalue()
