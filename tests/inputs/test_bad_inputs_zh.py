"""The bad-input corpus under ``--lang zh``: a clerk who reads no English can fix every one of them.

Every case of tests/inputs/test_bad_inputs.py runs again in Chinese.  The output must keep the location and
the diagnostic code (codes are the same in every language) and hold no English sentence: after taking out
what is not prose (paths, quoted values, option names, codes, file formats, and details in brackets that hold
no Chinese, such as a library's reason), no run of three English words may be left.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_bad_inputs import BAD, CASES, MONTH, ROSTER, RUBRIC, built  # noqa: F401  (built: the fixture)
from zh_support import english_left


def test_the_detector_finds_english_and_passes_chinese():
    assert english_left("x.csv:3: unknown employee '9': not on the roster (unknown-employee)", "x.csv")
    assert english_left("x.csv:3: 工号 '9' 不在花名册中 (unknown-employee)", "x.csv") is None
    assert english_left("读取 2 行：采用 1 行 (File is not a zip file)", "x.csv") is None


@pytest.mark.parametrize(("name", "extra", "expected"), CASES, ids=[c[0] + " ".join(c[1]) for c in CASES])
def test_a_bad_input_is_explained_in_chinese(invoke, built: Path, name: str, extra: tuple[str, ...],  # noqa: F811
                                             expected: list[str]) -> None:
    path = str(built / name[1:]) if name.startswith("@") else f"{BAD}/{name}"
    if extra[:1] == ("--roster",):
        args = ["check", MONTH, "--rubric", RUBRIC, "--roster", path, "--multiline-cells", *extra[1:]]
    else:
        args = ["check", path, "--rubric", RUBRIC, "--roster", ROSTER, *extra]
    result = invoke("--lang", "zh", *args)
    assert result.exit_code == 1, result.output
    about = [line for line in result.stderr.splitlines() if line.startswith(f"{path}:")]
    # the same problems, at the same places, with the same codes as in English
    codes = [re.search(r"\(([a-z0-9-]+)\)$", e).group(1) for e in expected]  # type: ignore[union-attr]
    assert [re.search(r"\(([a-z0-9-]+)\)$", line).group(1) for line in about] == codes  # type: ignore[union-attr]
    english = [(line, left) for line in result.output.splitlines() if (left := english_left(line, path))]
    assert not english, english
    assert re.search(r"读取 \d+ 行", result.stderr)
