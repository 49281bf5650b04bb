"""Which school a score file belongs to: a 学校 column, a title, a file or folder name; and
reading a district's files on several cores gives the same records as one core."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from toolkit.base.problems import ProblemReport
from toolkit.base.schoolnames import find_school
from toolkit.config.model import SchoolConfig
from toolkit.reading import parallel
from toolkit.reading.discover import discover
from toolkit.scores.read import UNNAMED_SCHOOL, read_score_file, read_score_files
from toolkit.scores.report import analyze


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("第12小学期末成绩", "第12小学"),
        ("博山区实验小学2025-2026学年第二学期期末四年级成绩", "博山区实验小学"),
        ("2025-2026学年第二学期第12小学四年级期末成绩", "第12小学"),
        ("2026年全区质量监测第7小学成绩", "第7小学"),
        ("淄博市第一中学高一成绩", "淄博市第一中学"),
        ("实验中学初二(3)班", "实验中学"),
        ("育才学校", "育才学校"),
        ("清华附小四年级", "清华附小"),
        ("第１２小学", "第12小学"),  # full-width digits, as typed on a phone
        ("四年级数学期末小题分", None),
        ("四(1)班期末成绩", None),
        ("学校配置", None),
        ("初中学生成绩", None),
        ("小学生成绩", None),
        ("第二学期成绩", None),
        ("小学", None),
        ("", None),
        (None, None),
        (12.0, None),
    ],
)
def test_find_school(text: object, school: str | None) -> None:
    assert find_school(text) == school


HEADER = ["班级", "学号", "姓名", "语文", "数学"]


def write_scores(
    path: Path,
    rows: list[list[object]],
    *,
    title: str = "",
    header: list[str] = HEADER,
) -> Path:
    """One sheet as a teacher makes it: an optional title row, the header, the students."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def class_means(report: object) -> dict[tuple[str, str], float]:
    """(学校, 学科) → 平均分 of 四(1)班 in the summary."""
    summary = report.summary  # type: ignore[attr-defined]
    rows = summary[summary["班级"] == 1]
    return {(s, subj): m for s, subj, m in rows[["学校", "学科", "平均分"]].itertuples(index=False)}


def test_schools_from_file_names_keep_classes_apart(tmp_path: Path) -> None:
    write_scores(
        tmp_path / "第1小学期末成绩.xlsx",
        [["四(1)班", "01", "甲", 90, 80], ["四(1)班", "02", "乙", 70, 60]],
    )
    write_scores(
        tmp_path / "第2小学期末成绩.xlsx",
        [["四(1)班", "01", "丙", 50, 100], ["四(1)班", "02", "丁", 40, 90]],
    )
    report = analyze([tmp_path])
    assert report.schools == ["第1小学", "第2小学"]
    # Same 学号 in both schools: two schools' students, not duplicates.
    assert not report.problems.errors
    assert class_means(report) == {
        ("第1小学", "语文"): (90 + 70) / 2,
        ("第1小学", "数学"): (80 + 60) / 2,
        ("第2小学", "语文"): (50 + 40) / 2,
        ("第2小学", "数学"): (100 + 90) / 2,
    }


def test_school_from_title_and_folder(tmp_path: Path) -> None:
    write_scores(
        tmp_path / "区监测" / "a.xlsx",
        [["四(1)班", "01", "甲", 90, 80]],
        title="第3小学2025-2026学年第二学期期末质量监测成绩",
    )
    write_scores(tmp_path / "区监测" / "实验中学" / "成绩.xlsx", [["四(1)班", "01", "乙", 70, 60]])
    report = analyze([tmp_path / "区监测"])
    by_name = dict(
        zip(report.records.students["姓名"], report.records.students["学校"], strict=True)
    )
    assert by_name == {"甲": "第3小学", "乙": "实验中学"}


def test_school_column_beats_title(tmp_path: Path) -> None:
    write_scores(
        tmp_path / "第5小学成绩.xlsx",
        [["", "四(1)班", "02", "乙", 70, 60], ["第4小学", "四(1)班", "01", "甲", 90, 80]],
        title="第3小学期末成绩",
        header=["学校", *HEADER],
    )
    students = analyze([tmp_path]).records.students
    # The column names 甲's school; 乙's cell (above it) is empty, so the title's counts.
    assert dict(zip(students["姓名"], students["学校"], strict=True)) == {
        "甲": "第4小学",
        "乙": "第3小学",
    }


def test_one_school_named_in_some_files_is_one_school(tmp_path: Path) -> None:
    write_scores(
        tmp_path / "四(1)班.xlsx",
        [["四(1)班", "01", "甲", 90, 80]],
        title="博山区实验小学期末四(1)班成绩",
    )
    write_scores(tmp_path / "四(2)班.xlsx", [["四(2)班", "02", "乙", 70, 60]])
    report = analyze([tmp_path])
    assert report.schools == ["博山区实验小学"]
    assert not [p for p in report.problems if p.code == "school.unknown"]


def test_several_schools_and_an_unnamed_file_are_warned(tmp_path: Path) -> None:
    write_scores(tmp_path / "第1小学.xlsx", [["四(1)班", "01", "甲", 90, 80]])
    write_scores(tmp_path / "第2小学.xlsx", [["四(1)班", "01", "乙", 70, 60]])
    write_scores(tmp_path / "四年级成绩.xlsx", [["四(1)班", "01", "丙", 50, 40]])
    report = analyze([tmp_path])
    assert report.schools == sorted(["第1小学", "第2小学", UNNAMED_SCHOOL])
    unknown = [p for p in report.problems if p.code == "school.unknown"]
    assert [(p.severity, p.file) for p in unknown] == [("warning", "四年级成绩.xlsx")]
    assert UNNAMED_SCHOOL in unknown[0].message


def test_school_config_names_the_one_school(tmp_path: Path) -> None:
    write_scores(tmp_path / "第1小学.xlsx", [["四(1)班", "01", "甲", 90, 80]])
    write_scores(tmp_path / "第2小学.xlsx", [["四(2)班", "02", "乙", 70, 60]])
    report = analyze([tmp_path], config=SchoolConfig(school="实验小学"))
    assert report.schools == ["实验小学"]


def test_previous_exam_without_school_names_still_matches(tmp_path: Path) -> None:
    current = tmp_path / "期末"
    earlier = tmp_path / "期中"
    write_scores(
        current / "四年级.xlsx",
        [["四(1)班", "01", "甲", 90, 80], ["四(1)班", "02", "乙", 70, 60]],
        title="实验小学期末成绩",
    )
    write_scores(
        earlier / "四年级.xlsx", [["四(1)班", "01", "甲", 60, 60], ["四(1)班", "02", "乙", 90, 90]]
    )
    report = analyze([current], previous=[earlier])
    assert report.progress is not None
    assert report.progress.unmatched == 0
    # Grade 4 ranks no pupil (学生排名 default): matched by their levels' moves. 甲 went from
    # 合格/合格 to 优秀/良好 (+2 +1), 乙 from 优秀/优秀 to 合格/合格 (−2 −2).
    steps = report.students.join(report.progress.students).set_index("姓名")["等级进退"]
    assert steps.to_dict() == {"甲": 3, "乙": -4}


# ------------------------------------------------------------------------ reading in parallel


def district(folder: Path, schools: int = 4, students: int = 30) -> Path:
    for k in range(1, schools + 1):
        rows: list[list[object]] = [
            [
                f"四({1 + i % 3})班",
                f"{i:03d}",
                f"生{k}-{i}",
                (i * 7 + k) % 101,
                "缺考" if i == 5 else i,
            ]
            for i in range(students)
        ]
        rows[5][4] = "缺考"
        rows.append(["", "", "平均分", 50, 50])  # a summary row: skipped, noted
        write_scores(folder / f"第{k}小学期末成绩.xlsx", rows)
    return folder


def test_parallel_read_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = discover([district(tmp_path)], ProblemReport())
    config = SchoolConfig()
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    assert parallel.worker_count(files, min_bytes=0) == 2
    workers = parallel.read_files(read_score_file, files, config, min_bytes=0)
    here = [read_score_file(file, config) for file in files]
    assert [w.students for w in workers] == [h.students for h in here]
    assert [w.marks for w in workers] == [h.marks for h in here]
    assert [list(w.problems) for w in workers] == [list(h.problems) for h in here]


def test_district_read_in_workers_keeps_file_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = discover([district(tmp_path, schools=5)], ProblemReport())
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    serial_report, parallel_report = ProblemReport(), ProblemReport()
    in_workers = read_score_files(files, SchoolConfig(), parallel_report)
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    in_one = read_score_files(files, SchoolConfig(), serial_report)
    pd.testing.assert_frame_equal(in_workers.students, in_one.students)
    pd.testing.assert_frame_equal(in_workers.marks, in_one.marks)
    assert [p.message for p in parallel_report] == [p.message for p in serial_report]
    # Files in the order found, each school's 30 students, summary rows noted.
    assert list(in_workers.students["学校"].unique()) == [f"第{k}小学" for k in range(1, 6)]
    assert in_workers.rows_read == 5 * 31 and len(in_workers.students) == 5 * 30


def test_small_inputs_are_read_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = discover([district(tmp_path, schools=2)], ProblemReport())
    monkeypatch.delenv(parallel.WORKERS_ENV, raising=False)
    assert parallel.worker_count(files) == 1  # a few KB: a pool would cost more than it saves
    assert parallel.worker_count(files[:1], min_bytes=0) == 1
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    assert parallel.worker_count(files, min_bytes=0) == 1


# ------------------------------------------------------------------ check: what was found


def found_classes(folder: Path) -> dict[str, str]:
    from toolkit.check import check_inputs

    result = check_inputs([folder], SchoolConfig(), ProblemReport())
    table = result.found.table()
    return dict(zip(table["文件"], table["班级"], strict=True))


def test_found_table_counts_each_schools_classes(tmp_path: Path) -> None:
    write_scores(
        tmp_path / "全区四年级.xlsx",
        [
            ["第1小学", f"四({k})班", f"0{k}", f"甲{k}{s}", 90, 80]
            if s == 1
            else ["第2小学", f"四({k})班", f"0{k}", f"乙{k}{s}", 70, 60]
            for s in (1, 2)
            for k in (1, 2, 3)
        ],
        header=["学校", *HEADER],
    )
    write_scores(
        tmp_path / "两校一班.xlsx",
        [["第1小学", "五(1)班", "01", "丙", 90, 80], ["第2小学", "五(1)班", "01", "丁", 70, 60]],
        header=["学校", *HEADER],
    )
    # Three classes in each of two schools: six, not three; two schools' 五(1)班 named apart.
    assert found_classes(tmp_path) == {
        "全区四年级.xlsx": "四年级6个班",
        "两校一班.xlsx": "第1小学 五(1)班、第2小学 五(1)班",
    }


def test_missing_config_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    from toolkit.config.read import load_config

    problems = ProblemReport()
    config = load_config(tmp_path / "学校配置.xlsx", problems)
    assert config == SchoolConfig(source="学校配置.xlsx")
    [problem] = problems.errors
    assert problem.code == "file.unreadable" and "学校配置文件不存在" in problem.message
