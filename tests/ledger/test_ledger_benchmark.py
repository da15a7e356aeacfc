"""benchmarks/ledger.py runs at a tiny size (no timing is asserted: the script itself reports the targets)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ledger_benchmark_quick_prints_every_target() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ledger.py"), "--quick", "--repeat", "1"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    for target in ("close 2,000 rows, 100 people", "history of one person among 200 over 14 months",
                   "rollup of a year for 200 people", "load average"):
        assert target in result.stdout
