"""The invalid-rubric corpus under ``--lang zh``: whoever keeps the rubrics can fix each one without English.

Each file of tests/data/rubrics/invalid is validated in English and in Chinese: the same problems at the same
places with the same codes, and no English sentence left in the Chinese (see tests/zh_support.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zh_support import english_lines

INVALID = sorted((Path(__file__).resolve().parents[1] / "data" / "rubrics" / "invalid").glob("*.yaml"))
LOCATED = re.compile(r"^(?P<where>\S+:\d+:\d+): .*\((?P<code>[a-z0-9-]+)\)$")


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_an_invalid_rubric_is_explained_in_chinese(invoke, path: Path) -> None:
    english = invoke("--lang", "en", "validate", str(path))
    chinese = invoke("--lang", "zh", "validate", str(path))
    assert chinese.exit_code == english.exit_code == 1

    def located(output: str) -> list[tuple[str, str]]:
        return [(m["where"], m["code"]) for line in output.splitlines() if (m := LOCATED.match(line))]

    assert located(chinese.output) == located(english.output) and located(chinese.output)
    assert not english_lines(chinese.output), english_lines(chinese.output)
