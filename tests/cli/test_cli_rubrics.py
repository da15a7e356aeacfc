"""`kpi validate`, `kpi rubrics`, `kpi show`, `kpi schema` and --rubrics-dir."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from kpi_cli.rubric.schema import rubric_json_schema

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data"
VALID = "tests/data/rubrics/valid"
INVALID = "tests/data/rubrics/invalid"

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+) \((?P<code>[a-z-]+)\)$")


# --- kpi validate ------------------------------------------------------------------------------


def test_validate_valid_file(invoke) -> None:
    result = invoke("validate", f"{VALID}/minimal.yaml")
    assert result.exit_code == 0
    assert result.stdout == "1 files, 1 rubrics valid, 0 problems\n"


def test_validate_valid_folder(invoke) -> None:
    result = invoke("validate", VALID)
    assert result.exit_code == 0
    assert result.stdout == "2 files, 2 rubrics valid, 0 problems\n"


def test_validate_invalid_file(invoke) -> None:
    result = invoke("validate", f"{INVALID}/grades_gap.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{INVALID}/grades_gap.yaml:66:31: grades[1].max: gap between bands: 优秀 starts at 90 but 良好 ends at 89, "
        "so a total in [89, 90) has no band (max is exclusive: 80-89 is min 80, max 90) (band-gap)",
        "1 files, 0 rubrics valid, 1 problems",
    ]


def test_validate_every_problem_line_is_path_line_col_message_code(invoke) -> None:
    result = invoke("validate", INVALID)
    assert result.exit_code == 1
    *lines, summary = result.stdout.splitlines()
    n_files = len(list((DATA / "rubrics" / "invalid").glob("*.yaml")))
    assert summary == f"{n_files} files, 0 rubrics valid, {len(lines)} problems"
    for line in lines:
        match = LINE.match(line)
        assert match, line
        assert match["path"].startswith(f"{INVALID}/")
        assert int(match["line"]) > 0 and int(match["col"]) > 0
    files = {LINE.match(line)["path"] for line in lines}  # type: ignore[index]
    assert len(files) == n_files  # every file reported, none stopped the others


def test_validate_mixed_files_and_folders(invoke) -> None:
    result = invoke("validate", f"{INVALID}/period_week.yaml", VALID)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "3 files, 2 rubrics valid, 1 problems"


def test_validate_a_path_that_does_not_exist_is_a_usage_error(invoke) -> None:
    result = invoke("validate", "rubrics/nosuch.yaml")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "rubrics/nosuch.yaml: no such file or folder; check the path (not-found)",
        "0 files, 0 rubrics valid, 1 problems",
    ]


def test_validate_a_missing_path_next_to_valid_ones_is_still_a_usage_error(invoke) -> None:
    result = invoke("validate", VALID, "nosuch/")
    assert result.exit_code == 2
    assert "nosuch: no such file or folder; check the path (not-found)" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 files, 2 rubrics valid, 1 problems"


def test_validate_without_paths_is_a_usage_error(invoke) -> None:
    assert invoke("validate").exit_code == 2


def test_validate_json(invoke) -> None:
    result = invoke("validate", "--format", "json", f"{INVALID}/weights_not_one.yaml", f"{VALID}/minimal.yaml")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload == {
        "files": 2,
        "valid": 1,
        "problems": 1,
        "rubrics": [
            {"file": f"{INVALID}/weights_not_one.yaml", "id": None, "valid": False, "status": None,
             "reconstructed": None},
            {"file": f"{VALID}/minimal.yaml", "id": "zuixiao", "valid": True, "status": None, "reconstructed": 0},
        ],
        "diagnostics": [{
            "file": f"{INVALID}/weights_not_one.yaml",
            "line": 10,
            "column": 3,
            "sheet": "",
            "level": "error",
            "code": "weights",
            "message": "raters: rater weights add up to 0.9 (0.3 + 0.6), not exactly 1; change them so that they add "
                       "up to 1",
        }],
    }


def test_validate_json_valid(invoke) -> None:
    result = invoke("validate", "--format", "json", VALID)
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert (payload["files"], payload["valid"], payload["problems"], payload["diagnostics"]) == (2, 2, 0, [])
    assert [r["id"] for r in payload["rubrics"]] == ["quanbu", "zuixiao"]


def test_validate_json_keeps_chinese_readable(invoke) -> None:
    result = invoke("validate", "--format", "json", f"{INVALID}/unknown_role.yaml")
    assert "门卫" in result.stdout  # ensure_ascii=False


def test_duplicate_rubric_ids_across_a_folder(invoke, tmp_path: Path) -> None:
    shutil.copy(DATA / "rubrics" / "valid" / "minimal.yaml", tmp_path / "a.yaml")
    shutil.copy(DATA / "rubrics" / "valid" / "minimal.yaml", tmp_path / "b.yaml")
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'b.yaml'}:2:5: id: rubric id 'zuixiao' is already used by {tmp_path / 'a.yaml'} "
        "(duplicate-rubric)",
        "2 files, 1 rubrics valid, 1 problems",
    ]


def test_validate_warning_only_exits_0(invoke, tmp_path: Path) -> None:
    text = (DATA / "rubrics" / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    (tmp_path / "r.yaml").write_text(text.replace("items:", "raters:\n  - {id: boss, name: 上级, weight: 1}\nitems:"),
                                     encoding="utf-8")
    result = invoke("validate", str(tmp_path / "r.yaml"))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'r.yaml'}:8:3: warning: raters: raters are declared but no item is rated (unused-raters)",
        "1 files, 1 rubrics valid, 0 problems",
    ]


def test_validate_an_unsafe_file(invoke, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / "evil.yaml").write_text(f"id: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    result = invoke("validate", str(tmp_path / "evil.yaml"))
    assert result.exit_code == 1
    assert not marker.exists()
    assert (
        f"{tmp_path / 'evil.yaml'}:1:5: tag '!!python/object/apply:os.system' is not allowed; rubrics hold plain "
        "values only (tag)") in result.stdout.splitlines()


# --- kpi rubrics -------------------------------------------------------------------------------


def test_rubrics_lists_a_folder(invoke) -> None:
    result = invoke("rubrics", VALID)
    assert result.exit_code == 0
    for text in ("quanbu", "zuixiao", "最小考核表", "quarter", "month"):
        assert text in result.stdout


def test_rubrics_default_folder_and_rubrics_dir(invoke) -> None:
    result = invoke("rubrics")
    assert result.exit_code == 0
    assert all(name in result.stdout for name in ("guanjia", "guanliyuan", "zhibiao"))
    result = invoke("--rubrics-dir", VALID, "rubrics")
    assert result.exit_code == 0
    assert "zuixiao" in result.stdout and "guanjia" not in result.stdout


def test_rubrics_reports_invalid_ones(invoke) -> None:
    result = invoke("rubrics", INVALID)
    assert result.exit_code == 1
    assert f"{INVALID}/period_week.yaml:4:9: period: must be 'month' or 'quarter', not 'week' (schema)" in \
        result.output


def test_rubrics_folder_that_does_not_exist(invoke) -> None:
    result = invoke("rubrics", "nosuch")
    assert result.exit_code == 2
    assert "nosuch: no such file or folder; check the path (not-found)" in result.output


# --- kpi show ----------------------------------------------------------------------------------


def test_show_guanliyuan(invoke) -> None:
    result = invoke("show", "guanliyuan")
    assert result.exit_code == 0
    out = result.stdout
    assert "物业公司客服中心管理员月度绩效考核表" in out and "(guanliyuan)" in out
    assert "合计: 90分" in out
    for name, maximum in (("爱岗敬业", "6"), ("沟通协调", "10"), ("安排清洁绿化", "9"), ("日常检查", "8"),
                          ("领导交办任务", "5")):
        row = next(line for line in out.splitlines() if name in line)
        assert re.search(rf"│\s+{maximum} │$", row), row  # the 分值 column
    assert "5-6分" in out and "1-5分(不含5分)" in out and "3-9分(不含9分)" in out  # the rating bands
    assert "自评×30%" in out and "直接上级×70%" in out
    for label in ("优秀", "良好", "一般", "不及格"):
        assert label in out
    assert "≥ 81" in out and "< 63" in out  # the grade bands


def test_show_by_path(invoke) -> None:
    result = invoke("show", f"{VALID}/full.yaml")
    assert result.exit_code == 0
    assert "全功能考核表" in result.stdout and "扣1-3分/次" in result.stdout


def test_show_with_rubrics_dir(invoke) -> None:
    result = invoke("--rubrics-dir", VALID, "show", "minimal")
    assert result.exit_code == 0
    assert "最小考核表" in result.stdout


def test_show_rubrics_dir_from_the_environment(invoke) -> None:
    result = invoke("show", "minimal", env={"KPI_RUBRICS_DIR": VALID})
    assert result.exit_code == 0
    assert "最小考核表" in result.stdout


def test_show_unknown_rubric(invoke) -> None:
    result = invoke("show", "nosuch")
    assert result.exit_code == 2
    assert "no rubric 'nosuch': not a file, and not in rubrics/ (found: guanjia, guanliyuan" in result.output


def test_show_invalid_rubric(invoke) -> None:
    result = invoke("show", f"{INVALID}/period_week.yaml")
    assert result.exit_code == 1
    assert f"{INVALID}/period_week.yaml:4:9: period: must be 'month' or 'quarter', not 'week' (schema)" in \
        result.output
    assert f"run: kpi validate {INVALID}/period_week.yaml" in result.output
    assert result.stdout == ""


# --- kpi schema --------------------------------------------------------------------------------


def test_schema(invoke) -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "items" in schema["properties"]
    assert schema == rubric_json_schema()
    assert result.stdout == (ROOT / "schema" / "rubric.schema.json").read_text(encoding="utf-8")


def test_a_rubric_name_no_file_system_accepts_is_not_found_not_an_io_error(invoke) -> None:
    """A --rubric of 5000 characters made Path.is_file() raise ENAMETOOLONG: exit 3 "cannot write the output" with
    the whole name; it is a rubric that does not exist (2), named in 40 characters."""
    result = invoke("show", "x" * 5000)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"no rubric '{'x' * 39}…': not a file" in result.stderr


def test_a_ledger_url_whose_driver_is_not_installed_is_a_message(invoke) -> None:
    result = invoke("periods", "--db", "mysql://x")
    assert result.exit_code == 3 and "Traceback" not in result.output, result.output
    assert "mysql://x is not a database URL kpi can use" in result.stderr


def test_the_rubric_not_found_message_is_in_chinese(invoke) -> None:
    result = invoke("--lang", "zh", "show", "nosuch")
    assert result.exit_code == 2 and "找不到考核表 'nosuch'" in result.stderr
