"""Peer baselines for ``run.py``: the same month scored roughly by a plain dataframe script.

    python benchmarks/peers.py pandas|polars|duckdb RUBRIC.yaml LOG.csv ROSTER.csv OUT.csv

Each peer does what a competent analyst would write in an afternoon, and no more: read the log
and the roster, map each 考核项目 (rule name, id or alias; item name for ratings) to its item,
sum count × points per (工号, item) (the rule's fixed points where the cell is empty), average
the ratings per (工号, item), take each item's score as max − deductions floored at 0 (the rating
average for rated items), total per person, join the roster, rank, write CSV.  It skips what
kpi-cli does besides (exact decimals, wipes, metrics, weights, rounding rules, located errors for
every bad cell, receipts, provenance): it is a yardstick for speed, not a second implementation.
"""

from __future__ import annotations

import sys

import yaml


def rubric_maps(path: str) -> tuple[dict[str, str], dict[str, float], dict[str, float]]:
    """name -> item id, name -> fixed points (0 for ranges), item id -> max."""
    with open(path, encoding="utf-8") as fh:
        rubric = yaml.safe_load(fh)
    item_of: dict[str, str] = {}
    points: dict[str, float] = {}
    maxes: dict[str, float] = {}
    for item in rubric["items"]:
        maxes[item["id"]] = float(item["max"])
        item_of[item["name"]] = item["id"]
        for rule in item.get("rules", []):
            fixed = rule.get("points") if rule.get("kind", "deduction") == "deduction" else 0
            for name in (rule.get("name"), rule.get("id"), *rule.get("aliases", [])):
                if name:
                    item_of[str(name)] = item["id"]
                    points[str(name)] = float(fixed) if isinstance(fixed, (int, float)) else 0.0
    return item_of, points, maxes


def run_pandas(rubric: str, log: str, roster: str, out: str) -> None:
    import pandas as pd

    item_of, points, maxes = rubric_maps(rubric)
    df = pd.read_csv(log, dtype=str, keep_default_na=False)
    people = pd.read_csv(roster, dtype=str, keep_default_na=False)
    df["item"] = df["考核项目"].map(item_of)
    pts = pd.to_numeric(df["扣分"], errors="coerce").fillna(df["考核项目"].map(points)).fillna(0)
    df["deduction"] = pts * pd.to_numeric(df["次数"], errors="coerce").fillna(1)
    df["rating"] = pd.to_numeric(df["评分"], errors="coerce")
    per = df.groupby(["工号", "item"]).agg(deduction=("deduction", "sum"), rating=("rating", "mean")).reset_index()
    per["max"] = per["item"].map(maxes)
    per["score"] = per["rating"].where(per["rating"].notna(), (per["max"] - per["deduction"]).clip(lower=0))
    lost = (per["max"] - per["score"]).groupby(per["工号"]).sum()
    people["total"] = sum(maxes.values()) - people["工号"].map(lost).fillna(0)
    people = people.sort_values(["total", "工号"], ascending=[False, True])
    people["rank"] = people["total"].rank(method="min", ascending=False).astype(int)
    people.to_csv(out, index=False)


def run_polars(rubric: str, log: str, roster: str, out: str) -> None:
    import polars as pl

    item_of, points, maxes = rubric_maps(rubric)
    df = pl.read_csv(log, infer_schema=False)
    people = pl.read_csv(roster, infer_schema=False)
    name = pl.col("考核项目")
    df = df.with_columns(
        item=name.replace_strict(item_of, default=None),
        deduction=(pl.col("扣分").cast(pl.Float64, strict=False)
                   .fill_null(name.replace_strict(points, default=0.0, return_dtype=pl.Float64))
                   * pl.col("次数").cast(pl.Float64, strict=False).fill_null(1.0)),
        rating=pl.col("评分").cast(pl.Float64, strict=False),
    )
    per = df.filter(pl.col("item").is_not_null()).group_by("工号", "item").agg(pl.col("deduction").sum(), pl.col("rating").mean())
    per = per.with_columns(max=pl.col("item").replace_strict(maxes, default=0.0, return_dtype=pl.Float64))
    per = per.with_columns(score=pl.when(pl.col("rating").is_not_null()).then(pl.col("rating"))
                           .otherwise((pl.col("max") - pl.col("deduction")).clip(lower_bound=0)))
    lost = per.group_by("工号").agg(lost=(pl.col("max") - pl.col("score")).sum())
    people = people.join(lost, on="工号", how="left").with_columns(
        total=sum(maxes.values()) - pl.col("lost").fill_null(0.0))
    people = people.sort(["total", "工号"], descending=[True, False]).with_columns(
        rank=pl.col("total").rank(method="min", descending=True))
    people.write_csv(out)


def run_duckdb(rubric: str, log: str, roster: str, out: str) -> None:
    import duckdb

    item_of, points, maxes = rubric_maps(rubric)
    con = duckdb.connect()
    con.execute("CREATE TABLE names(name VARCHAR, item VARCHAR, points DOUBLE)")
    con.executemany("INSERT INTO names VALUES (?, ?, ?)", [(n, i, points.get(n, 0.0)) for n, i in item_of.items()])
    con.execute("CREATE TABLE maxes(item VARCHAR, max DOUBLE)")
    con.executemany("INSERT INTO maxes VALUES (?, ?)", list(maxes.items()))
    con.execute(f"""
        COPY (
        WITH log AS (SELECT * FROM read_csv('{log}', all_varchar = true, header = true)),
        per AS (
            SELECT l."工号" AS id, n.item,
                   sum(coalesce(try_cast(l."扣分" AS DOUBLE), n.points, 0)
                       * coalesce(try_cast(l."次数" AS DOUBLE), 1)) AS deduction,
                   avg(try_cast(l."评分" AS DOUBLE)) AS rating
            FROM log l LEFT JOIN names n ON l."考核项目" = n.name GROUP BY ALL),
        lost AS (
            SELECT id, sum(m.max - coalesce(rating, greatest(m.max - deduction, 0))) AS lost
            FROM per JOIN maxes m USING (item) GROUP BY id)
        SELECT r.*, {sum(maxes.values())} - coalesce(lost.lost, 0) AS total,
               rank() OVER (ORDER BY {sum(maxes.values())} - coalesce(lost.lost, 0) DESC) AS rank
        FROM read_csv('{roster}', all_varchar = true, header = true) r LEFT JOIN lost ON r."工号" = lost.id
        ORDER BY total DESC, r."工号"
        ) TO '{out}' (HEADER)""")


PEERS = {"pandas": run_pandas, "polars": run_polars, "duckdb": run_duckdb}

if __name__ == "__main__":
    PEERS[sys.argv[1]](*sys.argv[2:6])
