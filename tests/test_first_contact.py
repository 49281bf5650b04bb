"""What a new user meets first: exit codes, Chinese messages, options checked before any work,
and outputs that never replace someone else's file (issue 16, "Messages and exit codes")."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from toolkit.base.ownership import is_our_output
from toolkit.base.problems import ProblemReport
from toolkit.cli.commands import _not_analysed
from toolkit.cli.console import Console
from toolkit.cli.parser import main

ENGLISH_ARGPARSE = re.compile(
    r"usage:|positional arguments|options:|optional arguments|show this help|error:|"
    r"the following arguments|invalid choice|unrecognized arguments|expected one argument|"
    r"invalid int value|show program"
)


def flat(text: str) -> str:
    """Console text without the line breaks rich adds at the terminal width."""
    return text.replace("\n", "")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture()
def lone_docx(tmp_path: Path) -> Path:
    folder = tmp_path / "收到的文件"
    folder.mkdir()
    (folder / "工作总结.docx").write_bytes(b"PK\x03\x04 not really a document")
    return folder


# --------------------------------------------------------------------------- nothing to read


@pytest.mark.parametrize("inputs", ["empty", "docx"])
def test_check_on_nothing_is_not_no_errors(
    tmp_path: Path, lone_docx: Path, inputs: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = lone_docx if inputs == "docx" else tmp_path / "空文件夹"
    folder.mkdir(exist_ok=True)
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr()
    text = flat(out.out + out.err)
    assert "没有错误" not in text
    assert "没有找到可检查的表格" in text
    if inputs == "docx":
        assert "忽略了 1 个其他文件" in text and "工作总结.docx" in text
        assert "不是电子表格文件" in text  # and why
    else:
        assert "输入中没有任何文件" in text
    assert main(["check", str(folder), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert "没有找到可检查的表格" in payload["failure"]


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (["scores"], "学生成绩"),
        (["homework"], "作业检查记录"),
        (["observation"], "听评课记录"),
        (["weakpoints"], "薄弱点台账记录"),
        (["items"], "小题分"),
        (["monthly"], "学期的表格"),
        (["term"], "学期的表格"),
    ],
)
def test_every_command_says_what_it_found_instead(
    tmp_path: Path,
    lone_docx: Path,
    command: list[str],
    what: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_name = "out" if command[0] in ("monthly", "term") else "out.xlsx"
    code = main([*command, str(lone_docx), "-o", str(tmp_path / out_name)])
    assert code == 1
    text = flat(capsys.readouterr().err)
    assert f"没有找到{what}" in text and "工作总结.docx" in text
    assert not (tmp_path / out_name).exists()


# --------------------------------------------------------------------------- bad invocations


def test_no_bad_invocation_ends_in_a_traceback(tmp_path: Path, lone_docx: Path) -> None:
    existing = tmp_path / "别人的工作簿.xlsx"
    existing.write_bytes(b"someone else's")
    a_file = lone_docx / "工作总结.docx"
    an_input = lone_docx / "名单.xlsx"
    an_input.write_bytes(b"PK\x03\x04 a teacher's list")
    cases = [
        (["serve", "--port", "99999"], "端口"),
        (["serve", "--port", "-1"], "端口"),
        (["serve", "--port", "八千"], "端口"),
        (["serve", "--max-upload-mb", "-5"], "大小"),
        (["homework", str(lone_docx), "--month", "2026-13"], "不是月份"),
        (["monthly", str(lone_docx), "--month", "十三月"], "不是月份"),
        (["term", str(lone_docx), "--as-of", "2026-02-30"], "不是日期"),
        (["items", str(lone_docx), "--date", "明天"], "不是日期"),
        (["scores", str(lone_docx), "-o", str(tmp_path / "工作总结.docx")], ".xlsx"),
        (["scores", str(lone_docx), "-o", str(tmp_path / "输出.csv")], ".xlsx"),
        (["scores", str(lone_docx), "-o", str(tmp_path)], ".xlsx"),
        (["scores", str(lone_docx), "-o", str(existing)], "不会覆盖"),
        (["items", str(lone_docx), "--ledger", str(existing)], "不会覆盖"),
        (["scores", str(lone_docx), "-o", str(an_input)], "与输入文件相同"),
        (["term", str(lone_docx), "-o", str(a_file)], "应给出输出文件夹"),
        (["monthly", str(lone_docx), "-o", str(a_file)], "应给出输出文件夹"),
        (["templates", "-o", str(a_file)], "应给出输出文件夹"),
        (["init", "-o", str(tmp_path / "学校配置.xls")], ".xlsx"),
        (["scores", str(tmp_path / "不存在的文件夹")], "不存在"),
        (["scores"], "缺少必需的参数"),
        (["成绩"], "无效的选择"),
        (["scores", str(lone_docx), "--bogus"], "无法识别的参数"),
    ]
    for args, expected in cases:
        result = run(*args)
        shown = flat(result.stdout + result.stderr)
        assert result.returncode != 0, args
        assert "Traceback" not in shown, (args, shown)
        assert expected in shown, (args, shown)
        assert not ENGLISH_ARGPARSE.search(shown), (args, shown)
    assert existing.read_bytes() == b"someone else's"
    assert a_file.read_bytes().startswith(b"PK")
    assert an_input.read_bytes() == b"PK\x03\x04 a teacher's list"


def test_help_and_usage_are_chinese() -> None:
    for args in (["--help"], ["scores", "--help"], ["serve", "-h"], []):
        result = run(*args)
        assert result.returncode == 0, args
        assert "用法：" in result.stdout and not ENGLISH_ARGPARSE.search(result.stdout), args
    assert "显示帮助并退出" in run("--help").stdout
    assert "选项" in run("scores", "--help").stdout and "位置参数" in run("scores", "-h").stdout


def test_options_are_checked_before_any_work(tmp_path: Path) -> None:
    demo_like = tmp_path / "学期"
    (demo_like / "成绩").mkdir(parents=True)
    result = run("monthly", str(demo_like), "--month", "2026-13", "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "识别结果" not in result.stdout + result.stderr  # nothing was read or printed first
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()
    as_json = run("homework", str(demo_like), "--month", "2026-13", "--json")
    assert "不是月份" in json.loads(as_json.stdout)["failure"]


# --------------------------------------------------------------------------- outputs


def _core(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read("docProps/core.xml").decode()


def test_only_our_own_outputs_are_replaced(
    school_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "成绩分析.xlsx"
    assert main(["scores", str(school_dir), "-o", str(target), "-q"]) == 0
    assert is_our_output(target)
    assert main(["scores", str(school_dir), "-o", str(target), "-q"]) == 0  # ours: replaced

    # The same workbook once someone has saved it in Excel is theirs.
    edited = tmp_path / "改过的成绩分析.xlsx"
    with zipfile.ZipFile(target) as src, zipfile.ZipFile(edited, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "docProps/core.xml":
                data = data.replace(
                    b"<cp:lastModifiedBy></cp:lastModifiedBy>",
                    b"<cp:lastModifiedBy>\xe5\xbc\xa0\xe8\x80\x81\xe5\xb8\x88</cp:lastModifiedBy>",
                )
            dst.writestr(item, data)
    assert "张老师" in _core(edited) and not is_our_output(edited)
    before = edited.read_bytes()
    assert main(["scores", str(school_dir), "-o", str(edited), "-q"]) == 2
    assert "不会覆盖" in flat(capsys.readouterr().err)
    assert edited.read_bytes() == before

    # A workbook that is not ours met while writing (not only when -o is checked) is kept.
    from toolkit.render.output import OutputError, write_atomically

    with pytest.raises(OutputError) as refused:
        write_atomically(edited, lambda path: path.write_bytes(b"x"))
    assert refused.value.problem.code == "output.not_ours"
    assert edited.read_bytes() == before


def test_a_folder_output_keeps_a_file_that_is_not_ours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from toolkit.config.model import SchoolConfig
    from toolkit.demo.school import make_school
    from toolkit.demo.term import TERM_FOLDER, write_term_folder

    write_term_folder(make_school(), SchoolConfig(), tmp_path)
    out = tmp_path / "期末质量分析"
    out.mkdir()
    theirs = out / "期末质量分析.xlsx"
    theirs.write_bytes(b"a colleague's own analysis")
    code = main(["term", str(tmp_path / TERM_FOLDER), "-o", str(out), "-q"])
    assert code == 2
    assert "不是 xueqing 生成的文件" in flat(capsys.readouterr().err)
    assert theirs.read_bytes() == b"a colleague's own analysis"


# --------------------------------------------------------------------------- advice


def test_skip_invalid_is_advised_only_when_it_would_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    problems = ProblemReport()
    problems.add("error", "file.unreadable", file="a.xlsx", reason="损坏")
    console = Console()
    _not_analysed(console, problems, "学生成绩", skipped_invalid=False)
    assert "--skip-invalid" in flat(capsys.readouterr().err)
    _not_analysed(console, problems, "学生成绩", skipped_invalid=True)
    told = flat(capsys.readouterr().err)
    assert "--skip-invalid" not in told and "1 处错误" in told


def test_demo_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    a_file = tmp_path / "xueqing-demo"
    a_file.write_text("mine", encoding="utf-8")
    result = run("demo", "-o", str(a_file))
    assert result.returncode == 2 and "应给出输出文件夹" in result.stderr
    assert a_file.read_text(encoding="utf-8") == "mine"


def _png(width: int, height: int, text: bytes = b"") -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    texts = chunk(b"tEXt", text) if text else b""
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + texts + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("name", "data", "ours"),
    [
        ("ours.png", _png(1800, 735, b"Software\x00xueqing"), True),
        ("earlier_version.png", _png(2000, 1125), True),  # charts before the mark
        ("a_photo.png", _png(800, 600), False),
        ("someone_elses_chart.png", _png(2000, 1125, b"Software\x00matplotlib"), False),
        ("converted.pdf", b"%PDF-1.4 ... /Author<FEFF00780075006500710069006E0067> ...", True),
        ("their.pdf", b"%PDF-1.4 ... /Author (Wang) ...", False),
        ("notes.docx", b"PK\x03\x04 not a package", False),
    ],
)
def test_which_files_are_ours(tmp_path: Path, name: str, data: bytes, ours: bool) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert is_our_output(path) is ours
