"""The print build's copies of the book's images, made ready for a black-and-white press.

WeasyPrint embeds an image in its own colour mode: a colour photograph stays RGB, which a
black-and-white press converts by its own rules ("may print darker"), and transparency becomes
a soft mask. So each copy in the print build's folder is flattened onto white paper and
converted to true greyscale before it is laid out; the book's own images are untouched.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image, ImageOps

RASTER = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"})


def greyscale_images(folder: Path) -> int:
    """Convert every raster image under ``folder`` to greyscale in place; returns how many changed."""
    changed = 0
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in RASTER or not path.is_file():
            continue
        with Image.open(path) as image:
            if image.mode == "L" and "transparency" not in image.info:
                continue
            image_format = image.format or "PNG"
            grey = _on_white(ImageOps.exif_transpose(image)).convert("L")
        if image_format == "JPEG":
            grey.save(path, "JPEG", quality=95)
        elif image_format in ("PNG", "GIF", "WEBP"):
            grey.save(path, image_format)
        else:
            grey.save(path, "PNG")
        changed += 1
    return changed


def _on_white(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        ground = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(ground, rgba)
    return image


class ImageWidths:
    """Pixel widths of the images a print page names, read once per file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._known: dict[str, int | None] = {}

    def __call__(self, src: str) -> int | None:
        name = Path(unquote(urlsplit(src).path)).name
        if name not in self._known:
            path = self.folder / name
            try:
                with Image.open(path) as image:
                    self._known[name] = image.width
            except (OSError, ValueError):
                self._known[name] = None  # not a raster image (SVG), or not in the book
        return self._known[name]
