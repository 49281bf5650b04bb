"""Regenerate the README's pictures: run the demo, open the workbook in LibreOffice, crop.

    python scripts/render_readme_images.py

Needs LibreOffice (``soffice``) and poppler (``pdftoppm``) on PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from toolkit.cli.parser import main

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"


def render(pdf: Path, page: int, out: Path, dpi: int = 110) -> Image.Image:
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), str(pdf), str(out)],
        check=True,
    )
    return Image.open(next(out.parent.glob(f"{out.name}*.png"))).convert("RGB")


def main_() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("需要 LibreOffice（soffice）")
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        assert main(["demo", "-o", str(work / "demo"), "-q"]) == 0
        workbook = work / "demo" / "成绩分析.xlsx"
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{work}/profile",
             "--convert-to", "pdf", "--outdir", str(work), str(workbook)],
            check=True, capture_output=True,
        )  # fmt: skip
        pdf = work / "成绩分析.pdf"
        summary = render(pdf, 1, work / "summary")
        width, height = summary.size
        summary.crop((0, 0, width, int(height * 0.55))).save(IMAGES / "class-summary.png")
        charts = render(pdf, 2, work / "charts")
        width, height = charts.size
        charts.crop((0, int(height * 0.06), width, int(height * 0.52))).save(
            IMAGES / "grade-charts.png"
        )
        _pack_images(work / "demo", work)


def _pack_images(demo: Path, work: Path) -> None:
    """A monthly pack chart (the PNG as it goes on a slide) and page 1 of a Word report."""
    from toolkit.render.documents.pdf import convert_to_pdf

    chart = next((demo / "2026年5月学情研判" / "图表").glob("四年级05_*.png"))
    image = Image.open(chart).convert("RGB")
    image.thumbnail((1000, 600))
    image.save(IMAGES / "monthly-chart.png")
    report = demo / "期末质量分析" / "四年级期末质量分析报告.docx"
    (pdf,) = convert_to_pdf([report], work / "report")
    render(pdf, 1, work / "report-page", dpi=80).save(IMAGES / "term-report-page.png")


if __name__ == "__main__":
    main_()
