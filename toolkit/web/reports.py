"""Which command each report on the page runs, with which files and options, and what its
outcome means in words.

The page offers the CLI's commands; the uploaded folder holds every kind of file, so the
single-kind commands (scores, homework, observation, weakpoints, items) are given the files
detection recognised as their kind — linked into a folder of their own with the same relative
paths, so file names, folder-derived classes and exams, and every problem's location read as in
the detection table. ``monthly`` and ``term`` are given the whole upload folder, as on the
command line. Nothing here computes a figure: that is the commands' work.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class FormError(ValueError):
    """An option the user chose that cannot be run; the message is shown as it is."""


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    command: str
    needs: str  # kind of file it reads, or "" for the whole folder
    output: str  # a file name (single workbook) or a folder name
    description: str
    options: tuple[str, ...] = ()  # exam, previous, month, as_of, date, skip_invalid, pdf


_FIXED = (
    Report(
        "scores",
        "成绩分析",
        "scores",
        "scores",
        "成绩分析.xlsx",
        "各班各科平均分、优秀率、及格率、三率一分、名次、分数段、临界生；可对比上次考试。",
        ("exam", "previous", "skip_invalid"),
    ),
    Report(
        "items",
        "试题分析",
        "items",
        "items",
        "试题分析.xlsx",
        "每题难度、区分度，知识点得分率，并生成建议薄弱点台账。",
        ("exam", "date", "skip_invalid"),
    ),
    Report(
        "monthly",
        "月度学情研判",
        "monthly",
        "",
        "学情研判",
        "每个年级的研判工作簿、PNG 图表和 PPT，以及全校概览。",
        ("month",),
    ),
    Report(
        "term",
        "期末质量分析",
        "term",
        "",
        "质量分析",
        "质量分析工作簿和每个年级的 Word 质量分析报告（含图表和起草的文字）。",
        ("exam", "previous", "as_of", "pdf"),
    ),
    Report(
        "feedback",
        "个人学情反馈单",
        "feedback",
        "",
        "个人学情反馈单",
        "每个班一份 Word（每名学生一页：各科等级、知识点掌握和建议、评语，不排名）和逐人工作簿，"
        "单独告知学生和家长；一二年级为乐考各项目等级。",
        ("exam", "pdf"),
    ),
)


def reports() -> dict[str, Report]:
    """The page's menu: 成绩分析, one report per kind of the registry, 试题分析 and the packs."""
    from toolkit.kinds.registry import KINDS

    routine = [
        Report(
            spec.key,
            spec.report_name,
            spec.key,
            spec.key,
            f"{spec.report_name}.xlsx",
            spec.description,
            ("month", "as_of", "skip_invalid") if spec.as_of else ("month", "skip_invalid"),
        )
        for spec in KINDS.values()
    ]
    return {r.key: r for r in (_FIXED[0], *routine, *_FIXED[1:])}


@dataclass
class Detection:
    """What ``toolkit.web.detect`` printed for the upload folder."""

    files: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    config: str | None = None
    configs: list[str] = field(default_factory=list)
    exams: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Detection:
        from toolkit.cli.summary import RunSummary

        summary = RunSummary.from_json(data)
        fields = summary.fields
        return cls(
            files=list(fields.get("files", [])),
            problems=summary.problems,
            counts=summary.counts,
            rows=dict(fields.get("rows", {})),
            config=fields.get("config"),
            configs=list(fields.get("configs", [])),
            exams={k: list(v) for k, v in dict(fields.get("exams", {})).items()},
        )

    def of(self, kind: str, exam: str | None = None) -> list[str]:
        """Paths (relative to the upload folder) of the files of ``kind`` (and ``exam``)."""
        return [
            f["path"]
            for f in self.files
            if f["kind"] == kind and (exam is None or f["exam"] == exam)
        ]

    def has(self, kind: str) -> bool:
        return any(f["kind"] == kind for f in self.files)

    def available(self, report: Report) -> bool:
        if report.needs:
            return self.has(report.needs)
        return any(f["kind"] not in ("", "config", "report") for f in self.files)

    def exam_choices(self, report: Report) -> list[str]:
        kind = "items" if report.key == "items" else "scores"
        return self.exams.get(kind, [])

    def problem_counts_by_file(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.problems:
            if p["severity"] in ("error", "warning") and p["file"]:
                counts[p["file"]] = counts.get(p["file"], 0) + 1
        return counts


@dataclass
class Plan:
    """A report to run: the command's arguments after ``python -m toolkit``."""

    report: Report
    args: list[str]
    shown: str  # the same command as a user would type it, with short paths


def plan(
    report: Report, form: Mapping[str, str], found: Detection, uploads: Path, job_dir: Path
) -> Plan:
    """The command for ``report`` with the options chosen in ``form``; links the files it reads
    into ``job_dir``. Raises :class:`FormError` for an option that cannot be run."""
    if not found.available(report):
        raise FormError(f"上传的文件中没有{_needs_title(report)}，无法生成{report.title}。")
    args: list[str] = [report.command]
    shown: list[str] = ["xueqing", report.command]
    exam = _choice(form, "exam", found.exam_choices(report)) if "exam" in report.options else ""
    if report.key == "feedback":  # the exam's scores and 小题分, and 乐考 (grades 1–2)
        wanted = exam if exam else None
        chosen = [*found.of("scores", wanted), *found.of("items", wanted), *found.of("lekao")]
        if not chosen:
            raise FormError("上传的文件中没有成绩或乐考记录，无法生成个人学情反馈单。")
        view = link_files(uploads, chosen, job_dir / "输入")
        args.append(str(view))
        shown.append("输入/")
    elif report.needs:
        chosen = found.of(report.needs, exam if exam else None)
        if not chosen:
            raise FormError(f"没有{exam}的{_needs_title(report)}。")
        view = link_files(uploads, chosen, job_dir / "输入")
        args.append(str(view))
        shown.append("输入/")
    else:
        args.append(str(uploads))
        shown.append("上传的文件/")
    previous = ""
    if "previous" in report.options:
        previous = _choice(form, "previous", found.exam_choices(report), allow_empty=True)
        if previous and previous == exam:
            raise FormError("对比的考试不能与分析的考试相同。")
    if report.key == "scores" and previous:
        view = link_files(uploads, found.of("scores", previous), job_dir / "上次")
        args += ["--previous", str(view)]
        shown += ["--previous", "上次/"]
    if exam and report.key in ("scores", "term", "feedback"):  # items' files are chosen
        args += ["--exam", exam]
        shown += ["--exam", exam]
    if previous and report.key == "term":
        args += ["--previous", previous]
        shown += ["--previous", previous]
    if "month" in report.options and (month := _month(form.get("month", ""))):
        args += ["--month", month]
        shown += ["--month", month]
    if "as_of" in report.options and (day := _day(form.get("as_of", ""), "截至日期")):
        args += ["--as-of", day]
        shown += ["--as-of", day]
    if "date" in report.options and (day := _day(form.get("date", ""), "登记日期")):
        args += ["--date", day]
        shown += ["--date", day]
    if "skip_invalid" in report.options and _checked(form, "skip_invalid"):
        args.append("--skip-invalid")
        shown.append("--skip-invalid")
    if "pdf" in report.options and _checked(form, "pdf"):
        args.append("--pdf")
        shown.append("--pdf")
    if (report.needs or report.key == "feedback") and found.config:
        args += ["-c", str(uploads / found.config)]
        shown += ["-c", found.config]
    name = _output_name(report, exam, form)
    args += ["-o", str(job_dir / "out" / name), "--json"]
    shown += ["-o", name + ("" if "." in name else "/")]
    return Plan(report, args, " ".join(shown))


def _output_name(report: Report, exam: str, form: Mapping[str, str]) -> str:
    """The output's name: ``期末质量分析/``, ``2026年5月学情研判/``, or the report's own."""
    if report.key == "term":
        return f"{exam or ''}质量分析"
    month = (form.get("month") or "").strip()
    if report.key == "monthly" and _MONTH.match(month):
        return f"{int(month[:4])}年{int(month[5:])}月学情研判"
    return report.output


def _needs_title(report: Report) -> str:
    from toolkit.records.fields import KIND_TITLES

    return KIND_TITLES.get(report.needs, "可识别的表格")


def _choice(
    form: Mapping[str, str], name: str, choices: list[str], *, allow_empty: bool = False
) -> str:
    value = (form.get(name) or "").strip()
    if not value:
        if allow_empty or not choices:
            return ""
        return choices[-1]
    if value not in choices:
        raise FormError(f"没有找到考试“{value}”，请重新选择。")
    return value


def _month(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    if not _MONTH.match(text):
        raise FormError(f"“{text}”不是有效的月份，应为 2026-04 这样的格式。")
    return text


def _day(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        return ""
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise FormError(f"“{text}”不是有效的{what}，应为 2026-04-30 这样的格式。") from None


def _checked(form: Mapping[str, str], name: str) -> bool:
    return (form.get(name) or "").lower() in ("1", "on", "true", "yes")


def link_files(root: Path, relative: list[str], view: Path) -> Path:
    """``view`` holding ``relative`` files of ``root`` at the same relative paths (hard links
    where the file system allows, else copies); inputs are only ever read."""
    for name in relative:
        source = root / name
        target = view / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
    view.mkdir(parents=True, exist_ok=True)
    return view


# --------------------------------------------------------------------------- outcomes


def describe_outcome(report: Report | None, returncode: int | None, result: Any) -> str:
    """What a finished command's exit code and JSON mean, in one or two sentences."""
    if not isinstance(result, dict):
        return (
            "生成失败：程序出错，没有完成。其他功能不受影响，可以重试；"
            "详细信息记录在运行 xueqing serve 的窗口中。"
        )
    from toolkit.cli.summary import RunSummary

    summary = RunSummary.from_json(result)
    counts = summary.counts
    counts_text = (
        f"错误 {counts.get('error', 0)} 处，警告 {counts.get('warning', 0)} 处，"
        f"提示 {counts.get('note', 0)} 条"
    )
    failure = summary.failure
    if returncode == 0:
        skipped = ""
        if counts.get("error") and report is not None and not report.needs:
            skipped = "；有错误的行未计入，逐条列在各工作簿的“数据问题”表中"
        return f"已生成。{counts_text}{skipped}。"
    if failure and failure not in ("有错误", "没有记录"):
        return f"未能完成：{failure}"
    if counts.get("error"):
        hint = "，或勾选“跳过有错误的行”后重试" if report and report.needs else ""
        return (
            f"发现 {counts['error']} 处错误，未生成报告。请按下面的问题修改文件后重新上传{hint}。"
        )
    if report is not None and report.key == "monthly":
        return (
            "所选月份没有可用的作业检查、听评课、薄弱点记录或成绩，未生成研判材料。请换一个月份。"
        )
    return "没有读到任何记录，未生成报告。请检查上传的文件。"
