"""Issue 11, class 8: who a row is about.  工号 are compared after NFKC with invisible characters removed, in the
log as in the roster; odd digits are refused; roster roles the rubric does not know are named, and one that is a
known role spelt differently is an error."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
from kpi_cli.engine.results import Subject
from kpi_cli.inputs.roster import covered, load_roster
from kpi_cli.inputs.score_run import score_log
from kpi_cli.inputs.values import clean_id
from kpi_cli.rubric.loader import load_rubric

RUBRIC = ROOT / "tests/data/input/rubric.yaml"
HEADER = "工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注,记录人"


@pytest.mark.parametrize("typed", [
    "000101", " 000101 ", "０００１０１", "\ufeff000101", "000101\u200b", "0001\u200c01", "\u2060000101", "000101\u200e",
    "\u202a000101\u202c", "000101\x00", "000101\t", "\u00a0000101", "000\u00ad101",
])
def test_ids_are_compared_without_invisible_characters_and_widths(typed: str) -> None:
    assert clean_id(typed) == "000101"


@pytest.mark.parametrize("typed", ["1²", "00010¹", "0001₀1", "①", "٣", "۳", "००१", "½"])
def test_odd_digits_in_an_id_are_refused_not_read_as_digits(typed: str) -> None:
    with pytest.raises(ValueError, match="not one of the digits 0-9"):
        clean_id(typed)


def test_letters_and_leading_zeros_are_kept() -> None:
    assert clean_id("ＡＢ-００７") == "AB-007" and clean_id("007") == "007" and clean_id("kf01") == "kf01"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_zero_width_space_does_not_make_a_second_person(tmp_path: Path) -> None:
    rubric, _ = load_rubric(RUBRIC)
    assert rubric is not None
    roster = _write(tmp_path / "roster.csv", ["工号,姓名,部门,岗位", "\ufeff000101\u200b,王芳,翠湖花园,管家"])
    log = _write(tmp_path / "log.csv", [
        HEADER, "000101,2026-10-03,迟到,1,,,,,,", "000101\u200b,2026-10-04,迟到,1,,,,,,",
        "０００１０１,2026-10-05,旷工,1,,,,,,", "000101,2026-10-31,收缴率,,,95,,,,",
        "\u2060000101,2026-10-31,服务态度,,,,自评,30,,", "000101,2026-10-31,服务态度,,,,直接上级,30,,"])
    run = score_log(log, rubric, roster=roster, keep_records=False)
    assert run.ok, [d.format() for d in run.diagnostics]
    [person] = run.sheet.subjects  # type: ignore[union-attr]
    # 3 occurrences in 劳动纪律 (迟到, 迟到, 旷工, each under another spelling of 000101) reach wipe_at 3: 0;
    # 收缴 95% of 95: 40; 服务态度 30 × 0.3 + 30 × 0.7 = 30: 0 + 40 + 30 = 70.0 (as two people: 16 and 100)
    assert (person.subject.id, person.total) == ("000101", Decimal("70.0"))


def test_an_odd_digit_in_the_log_is_located(tmp_path: Path) -> None:
    rubric, _ = load_rubric(RUBRIC)
    assert rubric is not None
    log = _write(tmp_path / "log.csv", [HEADER, "00010¹,2026-10-03,迟到,1,,,,,,", "000101,2026-10-04,迟到,1,,,,,,"])
    run = score_log(log, rubric, roster=ROOT / "tests/data/input/roster.csv", keep_records=False)
    assert [(d.line, d.code) for d in run.diagnostics if d.is_error][:1] == [(2, "bad-id")]
    assert (run.counts.read, run.counts.errors) == (2, 1)


def test_duplicates_after_normalising_name_both_lines(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", ["工号,姓名,部门,岗位", "000101,王芳,翠湖花园,管家", "００\u200b0101,王芳,翠湖花园,管家"])
    subjects, problems = load_roster(path)
    assert [s.line for s in subjects] == [2]
    assert [d.format() for d in problems] == [
        f"{path}:3: 工号 000101 is already on the roster at line 2 ('００\\u200b0101' here, '000101' there, the same "
        "once invisible characters and widths are ignored) (duplicate-employee)"]


def _member(ident: str, role: str, line: int) -> Subject:
    return Subject(ident, f"员工{ident}", "翠湖花园", role, "r.csv", line)


@pytest.mark.parametrize("typo", ["管 家", "管　家", " 管家 ", "ＧＵＡＮＪＩＡ"])
def test_a_known_role_spelt_differently_is_an_error(typo: str) -> None:
    roles = ("管家", "guanjia") if typo.isascii() or "Ｇ" in typo else ("管家", "客服员")
    members = [_member("000101", "管家", 2), _member("000102", typo, 3)]
    subjects, skipped, problems = covered(members, roles, "shuru")
    if typo.strip() == "管家":  # outer spaces are not part of a cell
        return
    assert list(subjects) == ["000101"] and list(skipped) == ["000102"]
    [problem] = problems
    assert problem.is_error and problem.code == "unknown-role" and problem.line == 3
    assert "did you mean" in problem.message and "000102" in problem.message


def test_members_of_roles_the_rubric_does_not_cover_are_named() -> None:
    members = [_member("000101", "管家", 2)] + [_member(f"0002{i:02d}", "保安员", 3 + i) for i in range(12)]
    _, skipped, problems = covered(members, ("管家",), "shuru")
    assert len(skipped) == 12
    [warning] = problems
    assert not warning.is_error and warning.code == "role-not-covered" and warning.line == 3
    assert warning.message.startswith("岗位 保安员 is not a role of rubric shuru (管家): 12 not scored: 员工000200 "
                                      "000200, 员工000201 000201,")
    assert warning.message.endswith("and 2 more")


def test_the_cli_names_a_role_typo_even_with_quiet(invoke, tmp_path: Path) -> None:
    roster = _write(tmp_path / "roster.csv", ["工号,姓名,部门,岗位", "000101,王芳,翠湖花园,管家",
                                              "000102,李娜,翠湖花园,管 家", "000103,张伟,金域华府,客服员"])
    result = invoke("score", "tests/data/input/month.csv", "--rubric", str(RUBRIC), "--roster", str(roster),
                    "--multiline-cells", "-q")
    assert result.exit_code == 1
    assert f"{roster}:3: 岗位 '管 家' of 000102 李娜 is not a role of rubric shuru: did you mean 管家?" in result.stderr
