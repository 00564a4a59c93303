#!/usr/bin/env python3
"""The writer shared by scripts/voa_places_fresh*.py: turns a script's hand decisions (which
names of each story are places, and which gazetteer entry each is) into a gold TSV. Every
whole-word occurrence of a listed name is a mention (longest name first, no overlaps), except
occurrences inside a masked larger name and names glued into a hyphenated word; each row's text
is checked against the story and each id and country against the gazetteer. It never reads
dyad's output."""
import gzip, json, os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
STORIES = os.path.join(ROOT, "..", "shared", "corpora", "voa", "voa_stories.jsonl")


def write(S, G, G_COUNTRY, OUT, script, conventions):
    """S: (story id, names, masks) per story; G: name -> geonameid ('-' for none); G_COUNTRY:
    the country of a '-' name given bare; OUT: the TSV to write; `script` and `conventions`
    name the maker in the header. With a draft of scripts/voa_places_candidates.py as the
    first argument, lists the draft's spans that were not kept."""
    stories = {}
    for line in open(STORIES, encoding="utf-8"):
        d = json.loads(line)
        stories[d["id"]] = d
    cc = {}
    with gzip.open(os.path.join(ROOT, "crates", "dyad-geo", "data", "gazetteer.tsv.gz"), "rt", encoding="utf-8") as f:
        header = next(f).rstrip("\n").split("\t")
        ci = header.index("iso3")
        for line in f:
            c = line.rstrip("\n").split("\t")
            cc[int(c[0])] = c[ci]
    rows = []
    for sid, names, masks in S:
        text = stories[sid]["text"]
        spec = {}
        for n in names:
            if isinstance(n, tuple):
                name, g, c = n
            else:
                name, g = n, G[n]
                c = G_COUNTRY[n] if g == '-' else cc[g]
            if g != '-':
                assert g in cc, (name, g)
                assert c == cc[g], (name, g, c, cc[g])
            spec[name] = (g, c)
        taken = []
        for mk in masks:
            found = [m.span() for m in re.finditer(re.escape(mk), text)]
            assert found, (sid, mk)
            taken += found
        for name in sorted(spec, key=len, reverse=True):
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
                s, e = m.span()
                # A name glued into a hyphenated word ("Germany-based", "U.S.-backed") is
                # part of a larger word, as the first gold's conventions drop such parts
                # (decided before the set was scored).
                glued = text[s - 1:s] == "-" or text[e:e + 1] == "-"
                if glued or any(a < e and s < b for a, b in taken):
                    continue
                taken.append((s, e))
                g, c = spec[name]
                rows.append((sid, s, e, name, str(g), c))
    order = {sid: i for i, (sid, _, _) in enumerate(S)}
    rows.sort(key=lambda r: (order[r[0]], r[1]))
    for r in rows:
        assert stories[r[0]]["text"][r[1]:r[2]] == r[3], r
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(f"# Place mentions of {len(S)} VOA stories (shared/corpora/voa, public domain) resolved by hand to GeoNames ids\n"
                "# of dyad's gazetteer (crates/dyad-geo/data/gazetteer.tsv.gz). Held out: written before dyad was run on\n"
                "# these stories, to be scored once. '-' = a place the gazetteer lacks; country = ISO alpha-3, empty for\n"
                f"# a region of no one country. Made by scripts/{script}; {conventions}.\n")
        f.write("story\tstart\tend\ttext\tgeonameid\tcountry\n")
        for r in rows:
            f.write("\t".join(map(str, r)) + "\n")
    print(len(rows), "rows,", sum(r[4] == '-' for r in rows), "with '-'", file=sys.stderr)
    if len(sys.argv) > 1:
        kept = {(r[0], r[1], r[2]) for r in rows}
        for line in open(sys.argv[1], encoding="utf-8"):
            c = line.rstrip("\n").split("\t")
            if c[0] in order and c[3].strip() and not any(k[0] == c[0] and k[1] < int(c[2]) and int(c[1]) < k[2] for k in kept):
                print("dropped draft span:", c[0], c[1], c[3], file=sys.stderr)
