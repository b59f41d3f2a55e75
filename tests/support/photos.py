"""Pictures made on the spot, as a phone or an editor would save them."""
import io

from PIL import Image


def picture(fmt="JPEG", size=(800, 600), mode="RGB", **save) -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90 degrees to display
    exif.get_ifd(0x8825).update({1: "N", 2: (53.0, 48.0, 1.0), 3: "W", 4: (1.0, 32.0, 55.0)})  # GPS: Leeds
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, icc_profile=b"\0" * 128)
    return out.getvalue()
