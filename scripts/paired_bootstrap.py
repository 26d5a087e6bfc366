"""Macro accuracy on a holdout and the paired bootstrap of a difference, shared by views-eval.sh, finetune-eval.sh and
style-eval.sh, with the reading of one train_and_score run (eval-common.sh).

They compare `evaluate --per-image` output: one dict per image with sha256, actual and predicted."""
import json
import os
import random


def load_run(folder, holdout="holdout.json"):
    """One train_and_score run: its report.json and its holdout evaluation (the first line of holdout.json, or of
    another scoring of the same model)."""
    with open(f"{folder}/report.json") as report, open(f"{folder}/{holdout}") as holdout:
        return json.load(report), json.loads(holdout.read().splitlines()[0])


def seconds(path):
    """The seconds a .time file holds, or "?" when the run left none."""
    return open(path).read().split()[0] if os.path.exists(path) else "?"


def macro(rows):
    """Mean over labels of the share of correct rows; rows are (actual label, correct) pairs."""
    per = {}
    for actual, ok in rows:
        per.setdefault(actual, []).append(ok)
    return sum(sum(v) / len(v) for v in per.values()) / len(per)


def compare(base, other, resamples=2000, seed=42):
    """Holdout macro of `other`, its difference from `base` and the 95 % interval of that difference, resampling the
    same images for both (paired). `base` and `other` are lists of per-image dicts over the same images."""
    base = {i["sha256"]: i for i in base}
    other = {i["sha256"]: i for i in other}
    keys = sorted(base)
    ok = lambda m, k: m[k]["predicted"] == m[k]["actual"]
    point = macro([(other[k]["actual"], ok(other, k)) for k in keys])
    difference = point - macro([(base[k]["actual"], ok(base, k)) for k in keys])
    rnd = random.Random(seed)
    diffs = []
    for _ in range(resamples):
        sample = [rnd.choice(keys) for _ in keys]
        diffs.append(macro([(base[k]["actual"], ok(other, k)) for k in sample]) -
                     macro([(base[k]["actual"], ok(base, k)) for k in sample]))
    diffs.sort()
    return point, difference, diffs[int(0.025 * resamples) - 1], diffs[int(0.975 * resamples) - 1]


def config_table(out, folder, sets, configs, option, holdout="holdout.json", set_names=None):
    """The markdown table of a two-or-more-configuration eval (trim-eval.sh, outline-eval.sh): one row per set and
    configuration, from <out>/<folder>/<set>-<name>/, each compared with the set's first configuration. `configs` are
    (name, the option's value as printed) pairs; `option` heads the setting column; `holdout` names the scoring file
    read in each run; `set_names` maps a set to the name printed for it."""
    print(f"| set | {option} | chosen | holdout macro | vs {configs[0][0]} [95 % CI] | train s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for s in sets:
        runs = [(name, value, *load_run(f"{out}/{folder}/{s}-{name}", holdout), seconds(f"{out}/{folder}/{s}-{name}.time"))
                for name, value in configs]
        base = runs[0][3]["perImage"]
        for i, (name, value, report, ev, secs) in enumerate(runs):
            point, d0, lo, hi = compare(base, ev["perImage"])
            ci = "–" if i == 0 else f"{d0:+.3f} [{lo:+.3f}, {hi:+.3f}]"
            print(f"| {(set_names or {}).get(s, s)} | {value} | {report['best']} | {point:.3f} | {ci} | {secs} |")
