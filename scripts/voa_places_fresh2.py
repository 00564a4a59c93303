#!/usr/bin/env python3
"""Writes gold/places/voa-fresh2.tsv: a second held-out place gold of VOA stories, written by hand
before dyad was run on them (it never reads dyad's output), with the conventions of
scripts/voa_places_fresh.py. Every decision is in the tables below: for each story, which names
are places and which gazetteer entry each is ('-' = a place the gazetteer lacks); every
whole-word occurrence of a listed name in the story's text is a mention (longest name first, no
overlaps), except occurrences inside a masked larger name (organisations, titles, laws) and names
glued into a hyphenated word ("Kenya-U.S.", "Jakarta-based"). Candidates were read from
scripts/voa_places_candidates.py's draft and from the text itself. Stories were taken in a fixed
order until the set passed 320 rows.

    python3 scripts/voa_places_fresh2.py [DRAFT.tsv]

With a draft (of scripts/voa_places_candidates.py), it also lists the draft's spans that were not
kept, for review.
"""
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "gold", "places", "voa-fresh2.tsv")

# name -> geonameid ('-' for none); the country comes from the gazetteer unless given.
G = {
    'Abidjan': 2293538, 'Africa': 6255146, 'Albania': 783754, 'Ankara': 323786, 'Asia': 6255147,
    'Australia': 2077456, 'Belarus': 630336, 'Bouake': 2290956, 'Brazil': 3469034,
    'Britain': 2635167, 'Brunei': 1820814, 'Brussels': 2800866, 'Cairo': 360630,
    'Cameroon': 2233387, 'Central African Republic': 239880, 'China': 1814991, 'Dadaab': 199209,
    'Egypt': 357994, 'Equatorial Guinea': 2309096, 'Ethiopia': 337996, 'Europe': 6255148,
    'France': 3017382, 'Gabon': 2400553, 'Gaza Strip': 281132, 'Gonaives': 3724696,
    'Greece': 390903, 'Haiti': 3723988, 'Honolulu': 5856195, 'India': 1269750, 'Iraq': 99237,
    'Israel': 294640, 'Istanbul': 745044, 'Italy': 3175395, 'Ivory Coast': 2287781,
    'Japan': 1861060, 'Jerusalem': 281184, 'Kakuma': 195197, 'Kenya': 192950, 'Kismayo': 55671,
    'Libya': 2215636, 'Malaysia': 1733045, 'Manila': 1701668, 'Michigan': 5001836,
    'Mogadishu': 53654, 'Nairobi': 184745, 'Paris': 2988507, 'Philippines': 1694008,
    'Port-au-Prince': 3718426, 'Russia': 2017370, 'Saudi Arabia': 102358, 'Somalia': 51537,
    'South Sudan': 7909807, 'Sudan': 366755, 'Syria': 163843, 'Taiwan': 1668284,
    'The Hague': 2747373, 'Turkey': 298795, 'U.K.': 2635167, 'U.S.': 6252001, 'Ukraine': 690791,
    'United States': 6252001, 'Veneto': 3164604, 'Vietnam': 1562822,
    'Beijing': 1816670,             # the city / the Chinese government
    'Washington': 4140963,          # the US capital / government
    'Middle East': '-', 'Mideast': '-', 'Indian Ocean': '-', 'Latin America': '-',
}
G_COUNTRY = {'Middle East': '', 'Mideast': '', 'Indian Ocean': '', 'Latin America': ''}

# story -> (names (a name alone takes G; (name, gid, country) overrides), masked larger names)
S = [
 ('6203896', ['Paris', 'Ivory Coast', 'Belarus', 'Bouake', 'France', 'The Hague', 'Abidjan'],
             ['Radio France International', 'Agence France-Presse']),
 ('6203091', ['Turkey', 'Egypt', ('Gulf', '-', ''), 'Ankara', 'Middle East', 'Mideast',
              ('Mediterranean Sea', '-', ''), ('Mediterranean', '-', ''), 'Greece', 'Cairo',
              'Istanbul', 'Saudi Arabia', 'Europe', ('Caucasus', '-', ''), 'Africa', 'France',
              'Libya', 'Syria', 'Iraq'],
             ['Mediterranean agreement']),
 ('6204681', ['India', 'Philippines', 'U.S.', ('U.S', 6252001, 'USA'), 'Japan', 'Asia', 'Beijing',
              'China', 'United States', 'Australia', ('Indo-Pacific', '-', ''),
              ('South and East China seas', '-', ''), ('East China Sea', '-', ''),
              ('South China Sea', '-', ''), ('Senkaku/Diaoyu islands', '-', 'JPN'), 'Brunei',
              'Malaysia', 'Taiwan', 'Vietnam', 'Honolulu', 'U.K.', 'Manila', ('Whitsun Reef', '-', '')],
             ['White House', 'U.S.-Japan', 'East-West Center']),
 ('6205674', ['Turkey', 'Jerusalem', ('east Jerusalem', 7303419, 'PSE'), 'Israel', 'Istanbul',
              ('Old City', 6945291, 'PSE'), 'Ankara', 'Gaza Strip', 'Washington', 'United States',
              'Middle East'],
             ['White House', 'Mavi Marmara']),
 ('6202623', [("L'Estere", '-', 'HTI'), 'Gonaives', 'Haiti', ('Village de Dieu', '-', 'HTI'),
              ('Croix des Bouquets', 3727135, 'HTI'), ('CROIX DES BOUQUETS', 3727135, 'HTI'),
              ('Croix-des-Bouquets', 3727135, 'HTI'), 'Port-au-Prince', 'Michigan', 'U.S.'],
             ['Village de Dieu gang', 'Prison Civile de la Croix des Bouquets',
              'U.N. Integrated Bureau for Haiti']),
 ('6206085', ['Albania', 'U.S.', 'United States', ('Western Balkans', '-', ''), 'Europe', 'Ukraine',
              'Russia', 'Latin America', 'Africa', 'Washington'], []),
 ('6205512', ['Cameroon', 'Europe', ('Mvog-Ada', '-', 'CMR'), 'Equatorial Guinea', 'Gabon',
              ('Central Africa', '-', ''), 'Central African Republic', 'Brazil', 'United States',
              'China'],
             ['Cameroon Livestock Ministry']),
 ('6205696', ['France', 'Middle East', ('sub-Saharan Africa', '-', ''), 'Europe', 'Britain',
              'Brussels', 'Paris', 'Veneto', 'Italy'],
             ['France Television']),
 ('6204080', ['Kenya', 'Somalia', ('Hagadera', '-', 'KEN'), 'Dadaab', 'Kakuma', 'South Sudan',
              ('Democratic Republic of Congo', 203312, 'COD'), 'Ethiopia', 'Sudan', 'Nairobi',
              'Indian Ocean', ('Kalobeyei', '-', 'KEN'), 'Kismayo', 'Washington', 'Mogadishu'],
             ['Kenya Interior Ministry', 'UNHCR Kenya']),
]

from voa_places_lib import write

if __name__ == "__main__":
    write(S, G, G_COUNTRY, OUT, "voa_places_fresh2.py", "conventions as voa-fresh.tsv (README.md)")
