#!/usr/bin/env python3
"""Writes a search query log for the HTTP benchmark (scripts/bench/search.lua).

Real search traffic is a long list of distinct requests whose popularity falls off
roughly as a power law: a few searches ("diabetes", "breast cancer, recruiting") are
made again and again, most are made rarely. This script builds DISTINCT requests
from the trials being served, the way people fill a search form (a condition, a
drug, or both, from the names the trials actually use, weighted by how many trials
use them; a filter or two; the first page mostly, sometimes the next; facet counts
on first pages, as the Find page asks), then draws COUNT requests from them with
Zipf popularity (probability of the request of rank r proportional to r^-S), in a
shuffled order. Same arguments, same log.

With --one-off F, a fraction F of the requests are instead searches made only once
(a long tail no cache can help with), to see how the server fares as the hit rate falls.

usage: search_log.py STUDIES.jsonl OUT [--distinct 5000] [--count 200000] [--zipf 0.9]
       [--one-off 0.0] [--seed 7] [--sample 20000]
"""

import argparse
import itertools
import json
import random
import urllib.parse
from collections import Counter

CITIES = ["Paris, France", "Boston", "Beijing", "London", "Toronto", "Berlin", "Madrid", "Chicago"]
COUNTRIES = ["United States", "France", "Germany", "China", "Canada", "Spain", "Italy", "Japan"]
STATUSES = ["recruiting", "open", "completed", "not_yet_recruiting"]
PHASES = ["1", "2", "3", "4"]


def names(studies_path, sample):
    """Condition and intervention names of the first `sample` studies, with counts."""
    conditions, drugs = Counter(), Counter()
    with open(studies_path, encoding="utf-8") as studies:
        for line in itertools.islice(studies, sample):
            protocol = json.loads(line).get("protocolSection", {})
            for condition in protocol.get("conditionsModule", {}).get("conditions", []):
                conditions[condition.strip().lower()] += 1
            for intervention in protocol.get("armsInterventionsModule", {}).get("interventions", []):
                name = intervention.get("name", "").strip().lower()
                if name and "placebo" not in name:
                    drugs[name] += 1
    keep = lambda counts: [(n, c) for n, c in counts.most_common() if 3 <= len(n) and len(n.split()) <= 5]
    return keep(conditions), keep(drugs)


def weighted(rng, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights)[0]


def one_request(rng, conditions, drugs):
    """One search form submission, as URL parameters."""
    params = []
    text = rng.random()
    if text < 0.55:
        params.append(("q", weighted(rng, conditions)))
    elif text < 0.75:
        params.append(("q", weighted(rng, drugs)))
    elif text < 0.92:
        params.append(("q", f"{weighted(rng, conditions)} {weighted(rng, drugs)}"))
    # else: filters only (browsing)
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        kind = rng.choice(["status", "phase", "age", "sex", "near", "country"])
        if kind == "status":
            params.append(("status", rng.choice(STATUSES)))
        elif kind == "phase":
            params.append(("phase", rng.choice(PHASES)))
        elif kind == "age":
            params.append(("age", str(rng.randrange(5, 85))))
        elif kind == "sex":
            params.append(("sex", rng.choice(["female", "male"])))
        elif kind == "near":
            params.append(("near", rng.choice(CITIES)))
            params.append(("radius_km", rng.choice(["100", "250", "500"])))
        else:
            params.append(("country", rng.choice(COUNTRIES)))
    page = rng.choices([0, 10, 20], weights=[80, 15, 5])[0]
    if page:
        params.append(("offset", str(page)))
    elif rng.random() < 0.6:
        params.append(("facets", "true"))
    params.append(("limit", "10"))
    return "/api/v1/search?" + urllib.parse.urlencode(params)


def unique_request(rng, conditions, drugs, seen):
    """A request no other line of the log makes."""
    while True:
        request = one_request(rng, conditions, drugs)
        if request not in seen:
            seen.add(request)
            return request


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("studies")
    parser.add_argument("out")
    parser.add_argument("--distinct", type=int, default=5000)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--zipf", type=float, default=0.9)
    parser.add_argument("--one-off", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=20_000)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    conditions, drugs = names(args.studies, args.sample)
    distinct = []
    seen = set()
    for _ in range(args.distinct * 20):
        if len(distinct) == args.distinct:
            break
        request = one_request(rng, conditions, drugs)
        if request not in seen:
            seen.add(request)
            distinct.append(request)
    rng.shuffle(distinct)  # popularity rank is independent of how a request was built
    weights = [1.0 / (rank**args.zipf) for rank in range(1, len(distinct) + 1)]
    log = rng.choices(distinct, weights=weights, k=args.count)
    for i in range(args.count):
        if rng.random() < args.one_off:
            log[i] = unique_request(rng, conditions, drugs, seen)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("\n".join(log) + "\n")
    used = len(set(log))
    print(
        f"{args.out}: {args.count} requests, {len(distinct)} popular built, {used} distinct in the log "
        f"(zipf {args.zipf}, one-off {args.one_off})"
    )


if __name__ == "__main__":
    main()
