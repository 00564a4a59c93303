#!/usr/bin/env python3
"""Writes gold/places/voa-fresh3.tsv: a third held-out place gold of VOA stories, written by hand
before dyad was run on them (it never reads dyad's output), with the conventions of
scripts/voa_places_fresh.py and scripts/voa_places_fresh2.py. Every decision is in the tables
below: for each story, which names are places and which gazetteer entry each is ('-' = a place
the gazetteer lacks); every whole-word occurrence of a listed name in the story's text is a
mention (longest name first, no overlaps), except occurrences inside a masked larger name
(organisations, titles, laws) and names glued into a hyphenated word ("Kenya-U.S.",
"Jakarta-based"). Candidates were read from scripts/voa_places_candidates.py's draft and from the
text itself. Stories were taken in a fixed order until the set passed 320 rows.

    python3 scripts/voa_places_fresh3.py [DRAFT.tsv]

With a draft (of scripts/voa_places_candidates.py), it also lists the draft's spans that were not
kept, for review.
"""
import gzip, json, os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
STORIES = os.path.join(ROOT, "..", "shared", "corpora", "voa", "voa_stories.jsonl")
OUT = os.path.join(ROOT, "gold", "places", "voa-fresh3.tsv")

# name -> geonameid ('-' for none); the country comes from the gazetteer unless given.
G = {
    'Afghanistan': 1149361, 'Africa': 6255146, 'Amritsar': 1278710, 'Ankara': 323786,
    'Asia': 6255147, 'Bangladesh': 1210997, 'Beijing': 1816670, 'Botswana': 933860,
    'Britain': 2635167, 'Brunei': 1820814, 'Calabria': 2525468, 'China': 1814991,
    'Europe': 6255148, 'Hanoi': 1581130, 'Hong Kong': 1819730, 'India': 1269750,
    'Indonesia': 1643084, 'Iran': 130758, 'Iraq': 99237, 'Ireland': 2963597, 'Istanbul': 745044,
    'Italy': 3175395, 'Jakarta': 1642911, 'Japan': 1861060, 'Johannesburg': 993800,
    'Kenya': 192950, 'Khartoum': 379252, 'Lazio': 3174976, 'Malaysia': 1733045,
    'Moscow': 524901, 'Mozambique': 1036973, 'Namibia': 3355338, 'New Delhi': 1261481,
    'Nigeria': 2328926, 'North Korea': 1873107, 'Philippines': 1694008, 'Puglia': 3169778,
    'Pyongyang': 1871859, 'Rome': 3169070, 'Russia': 2017370, 'Senegal': 2245662,
    'Somalia': 51537, 'South Africa': 953987, 'South Korea': 1835841, 'Sri Lanka': 1227603,
    'Stockholm': 2673730, 'Sudan': 366755, 'Syria': 163843, 'Taiwan': 1668284,
    'Tanzania': 149590, 'Tehran': 112931, 'Tokyo': 1850147, 'Turkey': 298795, 'U.S.': 6252001,
    'Uganda': 226074, 'United States': 6252001, 'Vietnam': 1562822, 'West Virginia': 4826850,
    'Zimbabwe': 878675,
    'Washington': 4140963,          # the US capital / government
    'New York': 5128581,            # the city, unless a story says otherwise
    'Sardinia': 2523228,            # the Italian region (Sardegna)
    'Singapore': 1880251,           # the country, unless a story says otherwise
    'Southeast Asia': '-', 'South China Sea': '-', 'Central Europe': '-', 'Borneo': '-',
    'Indian sub-continent': '-',
    'Soviet Union': '-',            # the former union of several of today's countries
}
G_COUNTRY = {'Southeast Asia': '', 'South China Sea': '', 'Central Europe': '', 'Borneo': '',
             'Indian sub-continent': '', 'Soviet Union': ''}

# story -> (names (a name alone takes G; (name, gid, country) overrides), masked larger names)
S = [
 ('6205362', ['Ireland', 'United States', 'New York', 'U.S.', 'West Virginia', 'Rome', 'Italy',
              'Soviet Union', 'Central Europe', 'Europe', 'Sardinia', 'Lazio', 'Britain',
              'Calabria', 'Puglia', 'Indian sub-continent', 'India', 'New Delhi', 'Amritsar',
              'Bangladesh', 'Sri Lanka'],
             ['Air India']),
 ('6184384', ['Kenya', ('Boni Forest', '-', 'KEN'), 'Somalia', ('Lamu County', 7667643, 'KEN'),
              'U.S.'], []),
 ('6184244', ['U.S.', 'North Korea', ('Korea', '-', ''), 'Pyongyang',
              ('California', 5332921, 'USA'), ('Singapore', 1880252, 'SGP'), 'Hanoi',
              'Washington', 'Stockholm'],
             ['White House']),
 ('6181504', ['China', 'Malaysia', 'South China Sea', 'Vietnam', 'Beijing', 'United States',
              'Asia', 'Tokyo', 'Europe', 'Singapore', 'Indonesia', 'Philippines', 'Brunei',
              'Taiwan', 'Hong Kong', 'Borneo', 'U.S.'],
             ['Singapore Institute of International Affairs',
              'Association of Southeast Asian Nations']),
 ('6180206', ['Khartoum', 'Sudan'], []),
 ('6181132', ['Southeast Asia', 'Jakarta', 'Indonesia', 'China', 'Singapore', 'Malaysia',
              'Vietnam'],
             ['University of Melbourne']),
 ('6183227', [('ISLAMABAD', 1176615, 'PAK'), 'United States', 'Afghanistan', 'U.S.',
              'Washington', ('Ghazni', 1141268, 'AFG'), ('Sado Khelo', '-', 'AFG'),
              ('Deh Yak', '-', 'AFG')], []),
 ('6180015', ['Turkey', 'United States', 'Ankara', 'Washington', 'U.S.', 'Russia', 'Iraq',
              'Iran', 'Syria', 'Moscow'],
             ["Countering America's Adversaries Through Sanctions Act", 'White House']),
 ('6180932', ['Ankara', 'Washington', 'U.S.', 'Turkey', 'United States', 'Russia', 'Moscow',
              'Syria', ('Incirlik', '-', 'TUR'), ('Kürecik', '-', 'TUR'),
              ('Kurecik', '-', 'TUR'), 'Istanbul', 'Iran', 'Tehran'],
             ["Countering America's Adversaries Through Sanctions Act"]),
 ('6183254', ['Nigeria', ('Borno', 2346794, 'NGA')], []),
 ('6181522', ['Africa', 'Botswana', 'Mozambique', 'Namibia', 'Senegal', 'South Africa',
              'Johannesburg', 'Tanzania', 'Zimbabwe', 'Uganda'],
             ['African National Congress']),
 ('7810159', ['Japan', 'United States', 'U.S.', 'South Korea', ('Republic of Korea', 1835841, 'KOR'),
              'North Korea', 'China', ("People's Republic of China", 1814991, 'CHN'),
              ('PRC', 1814991, 'CHN'), 'Russia', 'Tokyo', 'Washington',
              ('Washington D.C.', 4140963, 'USA'), 'Taiwan', 'Beijing', ('Taiwan Strait', '-', '')],
             ['Sasakawa Peace Foundation USA', 'Washington Declaration',
              "Atlantic Council's Indo-Pacific Security Initiative", 'Tokyo International University']),
]

def main():
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
                "# a region of no one country. Made by scripts/voa_places_fresh3.py; conventions as voa-fresh.tsv (README.md).\n")
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

if __name__ == "__main__":
    main()
