#!/usr/bin/env python3
"""Fills the '-' rows of gold/places/voa.tsv that the gazetteer now covers: a '-' row (a place
the old gazetteer lacked) whose text names exactly one entry of the given country among the
entries added since (first-level regions, towns under 5,000 people) takes that entry. The rule
reads only the gold's own text and country, never dyad's output, so the hand decisions stand:
a row the annotator marked '-' although an entry of that name existed keeps its '-'.

    python3 scripts/voa_places_regions.py OLD_GAZETTEER.tsv.gz
"""
import gzip, os, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def entries(path):
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            names = {c[1], c[2], *[a for a in c[3].split("|") if a]}
            out[int(c[0])] = ({n.lower() for n in names}, c[8])
    return out


def main():
    old = entries(sys.argv[1])
    new = entries(os.path.join(ROOT, "crates", "dyad-geo", "data", "gazetteer.tsv.gz"))
    added = {g: v for g, v in new.items() if g not in old}
    path = os.path.join(ROOT, "gold", "places", "voa.tsv")
    lines = open(path, encoding="utf-8").read().splitlines()
    filled = 0
    for i, line in enumerate(lines):
        c = line.split("\t")
        if line.startswith("#") or len(c) != 6 or c[4] != "-" or not c[5]:
            continue
        hits = [g for g, (names, cc) in added.items() if cc == c[5] and c[3].lower() in names]
        if len(hits) == 1:
            c[4] = str(hits[0])
            lines[i] = "\t".join(c)
            filled += 1
            print(f"{c[0]} {c[3]} -> {hits[0]}", file=sys.stderr)
    open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")
    print(f"{filled} rows filled", file=sys.stderr)


if __name__ == "__main__":
    main()
