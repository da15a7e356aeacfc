"""Measure kpi-cli against its performance targets, side by side with its peers, in one run.

    python benchmarks/run.py            # people 1k/10k/50k/150k at 1M rows, 100k and 5M rows, exports, start-up
    python benchmarks/run.py --grid     # every shape: people 1k/10k/50k/150k x rows 100k/1M/5M (a long run)
    python benchmarks/run.py --quick    # small shapes, to check the script itself (targets not enforced)

Every figure is the median of ``--repeat`` runs of a separate process, timed by wall clock; peak
memory is the process's maximum resident set size (``wait4``).  Each time is also given as a ratio
to a bare ``csv.reader`` pass over the same file measured in the same run, which is what the
targets are stated in: on a shared machine the ratio moves much less than the seconds.  The load
average is printed with each shape.  Peers (``benchmarks/peers.py``: a pandas groupby script, and
polars and duckdb where installed: ``pip install -e .[bench]``) score the same files.  The script
prints the tables and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
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
RUBRIC_FILE = ROOT / "rubrics" / f"{RUBRIC}.yaml"
PEERS = [name for name in ("pandas", "polars", "duckdb") if importlib.util.find_spec(name) is not None]
BASE_ROWS = 5  # the generator needs about 4 metric and rating rows a person; fewer rows per person cannot be made


@dataclass
class Measure:
    seconds: float
    peak_mb: float
    cpu: float = 0.0  # user + system seconds: less moved than wall time by other work on a shared machine


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
    return Measure(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def median(command: list[str], repeat: int, warm: bool = False) -> Measure:
    if warm:
        run_once(command)  # warm-up: bytecode cache and file cache, not counted
    runs = [run_once(command) for _ in range(repeat)]
    return Measure(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs),
                   statistics.median(r.cpu for r in runs))


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def make_log(workdir: Path, rows: int, people: int) -> Path:
    folder = workdir / f"{RUBRIC}-{people}p-{rows}r"
    if not (folder / "log.csv").exists():
        rubric, _ = generate.load_rubric(RUBRIC_FILE)
        assert rubric is not None
        generate.generate(rubric, rows, people, generate.Period.parse("2026-10"), 1, folder, seed=1)
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


def score_command(folder: Path, log: Path, out: Path, fmt: str = "csv") -> list[str]:
    return [*KPI, "score", str(log), "--rubric", RUBRIC, "--roster", str(folder / "roster.csv"), "--period",
            "2026-10", "--format", fmt, "--output", str(out), "--quiet"]


def peer_command(peer: str, folder: Path, out: Path) -> list[str]:
    return [PYTHON, str(ROOT / "benchmarks" / "peers.py"), peer, str(RUBRIC_FILE), str(folder / "log.csv"),
            str(folder / "roster.csv"), str(out)]


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


def shapes(args: argparse.Namespace) -> list[tuple[int, int]]:
    """(people, rows) pairs, the 1M-row column first; shapes the generator cannot make are left out."""
    if args.quick:
        people, rows, middle = (100, 400, 2_000), (10_000, 20_000, 40_000), 20_000
    else:
        people, rows, middle = (1_000, 10_000, 50_000, 150_000), (100_000, 1_000_000, 5_000_000), 1_000_000
    if args.rows:
        rows = tuple(args.rows)
    chosen = [(p, middle) for p in people if middle in rows]
    for r in rows:
        if r != middle:
            chosen.extend((p, r) for p in (people if args.grid else (people[1], people[-1])))
    return [(p, r) for p, r in dict.fromkeys(chosen) if r >= BASE_ROWS * p]


def ratio(m: Measure, yard: Measure) -> str:
    return f"{m.seconds / yard.seconds:.2f}x, {m.peak_mb:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small shapes; report, but do not enforce, the targets")
    parser.add_argument("--grid", action="store_true", help="every people x rows shape (a long run)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default 3, quick 1)")
    parser.add_argument("--workdir", type=Path, default=None, help="where generated data is kept (reused)")
    parser.add_argument("--rows", type=int, action="append", help="only these log sizes (repeatable)")
    parser.add_argument("--no-peers", action="store_true", help="measure kpi-cli and csv.reader only")
    parser.add_argument("--skip-extras", action="store_true", help="only the shapes: no exports, xlsx log, start-up")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    export_rows, export_people = (20_000, 1_000) if args.quick else (300_000, 10_000)
    workdir = args.workdir or Path(tempfile.gettempdir()) / "kpi-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="kpi-bench-out-"))
    peers = [] if args.no_peers else PEERS
    print(f"machine: {machine()}; {load()}")
    print(f"data: rubric {RUBRIC}, one month, in {workdir}; {repeat} runs per figure; "
          f"peers: {', '.join(peers) or 'none'}")

    targets: list[Target] = []
    results: dict[tuple[int, int], dict[str, Measure]] = {}
    loads: dict[tuple[int, int], str] = {}
    warm = True
    for people, rows in shapes(args):
        folder = make_log(workdir, rows, people)
        log = folder / "log.csv"
        before = load()
        m = results[people, rows] = {"csv.reader": median(bare_csv(log), repeat, warm)}
        m["kpi score"] = median(score_command(folder, log, out / "kpi.csv"), repeat, warm)
        for peer in peers:
            m[peer] = median(peer_command(peer, folder, out / f"{peer}.csv"), repeat, warm)
        warm = False
        loads[people, rows] = f"{before} / {load()}"
        print(f"  {people:>7,} people, {rows:>9,} rows: " + "; ".join(
            f"{name} {x.seconds:.2f} s (cpu {x.cpu:.2f} s) {x.peak_mb:.0f} MB" for name, x in m.items())
            + f" ({loads[people, rows]})",
            flush=True)

    middle = 20_000 if args.quick else 1_000_000
    people_axis = sorted({p for p, r in results if r == middle})
    for people, limit in ((people_axis[1], 2.0), (people_axis[-1], 3.0)) if len(people_axis) > 1 else ():
        m = results[people, middle]
        targets.append(Target(f"kpi score, {people:,} people, {middle:,} rows", f"{m['kpi score'].seconds:.2f} s",
                              f"csv.reader {m['csv.reader'].seconds:.2f} s",
                              m["kpi score"].seconds / m["csv.reader"].seconds, limit))
    if "pandas" in peers:
        worst = max(results, key=lambda k: results[k]["kpi score"].seconds / results[k]["pandas"].seconds)
        m = results[worst]
        targets.append(Target(f"ahead of pandas at every shape (worst: {worst[0]:,} people, {worst[1]:,} rows)",
                              f"{m['kpi score'].seconds:.2f} s", f"pandas {m['pandas'].seconds:.2f} s",
                              m["kpi score"].seconds / m["pandas"].seconds, 1.0))
    if people_axis:
        big_people = people_axis[-1]
        m = results[big_people, middle]["kpi score"]
        targets.append(Target(f"peak memory, {big_people:,} people, {middle:,} rows", f"{m.peak_mb:.0f} MB",
                              "limit 200 MB", m.peak_mb, 200, " MB"))
    for people in sorted({p for p, _ in results}):
        larger = [r for p, r in results if p == people and r > middle]
        if larger:
            if (people, middle) not in results:
                continue
            small, big = results[people, middle]["kpi score"], results[people, max(larger)]["kpi score"]
            targets.append(Target(f"memory growth {middle:,} -> {max(larger):,} rows, {people:,} people",
                                  f"{big.peak_mb:.0f} MB", f"{small.peak_mb:.0f} MB", big.peak_mb / small.peak_mb, 1.10))

    if not args.skip_extras:
        folder = make_log(workdir, export_rows, export_people)
        log = folder / "log.csv"
        exports = {fmt: median(score_command(folder, log, out / f"export.{fmt}", fmt), repeat, True)
                   for fmt in ("csv", "xlsx", "json")}
        print(f"  exports of {export_rows:,} rows: " + "; ".join(
            f"{fmt} {x.seconds:.2f} s (cpu {x.cpu:.2f} s) {x.peak_mb:.0f} MB" for fmt, x in exports.items())
            + f" ({load()})", flush=True)
        for fmt in ("xlsx", "json"):
            x, base = exports[fmt], exports["csv"]
            targets.append(Target(f"{fmt} export, {export_rows:,} rows (CPU-time ratio {x.cpu / base.cpu:.2f}x)",
                                  f"{x.seconds:.2f} s (cpu {x.cpu:.2f} s)",
                                  f"csv export {base.seconds:.2f} s (cpu {base.cpu:.2f} s)", x.seconds / base.seconds, 3.0))
            targets.append(Target(f"{fmt} export memory", f"{x.peak_mb:.0f} MB", "limit 200 MB", x.peak_mb, 200, " MB"))

        xlsx_folder = make_log(workdir, 2_000 if args.quick else 100_000, 200 if args.quick else 10_000)
        xlsx = make_xlsx(xlsx_folder)
        yard = median(bare_openpyxl(xlsx), repeat)
        kpi = median(score_command(xlsx_folder, xlsx, out / "xlsx.csv"), repeat)
        targets.append(Target(f"kpi score, .xlsx log of {2_000 if args.quick else 100_000:,} rows",
                              f"{kpi.seconds:.2f} s", f"openpyxl read-only {yard.seconds:.2f} s",
                              kpi.seconds / yard.seconds, 3.0))

        startup_repeat = max(repeat, 5 if args.quick else 15)
        for name, command, imports in (("kpi --help", [*KPI, "--help"], "typer"),
                                       ("kpi validate rubrics/", [*KPI, "validate", "rubrics/"], "typer, pydantic, yaml")):
            yard = median([PYTHON, "-c", f"import {imports}"], startup_repeat, True)
            m = median(command, startup_repeat, True)
            targets.append(Target(f"{name} (CPU-time ratio {m.cpu / yard.cpu:.2f}x)",
                                  f"{m.seconds * 1000:.0f} ms (cpu {m.cpu * 1000:.0f} ms)",
                                  f"import {imports} {yard.seconds * 1000:.0f} ms (cpu {yard.cpu * 1000:.0f} ms)",
                                  m.seconds / yard.seconds, 1.5))
        # What typer alone costs for validate's arguments: a do-nothing typer app with the same signature.
        bare = median([PYTHON, str(ROOT / "benchmarks" / "bare_typer.py"), "validate", "rubrics/"], startup_repeat, True)
        print(f"  a bare typer app with validate's signature (benchmarks/bare_typer.py): {bare.seconds * 1000:.0f} ms "
              f"(cpu {bare.cpu * 1000:.0f} ms), {bare.seconds / yard.seconds:.2f}x import {imports} "
              f"(CPU {bare.cpu / yard.cpu:.2f}x) ({load()})", flush=True)
    shutil.rmtree(out, ignore_errors=True)

    tools = ["kpi score", *peers]
    print()
    print("| people | rows | csv.reader | " + " | ".join(tools)
          + " | kpi score, CPU time ratio | load (before / after) |")
    print("|---|---|---|" + "---|" * len(tools) + "---|---|")
    for (people, rows), m in results.items():
        print(f"| {people:,} | {rows:,} | {m['csv.reader'].seconds:.2f} s | "
              + " | ".join(ratio(m[t], m["csv.reader"]) for t in tools)
              + f" | {m['kpi score'].cpu / max(m['csv.reader'].cpu, 1e-9):.2f}x | {loads[people, rows]} |")
    print()
    print("| target | measured | yardstick | ratio | limit | |")
    print("|---|---|---|---|---|---|")
    for t in targets:
        shown = "-" if t.ratio is None else (f"{t.ratio:.0f}{t.unit}" if t.unit != "x" else f"{t.ratio:.2f}x")
        limit = f"{t.limit:.0f}{t.unit}" if t.unit != "x" else f"{t.limit:.2f}x"
        print(f"| {t.name} | {t.measured} | {t.yardstick} | {shown} | {limit} | {'ok' if t.ok else 'MISSED'} |")
    print(f"\nload at the end: {load()}")
    missed = [t.name for t in targets if not t.ok]
    if args.quick:
        print("quick run: shapes too small for the targets to mean anything; not enforced")
        return 0
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
