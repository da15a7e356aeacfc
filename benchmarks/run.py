"""Measure kpi-cli against its performance targets, each beside its yardstick in the same run.

    python benchmarks/run.py            # the full run: 100k, 1M and 5M rows (needs a few minutes)
    python benchmarks/run.py --quick    # tiny sizes, to check the script itself (targets not enforced)

Every figure is the median of ``--repeat`` runs of a separate process, timed by wall clock;
peak memory is the process's maximum resident set size (``wait4``).  The script prints a
table of medians, ratios and limits, and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

PYTHON = sys.executable
KPI = [str(Path(PYTHON).with_name("kpi"))] if Path(PYTHON).with_name("kpi").exists() else [PYTHON, "-m", "kpi_cli"]
RUBRIC = "guanjia"
EMPLOYEES = 10_000


@dataclass
class Measure:
    seconds: float
    peak_mb: float


@dataclass
class Target:
    name: str
    measured: str
    yardstick: str
    ratio: float | None
    limit: float
    unit: str = "x"

    @property
    def ok(self) -> bool:
        return self.ratio is not None and self.ratio <= self.limit


#: Measured as installed for users: Python may write its bytecode cache (some sandboxes set
#: PYTHONDONTWRITEBYTECODE, which makes every start compile the sources again).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(command: list[str]) -> Measure:
    """Wall time and peak RSS of one process; it must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"command failed ({process.returncode}): {' '.join(command)}\n{err.decode(errors='replace')}")
    return Measure(elapsed, usage.ru_maxrss / 1024)


def median(command: list[str], repeat: int) -> Measure:
    run_once(command)  # warm-up: bytecode cache and file cache, not counted
    runs = [run_once(command) for _ in range(repeat)]
    return Measure(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


def make_log(workdir: Path, rows: int) -> Path:
    folder = workdir / f"{RUBRIC}-{rows}"
    if not (folder / "log.csv").exists():
        rubric, _ = generate.load_rubric(ROOT / "rubrics" / f"{RUBRIC}.yaml")
        assert rubric is not None
        employees = min(EMPLOYEES, max(10, rows // 100))
        generate.generate(rubric, rows, employees, generate.Period.parse("2026-10"), 1, folder, seed=1)
    return folder


def make_xlsx(folder: Path) -> Path:
    """The same log as an .xlsx workbook (openpyxl, write-only)."""
    target = folder / "log.xlsx"
    if not target.exists():
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("违规情况记录")
        with open(folder / "log.csv", encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                sheet.append(row)
        book.save(target)
    return target


def score_command(folder: Path, log: Path, out: Path) -> list[str]:
    return [*KPI, "score", str(log), "--rubric", RUBRIC, "--roster", str(folder / "roster.csv"), "--period",
            "2026-10", "--format", "csv", "--output", str(out), "--quiet"]


def bare_csv(log: Path) -> list[str]:
    code = (f"import csv\nwith open({str(log)!r}, encoding='utf-8', newline='') as f:\n"
            "    for row in csv.reader(f): pass")
    return [PYTHON, "-c", code]


def bare_openpyxl(xlsx: Path) -> list[str]:
    code = (f"from openpyxl import load_workbook\nbook = load_workbook({str(xlsx)!r}, read_only=True)\n"
            "for row in book.worksheets[0].iter_rows(values_only=True): pass")
    return [PYTHON, "-c", code]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes; report, but do not enforce, the targets")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default 3, quick 1)")
    parser.add_argument("--workdir", type=Path, default=None, help="where generated data is kept (reused)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    sizes = (2_000, 10_000, 20_000) if args.quick else (100_000, 1_000_000, 5_000_000)
    xlsx_rows = 2_000 if args.quick else 100_000
    workdir = args.workdir or Path(tempfile.gettempdir()) / "kpi-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="kpi-bench-out-"))
    print(f"machine: {machine()}")
    print(f"data: rubric {RUBRIC}, up to {EMPLOYEES:,} employees, one month, in {workdir}; {repeat} runs per figure")

    targets: list[Target] = []
    scale: list[tuple[int, Measure, Measure]] = []
    for rows in sizes:
        folder = make_log(workdir, rows)
        log = folder / "log.csv"
        yard = median(bare_csv(log), repeat)
        kpi = median(score_command(folder, log, out / f"{rows}.csv"), repeat)
        scale.append((rows, yard, kpi))
        print(f"  {rows:>9,} rows: kpi score {kpi.seconds:.2f} s, {kpi.peak_mb:.0f} MB; csv.reader "
              f"{yard.seconds:.2f} s", flush=True)
    middle_rows, middle_yard, middle = scale[1]
    big_rows, _, big = scale[2]
    targets.append(Target(f"kpi score, {middle_rows:,} rows (CSV out)", f"{middle.seconds:.2f} s",
                          f"csv.reader {middle_yard.seconds:.2f} s", middle.seconds / middle_yard.seconds, 2.5))
    targets.append(Target(f"peak memory, {middle_rows:,} rows", f"{middle.peak_mb:.0f} MB", "limit 200 MB",
                          middle.peak_mb, 200, " MB"))
    targets.append(Target(f"memory growth {middle_rows:,} -> {big_rows:,} rows", f"{big.peak_mb:.0f} MB",
                          f"{middle.peak_mb:.0f} MB", big.peak_mb / middle.peak_mb, 1.10))

    folder = make_log(workdir, xlsx_rows)
    xlsx = make_xlsx(folder)
    yard = median(bare_openpyxl(xlsx), repeat)
    kpi = median(score_command(folder, xlsx, out / "xlsx.csv"), repeat)
    targets.append(Target(f"kpi score, {xlsx_rows:,}-row .xlsx", f"{kpi.seconds:.2f} s",
                          f"openpyxl read-only {yard.seconds:.2f} s", kpi.seconds / yard.seconds, 3.0))

    startup_repeat = max(repeat, 5 if args.quick else 15)
    yard = median([PYTHON, "-c", "import typer, pydantic, yaml, rich"], startup_repeat)
    for name, command in (("kpi --help", [*KPI, "--help"]),
                          ("kpi validate rubrics/", [*KPI, "validate", "rubrics/"])):
        m = median(command, startup_repeat)
        targets.append(Target(name, f"{m.seconds * 1000:.0f} ms", f"imports {yard.seconds * 1000:.0f} ms",
                              m.seconds / yard.seconds, 1.5))
    shutil.rmtree(out, ignore_errors=True)

    print()
    print("| target | measured | yardstick | ratio | limit | |")
    print("|---|---|---|---|---|---|")
    for t in targets:
        ratio = "-" if t.ratio is None else (f"{t.ratio:.0f}{t.unit}" if t.unit != "x" else f"{t.ratio:.2f}x")
        limit = f"{t.limit:.0f}{t.unit}" if t.unit != "x" else f"{t.limit:.2f}x"
        print(f"| {t.name} | {t.measured} | {t.yardstick} | {ratio} | {limit} | {'ok' if t.ok else 'MISSED'} |")
    print()
    print("| rows | kpi score | per row | csv.reader | peak memory |")
    print("|---|---|---|---|---|")
    for rows, yard_m, kpi_m in scale:
        print(f"| {rows:,} | {kpi_m.seconds:.2f} s | {kpi_m.seconds / rows * 1e6:.2f} µs | {yard_m.seconds:.2f} s | "
              f"{kpi_m.peak_mb:.0f} MB |")
    missed = [t.name for t in targets if not t.ok]
    if args.quick:
        print("\nquick run: sizes too small for the targets to mean anything; not enforced")
        return 0
    if missed:
        print(f"\nMISSED: {', '.join(missed)}")
        return 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
