"""PDF copies of our documents through LibreOffice (``soffice --headless --convert-to pdf``).

Each conversion runs with a private, temporary LibreOffice profile: a running LibreOffice (the
user's own, or a concurrent conversion) would otherwise take the job over or lock the profile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from toolkit.render.output import write_atomically

MISSING = (
    "未找到 LibreOffice，无法生成 PDF。请安装 LibreOffice（Debian：libreoffice-writer-nogui 或 "
    "libreoffice），或不加 --pdf。"
)
# soffice exits 81 when it had to restart after creating a fresh profile, converting nothing.
RESTARTED = 81
NOT_LOADED = "could not be loaded"  # soffice's message when it lacks the component for a file


class PdfError(Exception):
    """A PDF could not be made; the message (Chinese) is shown to the user as is."""


def find_soffice() -> str | None:
    """The LibreOffice command: on PATH, else in its usual install location; None if absent."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for candidate in _install_locations():
        if candidate.is_file():
            return str(candidate)
    return None


def _install_locations() -> list[Path]:
    """Where installers put soffice when it is not on PATH (the usual case on Windows, macOS)."""
    if sys.platform == "win32":
        folders = [os.environ.get(name) for name in ("PROGRAMFILES", "PROGRAMFILES(X86)")]
        folders += [r"C:\Program Files", r"C:\Program Files (x86)"]
        return [
            Path(folder, "LibreOffice", "program", "soffice.exe")
            for folder in dict.fromkeys(folders)
            if folder
        ]
    if sys.platform == "darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return []


def _names(sources: Sequence[Path]) -> str:
    return "、".join(source.name for source in sources)


def _kill(process: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()
    process.communicate()


def _run(command: list[str], timeout: float, sources: Sequence[Path]) -> tuple[int, str]:
    """Run soffice; on timeout kill it with its children (soffice → oosplash → soffice.bin)."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=os.name == "posix",  # its own process group: the tree can be killed
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise PdfError(
            f"LibreOffice 转换 {_names(sources)} 超时（超过 {timeout:g} 秒），已中止。"
        ) from None
    except BaseException:  # Ctrl-C: its own session does not get the signal, so stop it here
        _kill(process)
        raise
    return process.returncode, output.decode(sys.getfilesystemencoding(), errors="replace")


def convert_to_pdf(sources: Sequence[Path], out_dir: Path, *, timeout: float = 300) -> list[Path]:
    """Convert ``sources`` (docx, pptx, xlsx …) to ``out_dir/<stem>.pdf`` in one soffice run.

    Returns the PDFs in the order of ``sources``. The PDFs are made in a temporary folder and
    then moved into place, so an old PDF left in ``out_dir`` can never pass for a new one.
    """
    paths = [Path(source).resolve() for source in sources]
    if not paths:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(MISSING)
    stems: dict[str, Path] = {}
    for source in paths:
        if not source.is_file():
            raise PdfError(f"找不到要转换为 PDF 的文件：{source}")
        other = stems.setdefault(source.stem, source)
        if other != source:
            raise PdfError(
                f"{other.name} 和 {source.name} 会生成同名的 {source.stem}.pdf，请分开转换。"
            )

    with tempfile.TemporaryDirectory(prefix="xueqing-pdf-", ignore_cleanup_errors=True) as work:
        profile, staging = Path(work) / "profile", Path(work) / "pdf"
        staging.mkdir()
        command = [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(staging),
            *map(str, paths),
        ]
        code, output = _run(command, timeout, paths)
        produced = [staging / f"{source.stem}.pdf" for source in paths]
        if code == RESTARTED and not any(path.exists() for path in produced):
            code, output = _run(command, timeout, paths)
        failed = [
            source
            for source, pdf in zip(paths, produced, strict=True)
            if not pdf.is_file() or pdf.stat().st_size == 0
        ]
        if failed:
            errors = [line.strip() for line in output.splitlines() if "error" in line.lower()]
            detail = errors[-1] if errors else f"退出码 {code}"
            message = f"LibreOffice 未能把 {_names(failed)} 转换为 PDF（{detail}）。"
            if NOT_LOADED in output:
                message += (
                    "可能缺少 LibreOffice 的 Writer/Impress 组件"
                    "（Debian：libreoffice-writer-nogui、libreoffice-impress-nogui）。"
                )
            raise PdfError(message)
        out_dir.mkdir(parents=True, exist_ok=True)
        results = []
        for pdf in produced:
            target = out_dir / pdf.name
            write_atomically(target, lambda temporary, pdf=pdf: shutil.copyfile(pdf, temporary))
            results.append(target)
    return results
