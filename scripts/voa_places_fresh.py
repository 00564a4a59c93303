#!/usr/bin/env python3
"""Writes gold/places/voa-fresh.tsv: a held-out place gold of VOA stories, written by hand before
dyad was run on them (it never reads dyad's output). Every decision is in the tables below: for
each story, which names are places and which gazetteer entry each is ('-' = a place the gazetteer
lacks); every whole-word occurrence of a listed name in the story's text is a mention (longest
name first, no overlaps), except occurrences inside a masked larger name (organisations, titles).
Candidates were read from scripts/voa_places_candidates.py's draft and from the text itself.

    python3 scripts/voa_places_fresh.py [DRAFT.tsv]

With a draft (of scripts/voa_places_candidates.py), it also lists the draft's spans that were not
kept, for review.
"""
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "gold", "places", "voa-fresh.tsv")

# name -> geonameid ('-' for none); the country comes from the gazetteer unless given.
G = {
    'Africa': 6255146, 'Alaska': 5879092, 'Azerbaijan': 587116, 'Beijing': 1816670,
    'Berlin': 2950159, 'Britain': 2635167, 'Brooklyn': 5110302, 'Burkina Faso': 2361809,
    'Canada': 6251999, 'China': 1814991, 'Europe': 6255148, 'France': 3017382,
    'Germany': 2921044, 'Ghana': 2300660, 'Harare': 890299, 'Hong Kong': 1819730,
    'India': 1269750, 'Iran': 130758, 'Iraq': 99237, 'Jeddah': 105343, 'Kenya': 192950,
    'Kyiv': 703448, 'London': 2643743, 'Mauritius': 934292, 'Moscow': 524901,
    'Netherlands': 2750405, 'New York City': 5128581, 'Norway': 3144096, 'Russia': 2017370,
    'San Francisco': 5391959, 'Saudi Arabia': 102358, 'South Africa': 953987,
    'Syria': 163843, 'Tehran': 112931, 'The Hague': 2747373, 'Turkey': 298795,
    'U.K.': 2635167, 'U.S.': 6252001, 'US': 6252001, 'Ukraine': 690791,
    'United Kingdom': 2635167, 'United States': 6252001, 'Venezuela': 3625428,
    'Zimbabwe': 878675, 'Crawley': 2652053,
    'Washington': 4140963,          # the US capital / government
    'New York': 5128581,            # the city, unless a story says otherwise
    'Afghanistan': 1149361, 'Kabul': 1138958, 'America': 6252001, 'Doha': 290030, 'Qatar': 289688,
    'Cuba': 3562981, 'Honduras': 3608932, 'Louisiana': 4331987,
    # the US naval station, as in gold/places/voa.tsv
    'Naval Station Guantanamo Bay': 13527055, 'Guantanamo Bay': 13527055, 'Guantanamo': 13527055,
}

# story -> (names (a name alone takes G; (name, gid, country) overrides), masked larger names)
S = [
 ('8011117', ['Syria', 'U.S.', 'Germany', 'United States', ('Iraqi Kurdistan', '-', 'IRQ')], []),
 ('8008456', ['Ukraine', 'U.S.', 'Europe', 'United States', 'Russia', 'Moscow', 'Washington',
              'Jeddah', 'Saudi Arabia', 'Kyiv', ('Donbas', '-', 'UKR')], []),
 ('8010779', [('sub-Saharan Africa', '-', ''), 'Africa', 'South Africa', 'Kenya', 'Ghana',
              'Burkina Faso'], ['Clinical Research Unit of Nanoro', 'University of Witwatersrand']),
 ('8008998', ['Zimbabwe', 'Harare'], []),
 ('8009771', ['China', 'Russia', 'Ukraine', 'U.S.', 'Alaska', 'Washington', 'Moscow', 'Norway',
              'Canada', 'Iraq', ('Amur Region', 2027748, 'RUS'), 'Europe', 'Berlin'],
             ['Carnegie Russia Eurasia Center', 'The Arc of International Business in Russia',
              'University of Southern California']),
 ('8005869', ['Britain', 'Mauritius', 'U.S.', 'U.K.', 'China',
              ('Chagos Islands', 1282588, 'IOT'), ('Chagos Archipelago', 1282588, 'IOT'),
              ('Chagos archipelago', 1282588, 'IOT'), ('British Indian Ocean Territory', 1282588, 'IOT'),
              ('Indian Ocean', '-', ''), ('Diego Garcia', '-', 'IOT'), 'France', 'The Hague', 'India',
              'United States', 'Beijing', 'Crawley', 'London', 'Africa'],
             ['Inter-Parliamentary Alliance on China']),
 ('8009044', ['Washington', 'United States', 'Hong Kong', 'Beijing', 'China', 'U.S.', 'New York',
              'San Francisco', 'United Kingdom'],
             ['Committee for Freedom in Hong Kong', 'Hong Kong Economic and Trade Offices']),
 ('8007739', ['China', 'United States', 'U.S.', 'US', 'Beijing', 'Netherlands'],
             ['Leiden University', 'Cornell University']),
 ('8008126', ['New York City', 'New York', 'Brooklyn', 'Iran', 'Azerbaijan', 'Tehran', 'Turkey',
              'Venezuela'], ["Voice of America"]),
 ('8010057', ['U.S.', 'Cuba', 'Naval Station Guantanamo Bay', 'Guantanamo Bay', 'Guantanamo', 'Washington',
              'Honduras', 'Venezuela', 'Louisiana'], []),
 ('6205629', ['Afghanistan', 'U.S.', 'Kabul', 'America', 'Doha', 'United States', 'Qatar', 'Washington',
              ('Dasht-e-Barchi', '-', 'AFG')], []),
]

from voa_places_lib import write

if __name__ == "__main__":
    write(S, G, {}, OUT, "voa_places_fresh.py", "conventions as in README.md")
