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
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
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

from voa_places_lib import write

if __name__ == "__main__":
    write(S, G, G_COUNTRY, OUT, "voa_places_fresh3.py", "conventions as voa-fresh.tsv (README.md)")
