"""PDF through LibreOffice: real conversions where it is installed, a stand-in soffice otherwise.

The real conversion needs LibreOffice Writer and Impress (Debian: libreoffice-writer-nogui,
libreoffice-impress-nogui) and poppler-utils (pdftotext, pdffonts, pdftoppm).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest
from PIL import Image, ImageDraw

from toolkit.render.documents import pdf
from toolkit.render.documents.pdf import MISSING, PdfError, convert_to_pdf, find_soffice
from toolkit.render.documents.slides import Deck
from toolkit.render.documents.word_doc import ReportDocument

PARAGRAPH = "本学期四年级数学平均分较期中提高二点一分"
FINDING = "四(2)班计算题失分最多"
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm"))
needs_libreoffice = pytest.mark.skipif(
    find_soffice() is None or not POPPLER,
    reason="needs LibreOffice (Writer + Impress) and poppler-utils",
)

pytestmark = pytest.mark.libreoffice
InstallFake = Callable[[str], Path]  # the body of a stand-in soffice → its argument log
posix_only = pytest.mark.skipif(os.name != "posix", reason="the stand-in soffice is a script")


def chart_png(path: Path) -> Path:
    image = Image.new("RGB", (1600, 900), "white")
    draw = ImageDraw.Draw(image)
    for i in range(4):
        left = 160 + 360 * i
        draw.rectangle((left, 250 + 80 * i, left + 200, 820), "#4472C4")
    image.save(path)
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One soffice run converting a report and a deck."""
    if find_soffice() is None or not POPPLER:
        pytest.skip("needs LibreOffice and poppler-utils")
    folder = tmp_path_factory.mktemp("pdf")
    chart = chart_png(folder / "chart.png")
    report = ReportDocument("四年级期末质量分析", "某某小学", date=dt.date(2026, 1, 20))
    report.heading("一、总体情况")
    report.paragraph(PARAGRAPH, lead="平均分：")
    frame = pd.DataFrame({"班级": ["四(1)班", "全年级"], "平均分": [85.3249, 83.0]})
    report.table(frame, formats={"平均分": "{:.2f}"}, emphasis=[False, True])
    report.picture(chart, width_cm=14, caption="图1 各班平均分")
    deck = Deck("四年级学情研判", "某某小学", date=dt.date(2026, 4, 20))
    deck.chart_slide("各班数学平均分", chart, FINDING)
    deck.list_slide("需关注", [("未听课教师", [])])
    sources = [report.save(folder / "质量分析.docx"), deck.save(folder / "研判.pptx")]
    converted = convert_to_pdf(sources, folder / "pdf", timeout=180)
    assert converted == [folder / "pdf" / "质量分析.pdf", folder / "pdf" / "研判.pdf"]
    return {"report": converted[0], "deck": converted[1]}


def pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True)
    # pdftotext may break a line anywhere; compare without whitespace.
    return "".join(result.stdout.decode("utf-8").split())


@needs_libreoffice
def test_pdfs_exist_and_hold_the_chinese_text(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        assert path.stat().st_size > 5_000
    report = pdf_text(pdfs["report"])
    for phrase in ("四年级期末质量分析", "一、总体情况", "平均分：" + PARAGRAPH, "85.32", "图1"):
        assert phrase in report
    deck = pdf_text(pdfs["deck"])
    for phrase in ("四年级学情研判", "各班数学平均分", FINDING, "需关注", "未听课教师", "无"):
        assert phrase in deck


@needs_libreoffice
@pytest.mark.parametrize("name", ["report", "deck"])
def test_a_cjk_font_is_embedded(pdfs: dict[str, Path], name: str) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(pdfs[name])], check=True, capture_output=True, text=True
    ).stdout
    assert any(cjk in fonts for cjk in ("CJK", "WenQuanYi", "YaHei", "SimSun", "SimHei", "Droid"))


@needs_libreoffice
@pytest.mark.parametrize(("name", "page"), [("report", 1), ("deck", 2)])
def test_pages_render_with_text_and_the_chart(
    pdfs: dict[str, Path], tmp_path: Path, name: str, page: int
) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", str(page), "-l", str(page), str(pdfs[name]),
         str(tmp_path / "p")],
        check=True,
    )  # fmt: skip
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None
    dark = sum(n for n, (r, g, b) in colours if r + g + b < 200)
    blue = sum(n for n, (r, g, b) in colours if b > 150 and r < 120 and g < 160)
    assert dark > 200  # text
    assert blue > 2_000  # the chart picture


def test_missing_libreoffice_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "a.docx"
    source.write_bytes(b"x")
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(PdfError) as error:
        convert_to_pdf([source], tmp_path)
    assert str(error.value) == MISSING
    assert str(error.value).startswith("未找到 LibreOffice，无法生成 PDF。")


def test_nothing_to_convert_needs_no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    assert convert_to_pdf([], Path("unused")) == []


@pytest.fixture
def fake_soffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> InstallFake:
    """Install a stand-in soffice whose behaviour is the given Python body; returns its log."""

    def install(body: str) -> Path:
        log = tmp_path / "soffice.log"
        script = tmp_path / "fake-soffice"
        script.write_text(
            f"#!{sys.executable}\n"
            "import json, pathlib, subprocess, sys, time\n"
            "args = sys.argv[1:]\n"
            f"pathlib.Path({str(log)!r}).write_text(json.dumps(args))\n"
            "outdir = pathlib.Path(args[args.index('--outdir') + 1])\n"
            "files = args[args.index('--outdir') + 2:]\n" + body,
            encoding="utf-8",
        )
        script.chmod(0o755)
        monkeypatch.setattr(pdf, "find_soffice", lambda: str(script))
        return log

    return install


def sources(folder: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = folder / name
        path.write_bytes(b"x")
        paths.append(path)
    return paths


@posix_only
def test_command_uses_a_private_profile_that_is_removed(
    fake_soffice: InstallFake, tmp_path: Path
) -> None:
    log = fake_soffice(
        "for f in files:\n"
        "    (outdir / (pathlib.Path(f).stem + '.pdf')).write_bytes(b'%PDF-1.4 new')\n"
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "报告.pdf").write_bytes(b"%PDF-1.4 old /Author (xueqing)")  # our earlier output
    result = convert_to_pdf(sources(tmp_path, "报告.docx", "研判.pptx"), out)
    assert result == [out / "报告.pdf", out / "研判.pdf"]
    assert (out / "报告.pdf").read_bytes() == b"%PDF-1.4 new"  # replaced
    args = json.loads(log.read_text())
    assert args[:2] == ["--headless", "--norestore"]
    assert args[args.index("--convert-to") + 1] == "pdf"
    profile = next(a for a in args if a.startswith("-env:UserInstallation="))
    uri = profile.split("=", 1)[1]
    assert uri.startswith("file:///")
    work = Path(unquote(urlparse(uri).path)).parent
    assert not work.exists()  # the temporary profile and staging folder are gone
    assert args[-2:] == [str(tmp_path / "报告.docx"), str(tmp_path / "研判.pptx")]


@posix_only
def test_a_file_that_was_not_converted_is_named(fake_soffice: InstallFake, tmp_path: Path) -> None:
    fake_soffice(
        "print('convert ok')\n"
        "print('Error: source file could not be loaded')\n"
        "(outdir / 'ok.pdf').write_bytes(b'%PDF-1.4')\n"
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "坏.pdf").write_bytes(b"old PDF from an earlier run")
    with pytest.raises(PdfError) as error:
        convert_to_pdf(sources(tmp_path, "ok.docx", "坏.docx"), out)
    message = str(error.value)
    assert "坏.docx" in message and "ok.docx" not in message
    assert "source file could not be loaded" in message
    assert "libreoffice-writer-nogui" in message
    assert not (out / "ok.pdf").exists()  # all or nothing


@posix_only
def test_an_empty_pdf_is_a_failure(fake_soffice: InstallFake, tmp_path: Path) -> None:
    fake_soffice("(outdir / 'a.pdf').write_bytes(b'')\nsys.exit(1)\n")
    with pytest.raises(PdfError, match=r"a\.docx.*退出码 1"):
        convert_to_pdf(sources(tmp_path, "a.docx"), tmp_path / "out")


@posix_only
def test_timeout_stops_soffice_and_its_children(fake_soffice: InstallFake, tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    fake_soffice(
        "child = subprocess.Popen(['sleep', '60'])\n"
        f"pathlib.Path({str(pid_file)!r}).write_text(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    started = time.monotonic()
    with pytest.raises(PdfError, match=r"慢\.docx.*超时"):
        convert_to_pdf(sources(tmp_path, "慢.docx"), tmp_path / "out", timeout=1)
    assert time.monotonic() - started < 15
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _running(child):
        time.sleep(0.05)
    assert not _running(child)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    # An unreaped zombie (no init reaping in some containers) is not running.
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def test_missing_source_and_clashing_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: "/nonexistent/soffice")
    with pytest.raises(PdfError, match="找不到"):
        convert_to_pdf([tmp_path / "无.docx"], tmp_path)
    with pytest.raises(PdfError, match=r"同名的 报告\.pdf"):
        convert_to_pdf(sources(tmp_path, "报告.docx", "报告.pptx"), tmp_path)
