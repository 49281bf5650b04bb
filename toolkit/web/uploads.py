"""Saving what the browser sends: every name checked, folders kept, zips opened safely.

A name from an upload is never used as a path as it is. ``safe_relative_path`` refuses names
that climb out of the upload folder (``..``), absolute paths (``/etc/x.xlsx``, ``C:\\x.xlsx``) and
backslashes, and makes each remaining part a name every file system accepts. Folder uploads keep
their relative paths (``2025-2026学年第二学期/期末/四(1)班.xlsx``) because the toolkit reads exams
and classes from folder names. A ``.zip`` is unpacked member by member under the same rules; a zip
with an unsafe member is refused as a whole, and its unpacked size is capped (zip bombs).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".csv"})
ZIP_SUFFIX = ".zip"
ACCEPTED_SUFFIXES = SPREADSHEET_SUFFIXES | {ZIP_SUFFIX}

MAX_DEPTH = 24
MAX_PART_BYTES = 240  # most file systems allow 255 bytes per name
MAX_ZIP_MEMBERS = 20_000
_CHUNK = 1 << 20

_DRIVE = re.compile(r"^[A-Za-z]:")
_NOT_ON_WINDOWS = re.compile(r'[<>:"|?*]')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)}
)
# What operating systems put into folders and zips besides the user's files.
_SYSTEM_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


class UploadRejected(ValueError):
    """A file (or zip) that is not saved; the message says why, in Chinese."""


class UploadTooLarge(UploadRejected):
    """More bytes than the upload limit (sent, or unpacked from a zip)."""


# ``filename="…"`` as a browser sends it: ``"`` comes percent-encoded (WHATWG HTML's multipart
# form encoding), so the value runs to the next quote, and a backslash is a character, not an
# escape.
_FILENAME = re.compile(r"""(?:^|;)\s*filename\s*=\s*(?:"([^"]*)"|([^;\s]*))""", re.IGNORECASE)


def sent_name(content_disposition: str | None, parsed: str) -> str:
    """The file name exactly as the browser sent it.

    Werkzeug unquotes the multipart header and, from 3.1.9 on, a backslash counts as an escape
    (``..\\x.xlsx`` arrives as ``..x.xlsx``): the safety of a name is decided on what was sent,
    whatever the version. ``parsed`` (Werkzeug's name) stands when the header says nothing more.
    """
    match = _FILENAME.search(content_disposition or "")
    if match is None:
        return parsed
    raw = match.group(1) if match.group(1) is not None else match.group(2)
    return raw.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")


def safe_relative_path(name: str) -> PurePosixPath:
    """The relative path ``name`` may be saved under, or :class:`UploadRejected`."""
    if any(ord(ch) < 32 for ch in name):
        raise UploadRejected("文件名中有控制字符")
    text = name.strip()
    if not text:
        raise UploadRejected("文件名为空")
    if "\\" in text:
        raise UploadRejected("文件名中不能有反斜杠（\\）")
    if text.startswith("/") or _DRIVE.match(text):
        raise UploadRejected("文件名不能是绝对路径")
    parts: list[str] = []
    for raw in text.split("/"):
        part = raw.strip()
        if part in ("", "."):
            continue  # a//b and ./a are a/b and a
        if set(part) == {"."}:
            raise UploadRejected("文件名不能包含“..”（上一级文件夹）")
        parts.append(_clean_part(part))
    if not parts:
        raise UploadRejected("文件名为空")
    if len(parts) > MAX_DEPTH:
        raise UploadRejected(f"文件夹层级太深（超过 {MAX_DEPTH} 层）")
    return PurePosixPath(*parts)


def _clean_part(part: str) -> str:
    """One folder or file name, made acceptable to Windows as well (where the server may run)."""
    cleaned = _NOT_ON_WINDOWS.sub("_", part).rstrip(" .")
    if not cleaned:
        cleaned = "_"
    if cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = "_" + cleaned
    if len(cleaned.encode("utf-8")) > MAX_PART_BYTES:
        raise UploadRejected("文件名太长")
    return cleaned


def target_in(root: Path, relative: PurePosixPath) -> Path:
    """``root/relative``, checked once more to lie inside ``root``."""
    target = root.joinpath(*relative.parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise UploadRejected("文件名指向上传文件夹以外")
    return target


def is_system_file(relative: PurePosixPath) -> bool:
    """macOS and Windows bookkeeping (``__MACOSX/``, ``._x.xlsx``, ``Thumbs.db``)."""
    name = relative.name
    return (
        "__MACOSX" in relative.parts
        or name.startswith("._")
        or name in _SYSTEM_NAMES
        or name.startswith("~$")
    )


@dataclass
class SaveResult:
    """What one upload did: files saved (relative paths), names refused and names left out."""

    saved: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name as sent, reason)
    ignored: list[str] = field(default_factory=list)
    bytes_written: int = 0

    def merge(self, other: SaveResult) -> None:
        self.saved += other.saved
        self.rejected += other.rejected
        self.ignored += other.ignored
        self.bytes_written += other.bytes_written


def save_stream(stream: BinaryIO, target: Path, limit: int) -> int:
    """Copy ``stream`` to ``target`` (through a temporary name); at most ``limit`` bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    written = 0
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise UploadTooLarge("超过上传大小上限")
                out.write(chunk)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return written


def save_upload(name: str, stream: BinaryIO, root: Path, limit: int) -> SaveResult:
    """Save one uploaded file under ``root``; a zip is unpacked beside where it would be."""
    result = SaveResult()
    try:
        relative = safe_relative_path(name)
    except UploadRejected as exc:
        result.rejected.append((name, str(exc)))
        return result
    suffix = relative.suffix.lower()
    if is_system_file(relative):
        return result
    if suffix not in ACCEPTED_SUFFIXES:
        result.ignored.append(relative.as_posix())
        return result
    try:
        target = target_in(root, relative)
        if suffix != ZIP_SUFFIX:
            result.bytes_written = save_stream(stream, target, limit)
            result.saved.append(relative.as_posix())
            return result
        staging = root.parent / "zips"
        staging.mkdir(parents=True, exist_ok=True)
        handle, name_on_disk = tempfile.mkstemp(suffix=".zip", dir=staging)
        os.close(handle)
        archive = Path(name_on_disk)
        try:
            save_stream(stream, archive, limit)
            result.merge(extract_zip(archive, root, relative, limit))
        finally:
            archive.unlink(missing_ok=True)
    except UploadTooLarge:
        raise
    except UploadRejected as exc:
        result.rejected.append((name, str(exc)))
    except OSError:
        result.rejected.append((name, "无法保存（与已上传的文件或文件夹同名冲突）"))
    return result


def extract_zip(archive: Path, root: Path, relative: PurePosixPath, limit: int) -> SaveResult:
    """Unpack the spreadsheets of ``archive`` (uploaded as ``relative``) under ``root``.

    Members go under the zip's folder, in a folder named after the zip unless the zip already
    holds a single top folder. Every member name is checked first: one unsafe name, a password,
    a link or more than ``limit`` bytes unpacked refuses the whole zip, and nothing is kept.
    """
    try:
        book = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError):
        raise UploadRejected(_DAMAGED_ZIP) from None
    result = SaveResult()
    written: list[Path] = []
    with book:
        members = _checked_members(book, limit)
        folder = relative.parent
        nested = [p for p, _ in members if len(p.parts) > 1]
        if not (len(nested) == len(members) and len({p.parts[0] for p in nested}) == 1):
            folder = folder / _clean_part(relative.stem)
        try:
            for path, info in members:
                if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
                    result.ignored.append(f"{relative.name} › {path.as_posix()}")
                    continue
                inside = folder / path
                target = target_in(root, inside)
                with book.open(info) as stream:
                    size = save_stream(stream, target, limit - result.bytes_written)
                written.append(target)
                result.bytes_written += size
                result.saved.append(inside.as_posix())
        except UploadTooLarge:
            remove_quietly(written)
            raise UploadTooLarge(_too_big_zip(limit)) from None
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, zlib.error):
            remove_quietly(written)
            raise UploadRejected(_DAMAGED_ZIP) from None
    return result


_DAMAGED_ZIP = "压缩包已损坏，或不是 zip 格式（请重新压缩后上传）"


def _too_big_zip(limit: int) -> str:
    return f"压缩包解压后超过 {limit // (1 << 20)} MB，已拒绝整个压缩包"


def _checked_members(
    book: zipfile.ZipFile, limit: int
) -> list[tuple[PurePosixPath, zipfile.ZipInfo]]:
    infos = [info for info in book.infolist() if not info.is_dir()]
    if len(infos) > MAX_ZIP_MEMBERS:
        raise UploadRejected(f"压缩包中的文件太多（超过 {MAX_ZIP_MEMBERS:,} 个）")
    members: list[tuple[PurePosixPath, zipfile.ZipInfo]] = []
    total = 0
    for info in infos:
        name = member_name(info)
        try:
            path = safe_relative_path(name)
        except UploadRejected as exc:
            raise UploadRejected(f"压缩包中的“{name}”：{exc}，已拒绝整个压缩包") from None
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UploadRejected(f"压缩包中的“{name}”是链接，已拒绝整个压缩包")
        if info.flag_bits & 0x1:
            raise UploadRejected("压缩包设有密码，请解压后直接上传文件，或去掉密码后重新压缩")
        if is_system_file(path):
            continue
        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            total += info.file_size
        members.append((path, info))
    if total > limit:
        raise UploadTooLarge(_too_big_zip(limit))
    return members


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author typed it. Zips made on Chinese Windows store names in GBK
    without saying so; Python reads those as cp437, which is undone here."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def folder_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def remove_quietly(paths: Iterable[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
