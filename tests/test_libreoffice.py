"""Open the output in a real client: LibreOffice converts it to PDF, charts and Chinese intact.

Skipped where LibreOffice is not installed; CI installs it (``.ci/run``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from toolkit.cli.parser import main

soffice = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        soffice is None or shutil.which("pdftoppm") is None,
        reason="needs LibreOffice (libreoffice-calc-nogui) and poppler-utils",
    ),
]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory, school_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("lo")
    workbook = out / "成绩分析.xlsx"
    assert main(["scores", str(school_dir), "-o", str(workbook), "-q"]) == 0
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{out}/profile",
         "--convert-to", "pdf", "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = out / "成绩分析.pdf"
    assert converted.exists() and converted.stat().st_size > 10_000
    return converted


def test_pdf_holds_the_tables_and_chart_titles(pdf: Path) -> None:
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for phrase in ("班级汇总", "全年级", "三年级各班各科平均分", "口径说明", "三(1)班"):
        assert phrase in text


def test_chinese_is_drawn_with_a_cjk_font(pdf: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert any(name in fonts for name in ("CJK", "WenQuanYi", "YaHei", "SimHei", "Droid"))


def test_chart_page_renders_non_blank(pdf: Path, tmp_path: Path) -> None:
    from PIL import Image

    # The first page of the first grade's chart sheet (after the summary tables' pages).
    page_of = {
        n: subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, 8)
    }
    first = next(n for n, text in page_of.items() if "三年级各班各科平均分" in text)
    pages = ["-f", str(first), "-l", str(first)]
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", *pages, str(pdf), str(tmp_path / "p")], check=True
    )
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    colours = page.getcolors(maxcolors=1 << 20)
    assert colours is not None
    # A chart page has the series colours, not just black text on white.
    blue = sum(n for n, (r, g, b) in colours if b > 150 and r < 120 and g < 160)
    assert blue > 500
