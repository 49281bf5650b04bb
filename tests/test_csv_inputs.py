"""CSV score files as platforms export them and Excel on Chinese Windows saves them: GBK,
UTF-8 with a byte-order mark, tab-separated; read as sheets, not ignored (issue 17, item 8)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from toolkit.base.problems import ProblemReport
from toolkit.cli.parser import main
from toolkit.config.model import SchoolConfig
from toolkit.scores.report import analyze

SUBJECTS = ["语文", "数学", "英语"]
# (学号, 姓名, 语文, 数学, 英语) per class; "缺考" is absent, " 88 " a number typed as text.
CLASSES = {
    1: [
        ("401001", "王小明", "92", "88", "缺考"),
        ("401002", "李华", "78.5", " 95 ", "81"),
        ("401003", "张伟", "61", "59", "70"),
        ("401004", "刘洋", "缺考", "100", "99"),
    ],
    2: [
        ("402001", "陈静", "85", "77", "66"),
        ("402002", "杨帆", "90", "93", "88"),
        ("402003", "赵磊", "55", "缺考", "47"),
    ],
    3: [
        ("403001", "孙悦", "100", "98", "97"),
        ("403002", "周杰", "73", "81", "79"),
    ],
}
FORMATS = {1: ("gbk", ","), 2: ("utf-8-sig", ","), 3: ("utf-8", "\t")}


def write_csvs(folder: Path) -> None:
    folder.mkdir(parents=True)
    for klass, rows in CLASSES.items():
        encoding, sep = FORMATS[klass]
        lines = [sep.join(["学号", "姓名", *SUBJECTS])] + [sep.join(row) for row in rows]
        (folder / f"四({klass})班期末成绩.csv").write_bytes(
            ("\r\n".join(lines) + "\r\n").encode(encoding)
        )


def expected(klass: int, subject: str) -> tuple[int, int, int, float]:
    """应考, 实考, 缺考, 平均分 computed from the table above by hand's rules."""
    column = 2 + SUBJECTS.index(subject)
    cells = [row[column].strip() for row in CLASSES[klass]]
    scores = [float(c) for c in cells if c != "缺考"]
    return len(cells), len(scores), cells.count("缺考"), statistics.fmean(scores)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    write_csvs(tmp_path / "期末")
    return tmp_path / "期末"


def test_csv_files_are_read_with_the_right_figures(folder: Path) -> None:
    problems = ProblemReport()
    report = analyze([folder], config=SchoolConfig(), problems=problems, exam="期末")
    assert report.analysed and not problems.has_errors, [str(p) for p in problems]
    summary = report.summary
    for klass in CLASSES:
        for subject in SUBJECTS:
            row = summary[(summary["班级"] == klass) & (summary["学科"] == subject)].iloc[0]
            should, sat, absent, mean = expected(klass, subject)
            assert int(row["年级"]) == 4
            assert (int(row["应考人数"]), int(row["实考人数"]), int(row["缺考人数"])) == (
                should,
                sat,
                absent,
            )
            assert row["平均分"] == pytest.approx(mean)


def test_check_counts_every_csv_row(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(folder), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert sorted(f["file"] for f in payload["files"]) == sorted(
        f"四({k})班期末成绩.csv" for k in CLASSES
    )
    rows = payload["rows"]
    assert rows["计入"] == sum(len(r) for r in CLASSES.values())
    assert rows["读取"] == rows["计入"] + rows["跳过"]


def test_a_csv_in_no_known_encoding_is_refused_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "期末"
    folder.mkdir()
    (folder / "成绩.csv").write_bytes("学号,姓名,语文\n1,王,90\n".encode("utf-16"))
    assert main(["check", str(folder)]) == 1
    told = capsys.readouterr()
    assert "UTF-8" in (told.out + told.err).replace("\n", "")


def test_a_config_among_the_score_files_is_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 17, item 9: as check and term do, scores uses a 学校配置.xlsx kept with the files
    (here 语文 out of 120) instead of calling it a file without a score table."""
    from toolkit.config.model import SubjectRule
    from toolkit.render.workbooks.config_template import write_config_template

    folder = tmp_path / "期末"
    write_csvs(folder)
    config = SchoolConfig(rules={(4, "语文"): SubjectRule(full_mark=120)})
    write_config_template(folder / "学校配置.xlsx", config)
    target = tmp_path / "成绩分析.xlsx"
    assert main(["scores", str(folder), "-o", str(target), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    codes = {p["code"] for p in payload["problems"]}
    assert "file.no_table" not in codes and "file.config" in codes
    from openpyxl import load_workbook

    definitions = load_workbook(target)["口径说明"]
    text = " ".join(str(c.value) for row in definitions.iter_rows() for c in row if c.value)
    assert "学校配置：学校配置.xlsx" in text and "四年级语文：满分 120，优秀 108" in text


def test_platform_column_names(tmp_path: Path) -> None:
    """考生号 is the ID, 行政班级 the class, 班次 and 校次 ranks, never a class (issue 17,
    item 4): a 班次 of 1 must not put a student into class 1."""
    folder = tmp_path / "期末"
    folder.mkdir()
    lines = [
        "考生号,姓名,行政班级,语文,班次,校次",
        "2026001,王小明,四(2)班,90,1,3",
        "2026002,李华,四(2)班,80,2,9",
        "2026003,张伟,四(3)班,70,1,20",
    ]
    (folder / "四年级期末成绩.csv").write_text("\n".join(lines), encoding="utf-8")
    problems = ProblemReport()
    report = analyze([folder], config=SchoolConfig(), problems=problems, exam="期末")
    assert report.analysed and not problems.has_errors, [str(p) for p in problems]
    classes = report.summary[report.summary["班级"].notna() & (report.summary["学科"] == "语文")]
    means = dict(zip(classes["班级"].astype(int), classes["平均分"], strict=True))
    assert means == {2: pytest.approx(85.0), 3: pytest.approx(70.0)}
    assert set(report.records.students["学号"]) == {"2026001", "2026002", "2026003"}


def test_elective_subjects_count_only_the_students_who_take_them(tmp_path: Path) -> None:
    """Issue 17, item 6: 日语 beside 英语, `-`, `/` and `—` for the one a student did not
    choose: that subject's 应考 is its takers; neither 缺考 nor an error."""
    folder = tmp_path / "期末"
    folder.mkdir()
    lines = [
        "学号,姓名,班级,语文,英语,日语",
        "1,王小明,七(1)班,90,80,-",
        "2,李华,七(1)班,80,/,70",
        "3,张伟,七(1)班,70,缺考,—",
        "4,刘洋,七(1)班,60,—,50",
    ]
    (folder / "七年级期末成绩.csv").write_text("\n".join(lines), encoding="utf-8")
    problems = ProblemReport()
    report = analyze([folder], config=SchoolConfig(), problems=problems, exam="期末")
    assert report.analysed and not problems.has_errors, [str(p) for p in problems]
    rows = report.summary[report.summary["班级"].notna()].set_index("学科")
    expected = {  # 应考, 实考, 缺考, 平均分
        "语文": (4, 4, 0, 75.0),
        "英语": (2, 1, 1, 80.0),
        "日语": (2, 2, 0, 60.0),
    }
    noted = [p for p in problems if p.code == "score.not_taking"]
    assert sorted(p.cell for p in noted) == ["E3", "E5", "F2", "F4"]
    assert "未选考英语" in str(noted[-1])
    for subject, (should, sat, absent, mean) in expected.items():
        row = rows.loc[subject]
        got = (int(row["应考人数"]), int(row["实考人数"]), int(row["缺考人数"]))
        assert got == (should, sat, absent), subject
        assert row["平均分"] == pytest.approx(mean)
