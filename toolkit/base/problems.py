"""Problems as data: every finding names its place and is collected, never raised.

Modelled on frictionless-py's ``CellError``: a rule code, a message template in Chinese,
the file › sheet › cell it points at, and the offending value. Readers and validators append
to a :class:`ProblemReport`; commands decide what the report means (exit code, output sheet).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "note"]

SEVERITY_LABEL: dict[str, str] = {"error": "错误", "warning": "警告", "note": "提示"}

# One template per rule code. Parameters are filled from ``Problem.params``; ``{value}`` is the
# cell content as the user typed it.
MESSAGES: dict[str, str] = {
    # files and sheets
    "file.unreadable": "无法读取：{reason}",
    "file.ignored": "已忽略：{reason}",
    "file.config": "这是学校配置，不作为成绩表读取",
    "score.excluded": "{subject}成绩“{value}”不计入统计（与缺考一样不算实考）",
    "score.not_taking": "未选考{subject}（{value}），不计入该科应考人数",
    "file.no_table": "没有找到成绩表（需要“姓名”列和至少一个学科列）",
    "sheet.no_table": "此工作表没有找到成绩表，已跳过",
    "header.unused": "未分析的列：{columns}",
    "file.several_exams": (
        "工作簿中是几次考试的工作表（{exams}）：一次分析一次考试，请加 --exam 指定其中一次"
        "（如 --exam {first}），或用 xueqing term 分析整个学期"
    ),
    "sheet.no_exam": "工作簿中每次考试一张表，此表的名称看不出是哪次考试，未读取",
    "sheet.other_exam": "此工作表不是{exam}的（工作簿中每次考试一张表），本次未读取",
    "sheet.side_by_side": "此表有 {count} 个表左右并排（{columns} 列），分别读取",
    "sheet.view": (
        "此表 {count} 名学生与工作表{other}中的是同一批学生（相同科目的成绩一致），"
        "视为同一次考试的另一视图：不重复计入，只补充此表独有的科目"
    ),
    "sheet.nothing_read": "找到了表头，但下面 {rows} 行没有读出任何{what}：{why}",
    "sheet.hidden": "隐藏的工作表，未读取（如需统计，请在 Excel/WPS 中取消隐藏后重新提交）",
    "sheet.too_large": (
        "工作表的范围太大（到 {cell}，{rows:,} 行 × {columns:,} 列），无法读取。"
        "请删除远处单元格中的内容（Ctrl+End 可跳到最后一个有内容的单元格）后重新提交"
    ),
    "sheet.hidden_rows": (
        "有 {count} 个隐藏行（第 {rows} 行），已照常读取；如果这些行不应计入，请删除它们"
    ),
    "cell.too_long": (
        "内容过长（{length:,} 个字符，Excel 单元格最多 32,767 个），只读取了前 32,767 个字符"
    ),
    "cell.error_value": (
        "单元格是 Excel 错误值 {value}（公式出错），不是有效的值，请改正公式或填写数值"
    ),
    "cell.formula_no_value": (
        "公式 {value} 没有计算结果（文件由程序生成、未在 Excel/WPS 中保存过）。"
        "请用 Excel/WPS 打开并保存后重新提交，或直接填写数值"
    ),
    "output.is_input": "输出文件不能与输入文件相同：{path}",
    "output.locked": "无法写入 {path}：文件可能正在 Excel/WPS 中打开，请关闭后重试",
    "output.readonly": "无法写入 {path}：没有写入这个文件夹的权限，请换一个输出位置（-o）",
    "output.failed": "无法写入 {path}：{reason}",
    "output.not_ours": (
        "{path} 已存在，且不是 xueqing 生成的文件（或已被人修改保存过），未覆盖。"
        "请换一个输出名称，或先移走它"
    ),
    # class identity
    "class.source": "班级来自{source}：{text}",
    "school.unknown": "输入中有多所学校，这个文件的学校列、标题、文件名和文件夹名都没有写学校，"
    "列为“{school}”",
    "class.column_chosen": "有几列班级（{columns}），按“{chosen}”统计班级",
    "class.unknown": "无法确定班级（没有班级列，工作表名、标题和文件名中也没有班级）",
    "class.invalid": "“{value}” 不是可识别的班级",
    "class.grade_missing": "“{value}” 只有班号，没有年级，且无法从工作表名、标题或文件名得知年级",
    # header
    "header.duplicate": "表头“{column}”出现了两次，只读取第一列（{first}）",
    "header.ignored": "“{column}”列不参与计算（{reason}）",
    # rows and cells
    "row.header_again": "表头又出现了一次（这一行不是学生），已跳过",
    "row.sub_row": "“{value}”这一行不是学生，是上一行学生的{value}，已跳过",
    "row.summary": "汇总行（“{value}”），已跳过",
    "row.no_name": "该行有成绩但没有姓名",
    "sheet.no_scores": "此表还没有填写任何成绩，已跳过",
    "score.column_empty": "“{column}”列没有任何成绩，此表不计入该学科",
    "score.invalid": "“{value}” 不是有效分数（{subject}满分 {full_mark:g}）",
    "score.in_levels": (
        "{grade}{subject}按等级评价（{levels} 个等级，{scores} 个分数按分数线折算为等级）："
        "统计等级分布和优秀率、良好率（优良率）、及格率（合格率），不计算平均分、最高最低分和名次"
    ),
    "score.level_among_scores": (
        "“{value}” 是等级，但{subject}的其他单元格大多是分数：请填分数"
        "（{subject}满分 {full_mark:g}），或整列都填等级"
    ),
    "score.negative": "{value} 不是有效分数：分数不能为负（{subject}满分 {full_mark:g}）",
    "score.above_full": "{value} 不是有效分数：超过{subject}满分 {full_mark:g}",
    "score.date": "“{value}” 是日期，不是分数（{subject}满分 {full_mark:g}）",
    "score.full_mark_guess": (
        "{grade_name}{subject}的满分没有在学校配置中设置，按默认 {full_mark:g} 计；但数据最高 "
        "{top:g}，共 {count} 个分数超过 {full_mark:g}（{files}）。{subject}未分析。请在学校配置"
        "“学科”表写一行：年级 {grade_name}，学科 {subject}，满分 {proposal:g}（请核实），"
        "或运行 xueqing init --from 成绩文件 生成配置草稿后确认。--skip-invalid 不会跳过此错误"
    ),
    "score.full_mark_stated": "{grade_name}{subject}的满分按表头“{label}”计为 {full_mark:g}",
    "score.full_mark_conflict": (
        "{grade_name}{subject}的表头写明的满分不一致（{values}），请在学校配置“学科”表写明满分"
    ),
    "student.duplicate": "学生“{name}”在{class_name}重复出现（另见 {other}）",
    "total.mismatch": "表中总分 {value} 与各科之和 {expected:g} 不一致（总分由工具重新计算）",
    "previous.unmatched": "上次考试中有 {count} 名学生在本次找不到（按学号或班级+姓名匹配）",
    # records of every kind
    "file.wrong_kind": "这是“{found}”填报模板，不是{kind}，已跳过",
    "file.unrecognised": (
        "无法识别是哪类表（成绩、小题分、作业检查、听评课、薄弱点台账），未使用。"
        "请检查表头，或用填报模板重新填写"
    ),
    "rules.paper_exam": (
        "合规提示：{grade}本学期有 {count} 次纸笔考试（{exams}）；一、二年级不进行纸笔考试，"
        "可用乐考等方式评价（学校配置“参数”表 合规提示 = 否 可关闭）"
    ),
    "rules.primary_exams": (
        "合规提示：{grade}本学期有 {count} 次考试（{exams}）；小学每学期只组织一次期末考试"
        "（学校配置“参数”表 合规提示 = 否 可关闭）"
    ),
    "rules.middle_exams": (
        "合规提示：{grade}本学期有 {count} 次考试（{exams}）；初中非毕业年级每学期最多组织期中、"
        "期末两次考试（学校配置“参数”表 合规提示 = 否 可关闭）"
    ),
    "rules.cross_school": (
        "合规提示：{grade}的“{exam}”看来是区域或跨校统一考试；小学和初中非毕业年级不组织这类"
        "考试（学业质量监测不在此列；学校配置“参数”表 合规提示 = 否 可关闭）"
    ),
    "exam.unknown": "看不出是哪次考试（文件夹名、文件名或“考试”列中没有期中、期末等），未使用",
    "file.report": "这是 xueqing 生成的汇总报告，不作为输入读取（已跳过）",
    "file.no_records": "没有找到{kind}表（表头应包含该表的必填列，见模板的“填写说明”）",
    "sheet.no_records": "此工作表没有找到{kind}表，已跳过",
    "header.missing": "表头缺少必填列：{columns}",
    "row.stray": "这一行不是一条记录（“{value}”，像是表格下方的说明或备注），已跳过",
    "field.invalid": "“{value}” 不是有效的{field}：应为{expected}",
    "field.missing": "“{field}”未填写",
    "field.unknown_item": "“{value}” 不是{setting}中的{field}（应为 {allowed} 之一）",
    "field.range": "{value} 超出范围：{field}应在 {minimum}–{maximum} 之间",
    "field.bound_guess": (
        "{field}的满分没有在学校配置中设置，按默认 {maximum} 计；但数据最高 {top}，共 {count} 条"
        "超过 {maximum}（{files}），这些记录未计入。请在学校配置“参数”表写明“{setting}”"
        "（可能是 {proposal}，请核实），或运行 xueqing init --from 输入文件 生成配置草稿后确认。"
        "--skip-invalid 不会跳过此错误"
    ),
    "homework.mix": "基础巩固、能力提升、实践探究之和与布置次数 {value} 不一致",
    "observation.total": "总分 {value} 与三项得分之和不一致（总分由工具重新计算）",
    "weakpoint.no_measure": "错误率和涉及人数至少填一项",
    "lekao.duplicate": (
        "{姓名}的“{项目}”已有一条结果（同班同名、学号相同或都未填）：此条未计入，请删去重复的一条"
    ),
    "class.not_in_config": "{class_text} 不在学校配置的“班级”表中（请核对班级，或在配置中补上）",
    "class.grade_conflict": "年级“{value}”与班级“{class_text}”不一致",
    "items.no_subject": (
        "无法确定学科：请在表格上方“学科”处填写，或在文件名中写明（如 三年级数学小题分）"
    ),
    "items.no_full_mark": "第{item}题有得分，但没有填写满分（“{value}”）",
    "feedback.items_unmatched": (
        "小题分中有 {count} 名学生在成绩表中找不到（按学号，或班级和姓名），"
        "他们的知识点未写入反馈单"
    ),
    # config
    "config.invalid": "“{value}” 无效：{reason}",
    "config.duplicate_student": "学生“{value}”在名单中重复（另见 {other}）",
    "config.teaching_classes": "“{value}”的任教班级没有填写，且“班级”表中没有该年级的班级",
    "config.missing_sheet": "学校配置缺少工作表“{sheet_name}”，使用默认值",
}


# Rule codes whose errors stop a report even with --skip-invalid (see ProblemReport.unskippable).
UNSKIPPABLE = frozenset({"score.full_mark_guess", "score.full_mark_conflict", "field.bound_guess"})


@dataclass(frozen=True)
class Problem:
    """One finding about the input, located as precisely as the input allows."""

    severity: Severity
    code: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    value: Any = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        template = MESSAGES.get(self.code, self.code)
        try:
            return template.format(value=_show(self.value), **self.params)
        except (KeyError, ValueError, IndexError):
            # A template/parameter mismatch must never hide the finding itself.
            return f"{template} {self.params}"

    @property
    def location(self) -> str:
        return " › ".join(part for part in (self.file, self.sheet, self.cell) if part)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "value": _show(self.value),
            "message": self.message,
        }


def _show(value: Any) -> str:
    """The value as a user would recognise it in the cell (``87`` not ``87.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ProblemReport:
    """An ordered collection of problems; lazy validation appends, never raises."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self._problems: list[Problem] = list(problems)

    def add(
        self,
        severity: Severity,
        code: str,
        *,
        file: str = "",
        sheet: str = "",
        cell: str = "",
        value: Any = None,
        **params: Any,
    ) -> Problem:
        problem = Problem(severity, code, file, sheet, cell, value, params)
        self._problems.append(problem)
        return problem

    def extend(self, problems: Iterable[Problem]) -> None:
        self._problems.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._problems)

    def __len__(self) -> int:
        return len(self._problems)

    def of(self, severity: Severity) -> list[Problem]:
        return [p for p in self._problems if p.severity == severity]

    @property
    def errors(self) -> list[Problem]:
        return self.of("error")

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self._problems)

    @property
    def unskippable(self) -> list[Problem]:
        """Errors that ``--skip-invalid`` must not pass: a whole column contradicting a guessed
        setting (skipping its cells would leave figures computed on a wrong 满分)."""
        return [p for p in self.errors if p.code in UNSKIPPABLE]

    def counts(self) -> dict[str, int]:
        return {s: len(self.of(s)) for s in ("error", "warning", "note")}  # type: ignore[arg-type]
