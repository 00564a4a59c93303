#!/usr/bin/env python3
"""Drafts rows for gold/places/voa.tsv: every capitalised span (up to 4 words) of the chosen
VOA stories that some gazetteer entry goes by, longest first, with up to 6 candidates (largest
population first) to pick from by hand. The draft is only a reading aid: each kept row's
geonameid and country were then set by hand (see gold/places/README.md).

    python3 scripts/voa_places_candidates.py STORY_ID... > /tmp/draft.tsv
"""
import gzip, json, os, re, sys

ROOT = os.path.join(os.path.dirname(__file__), "..")
STORIES = os.path.join(ROOT, "..", "shared", "corpora", "voa", "voa_stories.jsonl")

def load():
    index, rows = {}, {}
    with gzip.open(os.path.join(ROOT, "crates/dyad-geo/data/gazetteer.tsv.gz"), "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            gid = int(c[0])
            rows[gid] = (c[1], f"{c[4]}.{c[5]}", c[8], int(c[6]), c[7])
            for n in {c[1], c[2], *[a for a in c[3].split("|") if a]}:
                index.setdefault(n.lower(), set()).add(gid)
    return index, rows

def main():
    index, rows = load()
    stories = {json.loads(l)["id"]: json.loads(l) for l in open(STORIES, encoding="utf-8")}
    word = re.compile(r"[A-Z][\w'’.-]*")
    for sid in sys.argv[1:]:
        text = stories[sid]["text"]
        toks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        i = 0
        while i < len(toks):
            hit = None
            for n in (4, 3, 2, 1):
                if i + n > len(toks):
                    continue
                s, e = toks[i][0], toks[i + n - 1][1]
                span = text[s:e].rstrip(",.;:\"'’”)").replace("’s", "").replace("'s", "")
                if not all(word.match(w) for w in span.split()):
                    continue
                if span.lower() in index:
                    hit = (s, s + len(span), span, n)
                    break
            if hit:
                s, e, span, n = hit
                cands = sorted(index[span.lower()], key=lambda g: -rows[g][3])[:6]
                desc = " ; ".join(f"{g}:{rows[g][0]}:{rows[g][1]}:{rows[g][2]}:{rows[g][3]}" for g in cands)
                print(f"{sid}\t{s}\t{e}\t{span}\t{desc}")
                i += n
            else:
                i += 1

if __name__ == "__main__":
    main()
