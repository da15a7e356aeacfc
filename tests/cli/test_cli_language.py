"""The language of a run: --lang, KPI_LANG, kpi.toml language, the locale; help in that language."""

from __future__ import annotations

import pytest

from conftest import ROOT

NO_LANG = {"KPI_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "KPI_CONFIG": None}


def _invoke_in(runner, folder, *args, env=None):
    """``kpi ARGS`` run in ``folder`` (where a kpi.toml may be)."""
    import os

    from kpi_cli.cli import app

    old = os.getcwd()
    os.chdir(folder)
    try:
        return runner.invoke(app, list(args), catch_exceptions=False, env=env)
    finally:
        os.chdir(old)


def test_lang_zh_gives_chinese_help(invoke):
    result = invoke("--lang", "zh", "--help")
    assert result.exit_code == 0
    assert result.output.startswith("用法：kpi ")
    assert "选项" in result.output and "命令" in result.output
    assert "显示本帮助并退出。" in result.output
    assert "按 YAML 考核表计算员工绩效考核得分" in result.output


def test_english_stays_english(invoke):
    result = invoke("--lang", "en", "--help")
    assert result.output.startswith("Usage: kpi ")
    assert "Show this message and exit." in result.output


@pytest.mark.parametrize(("env", "chinese"), [
    ({**NO_LANG, "KPI_LANG": "zh"}, True),
    ({**NO_LANG, "KPI_LANG": "en", "LANG": "zh_CN.UTF-8"}, False),
    ({**NO_LANG, "LANG": "zh_CN.UTF-8"}, True),
    ({**NO_LANG, "LANG": "en_US.UTF-8"}, False),
    ({**NO_LANG, "LANG": "C"}, True),  # cron
    (NO_LANG, True),
])
def test_environment_chooses(invoke, env, chinese):
    result = invoke("--help", env=env)
    assert result.exit_code == 0
    assert result.output.startswith("用法：" if chinese else "Usage:")


def test_lang_option_wins_over_the_environment(invoke):
    assert invoke("--lang", "en", "--help", env={**NO_LANG, "KPI_LANG": "zh"}).output.startswith("Usage:")
    assert invoke("--lang=zh", "--help", env={**NO_LANG, "LANG": "en_US.UTF-8"}).output.startswith("用法：")


def test_kpi_toml_language(runner, tmp_path):
    (tmp_path / "kpi.toml").write_text('language = "zh"\n', encoding="utf-8")
    assert _invoke_in(runner, tmp_path, "--help", env={**NO_LANG, "LANG": "en_US.UTF-8"}).output.startswith("用法：")
    # KPI_LANG is --lang's variable: it wins over the file, as for every other option
    assert _invoke_in(runner, tmp_path, "--help", env={**NO_LANG, "KPI_LANG": "en"}).output.startswith("Usage:")


def test_a_command_help_is_in_the_language(invoke):
    result = invoke("--lang", "zh", "explain", "--help")
    assert result.exit_code == 0
    assert result.output.startswith("用法：kpi explain")
    assert "[必填]" in result.output


def test_unknown_language_is_a_usage_error(invoke):
    result = invoke("--lang", "fr", "--help")
    assert result.exit_code == 2
    assert "'fr'" in result.output and "zh" in result.output and "en" in result.output


def test_kpi_toml_with_a_wrong_language_is_reported(tmp_path):
    from kpi_cli.cli.project_config import load_config

    path = tmp_path / "kpi.toml"
    path.write_text('rubric = "guanjia"\nlanguage = "klingon"\n', encoding="utf-8")
    config, problems = load_config(path)
    assert config is None
    assert [(p.line, p.column, p.code) for p in problems] == [(2, 1, "config-language")]


def test_the_root_has_no_kpi_toml():
    """The tests run kpi from the repository root: a kpi.toml there would change their language."""
    assert not (ROOT / "kpi.toml").exists()
