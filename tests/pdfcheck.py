"""Reading a PDF document back as a person would see it: pdftoppm turns its pages into PNG
images, pdfinfo gives their sizes and pdftotext their words and where each one sits.

``check_pdf`` fails when a page is not A4, when a word lies outside the page box or in the
margin at the right (cut off, or pushed past the edge), when something is drawn in the
outermost strip of a page image, or when the running footer is missing from a page."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from PIL import Image

A4_POINTS = (595.28, 841.89)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"([^<]*)</word>")


@dataclass
class PdfPages:
    sizes: list[tuple[float, float]]
    texts: list[str]
    images: list[Path]

    @property
    def count(self) -> int:
        return len(self.sizes)


def _run(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True).stdout


def read_pdf(pdf: bytes, folder: Path, name: str = "document") -> PdfPages:
    """Write ``pdf`` into ``folder``, render its pages to PNG (60 dpi) and read its text."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    info = _run("pdfinfo", "-f", "1", "-l", "9999", str(path))
    sizes = [(float(w), float(h)) for w, h in
             re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]
    texts = [_run("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-")
             for n in range(1, len(sizes) + 1)]
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(folder / name)], check=True)
    images = sorted(folder.glob(f"{name}-*.png"))
    return PdfPages(sizes, texts, images)


def words(pdf_path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word with its page number and box (points), from ``pdftotext -bbox``."""
    html = _run("pdftotext", "-bbox", str(pdf_path), "-")
    found = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for x0, y0, x1, y1, text in WORD.findall(page):
            found.append((number, float(x0), float(y0), float(x1), float(y1), unescape(text)))
    return found


def check_pdf(pdf: bytes, folder: Path, footer: str | None, name: str = "document",
              right_margin_points: float = 20.0) -> PdfPages:
    """Read ``pdf`` and assert that nothing is cut and ``footer`` (unless None) is on every
    page."""
    pages = read_pdf(pdf, folder, name)
    assert pages.count >= 1
    for width, height in pages.sizes:
        # Within a point and a half: browsers round A4 to whole pixels at 96 dpi.
        assert abs(width - A4_POINTS[0]) < 1.5, "not A4"
        assert abs(height - A4_POINTS[1]) < 1.5, "not A4"
    for number, text in enumerate(pages.texts, start=1):
        if footer is None:
            break
        assert " ".join(footer.split()) in " ".join(text.split()), f"no footer on page {number}"
    width, height = A4_POINTS
    for number, x0, y0, x1, y1, text in words(folder / f"{name}.pdf"):
        assert min(x0, y0) >= 0, f"page {number}: {text!r} off the page"
        assert y1 <= height, f"page {number}: {text!r} off the page"
        assert x1 <= width - right_margin_points, f"page {number}: {text!r} in the right edge"
    assert len(pages.images) == pages.count
    for image_path in pages.images:
        with Image.open(image_path) as image:
            grey = image.convert("L")
            w, h = grey.size
            strip = grey.crop((w - 6, 0, w, h))  # the outermost 2.5 mm at the right
            assert strip.getextrema()[0] > 200, f"{image_path.name}: drawn up to the right edge"
    return pages
