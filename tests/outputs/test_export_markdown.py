"""Markdown and plain-text table exports."""

from __future__ import annotations

from export_support import INJECTION, provenance, scored

from kpi_cli.outputs.exporters.markdown_export import escape, to_markdown
from kpi_cli.outputs.exporters.table_export import to_table


def test_markdown() -> None:
    run = scored(keep_records=False)
    text = to_markdown(run.sheet, provenance(run)).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# 管家月度考核表(导出测试) · 2026年10月"
    assert lines[2] == ("| 名次 | 工号 | 姓名 | 部门 | 岗位 | 考勤管理(10) | 服务质量(10) | 奖扣分 | 总分 | 等级 | 绩效结果 | "
                        "绩效工资 | 处理 | 部门名次 |")
    assert lines[3] == "|---:|---|---|---|---|---:|---:|---:|---:|---|---|---:|---|---:|"
    assert lines[4] == "| 1 | G01 | 王芳 | 翠湖花园 | 管家 | 8 | 10 | 1 | 19.0 | 优秀 | 发放100% | 100% |  | 1 |"
    assert lines[6].startswith("| 3 | G02 | " + INJECTION.replace('"', "&quot;").replace("://", ":\\//") + " |")
    assert "## 生成信息 (provenance)" in lines
    assert "- 生成时间 (run at, UTC): 2026-11-01T01:05:00Z" in lines
    assert text.endswith("\n")


def test_markdown_escape() -> None:
    assert escape("a|b\nc") == "a\\|b<br>c"
    assert escape("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert escape("[点我](http://evil.example)") == "\\[点我\\](http:\\//evil.example)"
    assert escape("*粗* _斜_ `c` ~~s~~ $x$ a@b www.x") == "\\*粗\\* \\_斜\\_ \\`c\\` \\~\\~s\\~\\~ \\$x\\$ a\\@b www\\.x"
    assert escape("王\x1b[31m芳\u202e") == "王\\\\x1b\\[31m芳\\\\u202e"


def test_table_is_plain_text_with_provenance() -> None:
    run = scored(keep_records=False)
    text = to_table(run.sheet, provenance(run), width=120).decode("utf-8")
    assert "\x1b" not in text
    assert "王芳" in text and "19" in text
    assert "生成时间 (run at, UTC): 2026-11-01T01:05:00Z" in text
