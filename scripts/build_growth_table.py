#!/usr/bin/env python3
"""Build crates/eligo-vocab/data/generated/weight_for_age.tsv: the range of body weights a child
of a given age and sex plausibly has, from the CDC 2000 growth charts.

Usage (from the workspace root; needs pip and network access to PyPI):

    python3 scripts/build_growth_table.py

Why: a criterion such as "Weight >= 5 kg" is settled for a 2-year-old whose chart gives no weight,
as a physician settles it: no 2-year-old weighs under 5 kg. The matcher (eligo-match, `growth`)
settles a weight threshold only when it lies outside the whole range below.

Source: the CDC 2000 growth charts' LMS parameters for weight-for-age (infants 0-36 months and
children 2-20 years; US government work, public domain), as shipped in the data tables of the PyPI
package rcpchgrowth 4.6.5 (`rcpchgrowth/data_tables/cdc_infants.json`, `cdc2-20.json`). Only those
data are read; none of the package's code is used.

Each row: sex (male/female), age in months, and the weights at z = -3 and z = +3 (the 0.13th and
99.87th centiles) in kg, X = M * (1 + L*S*z) ** (1/L), or M * exp(S*z) when L is 0. Rows every
month up to 24 months and every 6 months to 240 months (20 years); where the two source tables
overlap (24-36 months) the 2-20-year table is used, as the CDC recommends from age 2.
"""
from __future__ import annotations

import glob
import json
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "rcpchgrowth==4.6.5"
OUT = Path(__file__).resolve().parent.parent / "crates/eligo-vocab/data/generated/weight_for_age.tsv"
Z = 3.0


def lms_value(l: float, m: float, s: float, z: float) -> float:
    if abs(l) < 1e-9:
        return m * math.exp(s * z)
    base = 1.0 + l * s * z
    if base <= 0:
        raise ValueError(f"LMS undefined at z={z} (L={l}, S={s})")
    return m * base ** (1.0 / l)


def load_tables(wheel: Path) -> dict[str, list[tuple[float, float, float, float]]]:
    """Per sex: (age in months, L, M, S), infants below 24 months, then the 2-20-year table."""
    with zipfile.ZipFile(wheel) as z:
        infants = json.loads(z.read("rcpchgrowth/data_tables/cdc_infants.json"))
        children = json.loads(z.read("rcpchgrowth/data_tables/cdc2-20.json"))
    rows: dict[str, list[tuple[float, float, float, float]]] = {}
    for sex in ("male", "female"):
        points = [
            (r["decimal_age"] * 12.0, r["L"], r["M"], r["S"])
            for r in infants["measurement"]["weight"][sex]
            if r["decimal_age"] * 12.0 < 24.0 - 1e-6
        ]
        points += [(r["decimal_age"] * 12.0, r["L"], r["M"], r["S"]) for r in children["measurement"]["weight"][sex]]
        rows[sex] = sorted(points)
    return rows


def interpolate(points: list[tuple[float, float, float, float]], months: float) -> tuple[float, float, float]:
    for (a0, l0, m0, s0), (a1, l1, m1, s1) in zip(points, points[1:]):
        if a0 <= months <= a1:
            t = 0.0 if a1 == a0 else (months - a0) / (a1 - a0)
            return (l0 + t * (l1 - l0), m0 + t * (m1 - m0), s0 + t * (s1 - s0))
    raise ValueError(f"age {months} months outside the table")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", tmp, PACKAGE],
            check=True,
        )
        wheel = Path(glob.glob(f"{tmp}/*.whl")[0])
        tables = load_tables(wheel)
    ages = [float(m) for m in range(0, 24)] + [24.0 + 6.0 * i for i in range(0, 37)]
    lines = [
        f"# Weight-for-age range (z -{Z:g} to +{Z:g}) from the CDC 2000 growth charts (public domain),",
        f"# read from the data tables of {PACKAGE} by scripts/build_growth_table.py. Do not edit.",
        "sex\tage_months\tlow_kg\thigh_kg",
    ]
    for sex in ("male", "female"):
        for months in ages:
            l, m, s = interpolate(tables[sex], months)
            low, high = lms_value(l, m, s, -Z), lms_value(l, m, s, Z)
            lines.append(f"{sex}\t{months:g}\t{low:.2f}\t{high:.2f}")
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT} ({len(lines) - 3} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
