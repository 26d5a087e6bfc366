#!/usr/bin/env python3
"""Builds a proxy set whose labels are of unequal size: SET/train thinned per label to the counts below (the first
files in the order of the SHA-256 of their names, so deterministic and not by vendor or name), SET/test linked as it is.

    scripts/thin-labels.py SET OUT     e.g. .../sets/emoji .../sets/emoji-thinned
"""
import hashlib
import os
import shutil
import sys

# Images kept per label, in the labels' alphabetical order: 8:1 between the largest and the smallest.
COUNTS = {
    "emoji": [80, 16, 40, 10, 80, 24, 60, 12, 50],
    "clipart": [60, 12, 40, 8, 60, 20, 30],
}

source, target = sys.argv[1], sys.argv[2]
counts = COUNTS[os.path.basename(source.rstrip("/"))]
labels = sorted(os.listdir(f"{source}/train"))
assert len(labels) == len(counts), f"{source} has {len(labels)} labels, the counts {len(counts)}"
shutil.rmtree(target, ignore_errors=True)
os.makedirs(f"{target}/train")
os.symlink(os.path.abspath(f"{source}/test"), f"{target}/test")
for label, count in zip(labels, counts):
    files = sorted(os.listdir(f"{source}/train/{label}"), key=lambda f: hashlib.sha256(f.encode()).hexdigest())[:count]
    os.makedirs(f"{target}/train/{label}")
    for f in files:
        shutil.copy(f"{source}/train/{label}/{f}", f"{target}/train/{label}/{f}")
print(f"{target}: " + ", ".join(f"{l} {c}" for l, c in zip(labels, counts)), file=sys.stderr)
