"""Generate a realistic synthetic record log and roster for a shipped rubric.

Seeded and reproducible, at any size; every rule kind the rubric has is used:
deductions (fixed and range points, repeated occurrences), metric values,
ratings by every rater, and 奖扣分 with reasons.  All rows are valid, so the
benchmark measures scoring, not error reporting.

    python benchmarks/generate.py --rubric guanjia --rows 1000000 --employees 10000 --out /tmp/bench
"""

from __future__ import annotations

import argparse
import calendar
import csv
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kpi_cli.engine.periods import Period  # noqa: E402
from kpi_cli.rubric.loader import load_rubric  # noqa: E402
from kpi_cli.rubric.model import DeductionRule, MetricRule, PointRange, Rubric  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣佳怡雪梅琳晨瑶婷"
SITES = ["翠湖花园", "金域华府", "锦绣江南", "滨江一号", "御景湾", "阳光城", "碧水苑", "紫荆公馆"]
NOTES = ["", "", "", "巡查发现", "业主反映", "监控记录", "主管抽查", "复查未改"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def write_roster(rubric: Rubric, employees: int, path: Path, rng: random.Random) -> list[tuple[str, str]]:
    """``employees`` people (or units) spread over the rubric's roles; returns (id, role) pairs."""
    people: list[tuple[str, str]] = []
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["工号", "姓名", "部门", "岗位"])
        for n in range(employees):
            ident = f"{n + 1:06d}"
            role = rubric.roles[n % len(rubric.roles)]
            site = SITES[n % len(SITES)]
            name = f"{site}{role}{n + 1}" if rubric.subject == "unit" else _name(rng)
            out.writerow([ident, name, f"{site}项目部", role])
            people.append((ident, role))
    return people


def _points(rule: DeductionRule, rng: random.Random) -> str:
    if isinstance(rule.points, PointRange):
        low, high = rule.points.min, rule.points.max
        steps = int((high - low) / Decimal("0.5"))
        return str(low + Decimal("0.5") * rng.randint(0, steps))
    return ""


def _metric_value(rule: MetricRule, rng: random.Random) -> str:
    if rule.unit == "percent":
        return f"{rng.randint(850, 1000) / 10}%" if rng.random() < 0.5 else str(rng.randint(85, 100))
    if rule.scoring == "proportional" and rule.target is not None:
        return str((rule.target * Decimal(rng.randint(70, 105)) / 100).quantize(Decimal("0.1")))
    if rule.threshold is not None:
        return str(int(rule.threshold) + rng.randint(-10, 10))
    return str(rng.randint(40, 120))


def generate(rubric: Rubric, rows: int, employees: int, start: Period, months: int, out: Path, seed: int) -> int:
    """Write ``out/roster.csv`` and ``out/log.csv``; return the number of log rows written."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    people = write_roster(rubric, employees, out / "roster.csv", rng)
    by_role = {role: rubric.items_for(role) for role in rubric.roles}
    deductions = {role: [(item, rule) for item in items for rule in item.rules
                         if isinstance(rule, DeductionRule) and rule.applies_to(role)]
                  for role, items in by_role.items()}
    periods = [start]
    while len(periods) < months:
        periods.append(Period(periods[-1].year + (periods[-1].number == 12), "month", periods[-1].number % 12 + 1)
                       if start.kind == "month" else
                       Period(periods[-1].year + (periods[-1].number == 4), "quarter", periods[-1].number % 4 + 1))
    base_per_person = {
        role: sum(len(rubric.weights_for(item)) if item.rating is not None else
                  sum(1 for r in item.rules if isinstance(r, MetricRule) and r.applies_to(role)) for item in items)
        for role, items in by_role.items()
    }
    base = sum(base_per_person[role] for _, role in people) * len(periods)
    if base > rows:
        raise SystemExit(f"{rows} rows are fewer than the {base} metric and rating rows {employees} people need "
                         f"over {len(periods)} periods; lower --employees")
    extra = rows - base
    written = 0
    with open(out / "log.csv", "w", encoding="utf-8", newline="") as fh:
        log = csv.writer(fh)
        log.writerow(["工号", "日期", "考核项目", "次数", "扣分", "数值", "评分人", "评分", "备注", "记录人"])
        for p_index, period in enumerate(periods):
            year, first = period.year, period.first_month
            last_day = calendar.monthrange(year, first + period.months - 1)[1]
            end_date = f"{year}-{first + period.months - 1:02d}-{last_day:02d}"
            share = extra // len(periods) + (1 if p_index < extra % len(periods) else 0)
            nets: dict[str, int] = {}
            for ident, role in people:
                for item in by_role[role]:
                    if item.rating is not None:
                        for k, _ in rubric.weights_for(item):
                            rater = rubric.raters[k]
                            score = item.max * Decimal(rng.randint(60, 100)) / 100
                            log.writerow([ident, end_date, item.name, "", "", "", rater.name,
                                          str(score.quantize(Decimal("0.5"))), "", "主管"])
                            written += 1
                    for rule in item.rules:
                        if isinstance(rule, MetricRule) and rule.applies_to(role):
                            log.writerow([ident, end_date, rule.name, "", "", _metric_value(rule, rng), "", "", "",
                                          "系统"])
                            written += 1
            for _ in range(share):
                ident, role = people[rng.randrange(len(people))]
                month = first + rng.randrange(period.months)
                day = f"{year}-{month:02d}-{rng.randint(1, calendar.monthrange(year, month)[1]):02d}"
                adj = rubric.adjustments
                points = rng.randint(int(adj.min), int(adj.max)) * rng.choice((1, -1)) if adj is not None else 0
                # the period's net 奖扣分 per person stays within the rubric's bound (net_max), as a valid log must
                if adj is not None and rng.random() < 0.01 and abs(nets.get(ident, 0) + points) <= adj.net_bound:
                    nets[ident] = nets.get(ident, 0) + points
                    log.writerow([ident, day, adj.name, "", f"{points:+d}", "", "", "", "业主表扬信" if points > 0
                                  else "严重过失", "经理"])
                elif deductions[role]:
                    item, rule = rng.choice(deductions[role])
                    name = rng.choice((rule.name, rule.id, *rule.aliases))
                    count = "2" if rng.random() < 0.05 else ""
                    log.writerow([ident, day, name, count, _points(rule, rng), "", "", "", rng.choice(NOTES), "主管"])
                else:  # a rubric without deductions (jidu): a second look at a metric is not allowed; skip
                    continue
                written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rubric", default="guanjia", help="a rubric id in rubrics/ or a path")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--employees", type=int, default=1_000)
    parser.add_argument("--start", default=None, help="first period, e.g. 2026-10 (default: 2026-10 or 2026Q3)")
    parser.add_argument("--months", type=int, default=1, help="number of consecutive periods")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    path = Path(args.rubric)
    if not path.is_file():
        path = ROOT / "rubrics" / f"{args.rubric}.yaml"
    rubric, diagnostics = load_rubric(path)
    if rubric is None:
        for d in diagnostics:
            print(d.format(), file=sys.stderr)
        return 1
    start = Period.parse(args.start or ("2026-10" if rubric.period == "month" else "2026Q3"))
    written = generate(rubric, args.rows, args.employees, start, args.months, args.out, args.seed)
    print(f"wrote {written} log rows for {args.employees} subjects to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
