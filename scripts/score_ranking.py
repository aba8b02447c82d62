#!/usr/bin/env python3
"""Scores a ranking the way ../shared/data/README.md defines it.

Usage: score_ranking.py QRELS.tsv RANKING.tsv
RANKING.tsv rows are `patient<TAB>trial<TAB>score[<TAB>...]` (the output of `eligo rank`); higher
score = better. Each patient's judged trials form its pool; trials missing from the ranking score
-inf (ranked last). Reports NDCG@10 with linear gain (label as gain), P@10 of label 2, and the AUC
of label-2 trials over label-1 trials (ties count one half) for patients that have both, each
averaged over patients.
"""
import math
import sys
from collections import defaultdict


def read_qrels(path):
    qrels = defaultdict(dict)
    with open(path) as f:
        for n, line in enumerate(f):
            cols = line.rstrip("\n").split("\t")
            if n == 0 and cols[0] == "patient":
                continue
            if len(cols) >= 3:
                qrels[cols[0]][cols[1]] = int(cols[2])
    return qrels


def read_scores(path):
    scores = defaultdict(dict)
    with open(path) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 3:
                scores[cols[0]][cols[1]] = float(cols[2])
    return scores


def ndcg_at_10(ranked_labels, all_labels):
    dcg = sum(label / math.log2(i + 2) for i, label in enumerate(ranked_labels[:10]))
    ideal = sorted(all_labels, reverse=True)[:10]
    idcg = sum(label / math.log2(i + 2) for i, label in enumerate(ideal))
    return dcg / idcg if idcg > 0 else None


def auc(pos, neg):
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main():
    qrels, scores = read_qrels(sys.argv[1]), read_scores(sys.argv[2])
    ndcgs, precisions, aucs = [], [], []
    for patient, judged in sorted(qrels.items()):
        mine = scores.get(patient, {})
        # Ties broken by trial id so the score is deterministic.
        ranked = sorted(judged, key=lambda t: (-mine.get(t, -math.inf), t))
        labels = [judged[t] for t in ranked]
        value = ndcg_at_10(labels, list(judged.values()))
        if value is not None:
            ndcgs.append(value)
        precisions.append(sum(1 for label in labels[:10] if label == 2) / 10)
        pos = [mine.get(t, -math.inf) for t, label in judged.items() if label == 2]
        neg = [mine.get(t, -math.inf) for t, label in judged.items() if label == 1]
        if pos and neg:
            aucs.append(auc(pos, neg))
    mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
    print(f"patients={len(qrels)} NDCG@10={mean(ndcgs):.3f} P@10={mean(precisions):.3f} "
          f"AUC(eligible>excluded)={mean(aucs):.3f} (over {len(aucs)} patients)")


if __name__ == "__main__":
    main()
