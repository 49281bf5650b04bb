"""Reading 学校配置.xlsx into a :class:`~toolkit.config.model.SchoolConfig`.

The config is read through the same reading machinery as teachers' files, so a bad config cell
is reported with its place like any other; what it leaves out keeps its default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from toolkit.base.classnames import parse_grade
from toolkit.base.problems import ProblemReport
from toolkit.base.text import cell_ref, normalize
from toolkit.config.model import (
    STUDENT_RANKING,
    SUBJECT_SYNONYMS,
    Lines,
    SchoolConfig,
    SubjectRule,
)
from toolkit.reading.discover import InputFile
from toolkit.reading.header import FieldMatcher, locate_header
from toolkit.reading.workbook import Sheet, read_sheets, sheet_names

CONFIG_SHEETS = ("基本信息", "学科", "参数")  # expected; 班级, 任课 and 名单 are optional


def is_config_workbook(path: Path) -> bool:
    """Whether ``path`` is a school config (two of its expected sheets), by sheet names only:
    a config kept among the score files is the config, not a score table."""
    return len(set(sheet_names(path)) & set(CONFIG_SHEETS)) >= 2


_KEY_VALUE = FieldMatcher({"项目": ("参数", "名称"), "值": ("取值", "内容", "设置")})
_SUBJECT_FIELDS = FieldMatcher(
    {
        "年级": (),
        "学科": ("科目",),
        "满分": (),
        "优秀线": ("优秀",),
        "良好线": ("良好",),
        "及格线": ("及格", "合格线"),
        "低分线": ("低分",),
    }
)
# 参数 sheet keys → (attribute, parser)
_YES = {"是", "yes", "true", "1", "y", "√"}
_NO = {"否", "no", "false", "0", "n", "×", ""}


def load_config(path: Path | str | None, report: ProblemReport) -> SchoolConfig:
    """Read the config workbook; problems go to ``report`` and defaults stand in for them."""
    config = SchoolConfig()
    if path is None:
        return config
    file = InputFile(Path(path), Path(path).name)
    config.source = file.display
    if not file.path.is_file():  # a mistyped -c: say so, as for a missing input
        report.add("error", "file.unreadable", file=str(path), reason="学校配置文件不存在")
        return config
    sheets = {sheet.name.strip(): sheet for sheet in read_sheets(file, report)}
    if not sheets:
        return config
    for name in CONFIG_SHEETS:
        if name not in sheets:
            report.add("warning", "config.missing_sheet", file=file.display, sheet_name=name)
    if "基本信息" in sheets:
        info = dict(_key_values(sheets["基本信息"]))
        config.school = normalize(info.get("学校", ("", ""))[0])
        config.year = normalize(info.get("学年", ("", ""))[0])
        config.term = normalize(info.get("学期", ("", ""))[0])
    if "学科" in sheets:
        _read_subjects(sheets["学科"], config, report)
    if "参数" in sheets:
        _read_parameters(sheets["参数"], config, report)
    from toolkit.config.tables import read_config_tables

    read_config_tables(sheets, config, report)
    return config


def _key_values(sheet: Sheet) -> Iterable[tuple[str, tuple[object, str, str]]]:
    """(key, (value, cell)) pairs of a two-column 项目/值 sheet."""
    header = locate_header(sheet.rows, _KEY_VALUE, lambda _: None, anchor="项目", min_groups=0)
    if header is None or "值" not in header.fields:
        return
    key_col, value_col = header.fields["项目"], header.fields["值"]
    for r in range(header.last_row + 1, len(sheet.rows)):
        row = sheet.rows[r]
        key = normalize(row[key_col]) if key_col < len(row) else ""
        if key:
            value = row[value_col] if value_col < len(row) else ""
            yield key, (value, cell_ref(r, value_col), cell_ref(r, key_col))


def _text(value: object) -> str:
    """A config cell as text; a number cell 7.0 reads as ``7`` (as the user typed it)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = normalize(value).replace(" ", "")
    percent = text.endswith("%")
    text = text.rstrip("%").removesuffix("分")
    try:
        number = float(text)
    except ValueError:
        return None
    return number / 100 if percent else number


def _read_subjects(sheet: Sheet, config: SchoolConfig, report: ProblemReport) -> None:
    header = locate_header(sheet.rows, _SUBJECT_FIELDS, lambda _: None, anchor="学科", min_groups=0)
    if header is None:
        return
    cols = header.fields
    where = {"file": sheet.file.display, "sheet": sheet.name}
    for r in range(header.last_row + 1, len(sheet.rows)):
        row = sheet.rows[r]

        def cell(name: str, row: Sequence[object] = row) -> object:
            col = cols.get(name)
            return row[col] if col is not None and col < len(row) else ""

        subject_text = normalize(cell("学科"))
        if not subject_text:
            continue
        subject = config.subject_of(subject_text) or subject_text
        if subject not in SUBJECT_SYNONYMS and subject not in config.extra_subjects:
            config.extra_subjects.append(subject)
        grade_text = _text(cell("年级"))
        grade: int | None = None
        if grade_text and grade_text not in {"全部", "所有", "全校", "各年级"}:
            grade = parse_grade(grade_text)
            if grade is None:
                report.add(
                    "error",
                    "config.invalid",
                    cell=cell_ref(r, cols["年级"]),
                    value=grade_text,
                    reason="不是可识别的年级（如 三年级、3、初一）",
                    **where,
                )
                continue
        rule = _subject_rule(row, r, cols, cell, report, where)
        if rule is not None:
            config.rules[(grade, subject)] = rule


def _subject_rule(row, r, cols, cell, report, where) -> SubjectRule | None:  # type: ignore[no-untyped-def]
    full_raw = cell("满分")
    full = _number(full_raw) if full_raw not in ("", None) else 100.0
    if full is None or full <= 0:
        report.add(
            "error",
            "config.invalid",
            cell=cell_ref(r, cols["满分"]),
            value=full_raw,
            reason="满分必须是正数",
            **where,
        )
        return None
    defaults = Lines()
    values: dict[str, float] = {}
    for attr, column in (
        ("excellent", "优秀线"),
        ("good", "良好线"),
        ("passing", "及格线"),
        ("low", "低分线"),
    ):
        raw = cell(column)
        if raw in ("", None):
            values[attr] = getattr(defaults, attr)
            continue
        number = _number(raw)
        # A line ≤ 1 is a fraction (0.9, 90%); above 1 it is in points (108 of 120).
        fraction = None if number is None else (number if number <= 1 else number / full)
        if fraction is None or not 0 < fraction <= 1:
            report.add(
                "error",
                "config.invalid",
                cell=cell_ref(r, cols[column]),
                value=raw,
                reason=f"{column}应是 0–满分 的分数或 0–100% 的比例",
                **where,
            )
            return None
        values[attr] = fraction
    lines = Lines(**values)
    if not lines.low < lines.passing <= lines.good <= lines.excellent:
        report.add(
            "error",
            "config.invalid",
            cell=cell_ref(r, cols.get("及格线", cols["学科"])),
            value=normalize(cell("学科")),
            reason="各分数线应满足 低分线 < 及格线 ≤ 良好线 ≤ 优秀线",
            **where,
        )
        return None
    return SubjectRule(full, lines)


_PARAMETERS = {
    "综合分权重-平均分": "w_mean",
    "综合分权重-及格率": "w_pass",
    "综合分权重-优秀率": "w_excellent",
    "临界分差": "critical_margin",
    "排名方式": "ranking",
    "学生排名": "student_ranking",
    "班级排名": "class_ranking",
    "缺考计零": "absent_as_zero",
    "合规提示": "exam_rule_notes",
    "反馈告知分数": "feedback_scores",
    "反馈班级参考": "feedback_class_reference",
    "分数段宽度": "band_width",
    "关爱学生比例": "bottom_share",
    "听课节数要求": "observation_quota",
    "作业检查预警分": "homework_alert_score",
    "整改超期天数": "follow_up_days",
    "知识点预警得分率": "weak_point_line",
    "知识点低于年级": "weak_point_gap",
    "变化提示线-平均分": "change_score",
    "变化提示线-百分点": "change_points",
    "乐考等级线-优秀": "lekao_excellent",
    "乐考等级线-良好": "lekao_good",
    "乐考等级线-合格": "lekao_pass",
}
# Keys with a part after the dash: 作业时长上限-三年级, 听评课满分-学生投入度.
_HOMEWORK_MINUTES = re.compile(r"^作业时长上限[-—－_:：]?(?P<grade>.+)$")
_OBSERVATION_MARK = re.compile(r"^听评课满分[-—－_:：]?(?P<part>.+)$")
_STUDENT_RANKING = re.compile(r"^学生排名[-—－_:：]?(?P<grade>.+)$")
_LEVEL_SPELLING = re.compile(r"^等级写法[-—－_:：]?(?P<level>.+)$")
_LEVELS = ("优秀", "良好", "合格", "待合格")
_FEEDBACK_FLAGS = ("feedback_scores", "feedback_class_reference")  # 是/否


def _read_parameters(sheet: Sheet, config: SchoolConfig, report: ProblemReport) -> None:
    where = {"file": sheet.file.display, "sheet": sheet.name}
    weights = list(config.weights)
    for key, (value, ref, key_ref) in _key_values(sheet):
        key = re.sub(r"\s", "", key)
        attr = _PARAMETERS.get(key)
        text = _text(value).lower()

        def bad(reason: str, value: object = value, ref: str = ref) -> None:
            report.add("error", "config.invalid", cell=ref, value=value, reason=reason, **where)

        if attr is None:
            _read_keyed_parameter(key, value, config, bad, key_ref)
            continue

        if attr == "ranking":
            if text in {"", "rank.eq", "rank", "excel", "并列跳号"}:
                config.dense_rank = False
            elif text in {"dense", "中国式", "中国式排名", "并列不跳号"}:
                config.dense_rank = True
            else:
                bad("排名方式应为“RANK.EQ”或“中国式”")
        elif attr == "student_ranking":
            _set_student_ranking(config, 0, value, bad)
        elif attr in ("absent_as_zero", "exam_rule_notes", "class_ranking", *_FEEDBACK_FLAGS):
            if text in _YES or text in _NO:
                setattr(config, attr, text in _YES)
            else:
                bad("应填“是”或“否”")
        else:
            number = _number(value)
            if number is None or number < 0:
                bad("应为非负数")
            elif attr.startswith("w_"):
                weights[("w_mean", "w_pass", "w_excellent").index(attr)] = number
            elif attr in ("weak_point_line", "weak_point_gap"):
                if number > 100:
                    bad("应为 0–100% 的比例，如 60%")
                else:  # 60 typed into a plain cell means 60%
                    setattr(config, attr, number / 100 if number > 1 else number)
            elif attr == "bottom_share" and not 0 < number <= 1:
                bad("应为 0–100% 的比例")
            elif attr == "band_width" and number <= 0:
                bad("分数段宽度应为正数")
            elif attr.startswith("lekao_") and not 1 <= number <= 4:
                bad("乐考等级线应在 1–4 之间（各项目等级折为 优秀 4、良好 3、合格 2、待合格 1）")
            else:
                setattr(config, attr, number)
    config.weights = (weights[0], weights[1], weights[2])


def _read_keyed_parameter(key: str, value: object, config: SchoolConfig, bad, key_ref: str) -> None:  # type: ignore[no-untyped-def]
    """作业时长上限-<年级> and 听评课满分-<维度>: one 参数 row per grade or dimension."""
    minutes, mark = _HOMEWORK_MINUTES.match(key), _OBSERVATION_MARK.match(key)
    if spelling := _LEVEL_SPELLING.match(key):
        level = spelling["level"].strip("()（）")
        words = [w for w in re.split(r"[、,，;；/\s]+", normalize(value)) if w]
        if level not in _LEVELS:
            bad(f"“{key}”中的等级应为 {'、'.join(_LEVELS)} 之一", value=key, ref=key_ref)
        else:
            for word in words:  # read as a score cell is: NFKC, spaces out, case-folded
                config.level_spellings[word.lower()] = level
    elif ranking := _STUDENT_RANKING.match(key):
        grade = parse_grade(ranking["grade"].strip("()（）"))
        if grade is None:
            bad(f"“{key}”中的年级无法识别（如 学生排名-高一）", value=key, ref=key_ref)
        else:
            _set_student_ranking(config, grade, value, bad)
    elif minutes:
        grade = parse_grade(minutes["grade"].strip("()（）"))
        number = _number(value)
        if grade is None:
            bad(f"“{key}”中的年级无法识别（如 作业时长上限-三年级）", value=key, ref=key_ref)
        elif normalize(value) in ("", "不限", "无"):
            config.homework_minutes.pop(grade, None)
        elif number is None or number < 0:
            bad("作业时长上限应为分钟数（0 表示不布置书面作业）")
        else:
            config.homework_minutes[grade] = number
    elif mark:
        part = mark["part"].strip("()（）")
        number = _number(value)
        if part not in config.observation_marks:
            bad(f"应为 {'、'.join(config.observation_marks)} 之一", value=key, ref=key_ref)
        elif number is None or number <= 0:
            bad("满分应为正数")
        else:
            config.observation_marks[part] = number
            config.observation_marks_set.add(part)


def _set_student_ranking(config: SchoolConfig, grade: int, value: object, bad) -> None:  # type: ignore[no-untyped-def]
    """学生排名 (grade 0: every grade): 不排名, 内部 or 排名; blank keeps the default."""
    text = normalize(value).replace(" ", "")
    if not text:
        config.student_ranking.pop(grade, None)
    elif text in STUDENT_RANKING:
        config.student_ranking[grade] = text
    else:
        bad(f"学生排名应为 {'、'.join(STUDENT_RANKING)} 之一")
