#!/usr/bin/env python3
"""Writes gold/places/voa-fresh4.tsv: a fourth held-out place gold of VOA stories, written by hand
before dyad was run on them (it never reads dyad's output), with the conventions of
scripts/voa_places_fresh.py, scripts/voa_places_fresh2.py and scripts/voa_places_fresh3.py. Every
decision is in the tables below: for each story, which names are places and which gazetteer entry
each is ('-' = a place the gazetteer lacks); every whole-word occurrence of a listed name in the
story's text is a mention (longest name first, no overlaps), except occurrences inside a masked
larger name (organisations, titles, laws, agreements) and names glued into a hyphenated word
("U.S.-based", "Paris-based"). Candidates were read from scripts/voa_places_candidates.py's draft
and from the text itself. The 12 stories were chosen in advance (none in another gold); a story
whose only place name sits inside a masked name gives no rows.

    python3 scripts/voa_places_fresh4.py [DRAFT.tsv]

With a draft (of scripts/voa_places_candidates.py), it also lists the draft's spans that were not
kept, for review.
"""
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "gold", "places", "voa-fresh4.tsv")

# name -> geonameid ('-' for none); the country comes from the gazetteer unless given.
G = {
    'Afghanistan': 1149361, 'Africa': 6255146, 'Asia': 6255147, 'Australia': 2077456,
    'Austria': 2782113, 'Bangui': 2389853, 'Beijing': 1816670, 'Belgium': 2802361,
    'Bocaranga': 2388625, 'Britain': 2635167, 'Cameroon': 2233387, 'Canada': 6251999,
    'Central African Republic': 239880, 'Cessnock': 2171845, 'Chad': 2434508, 'China': 1814991,
    'Democratic Republic of Congo': 203312, 'Democratic Republic of the Congo': 203312,
    'Doha': 290030, 'Europe': 6255148, 'France': 3017382, 'Geneva': 2660646, 'Germany': 2921044,
    'Greece': 390903, 'Gusau': 2339937, 'Hanoi': 1581130, 'Hong Kong': 1819730, 'Islamabad': 1176615,
    'Italy': 3175395, 'Jamaica': 3489940, 'Japan': 1861060, 'Madrid': 3117735, 'Malawi': 927384,
    'Moscow': 524901, 'New South Wales': 2155400, 'New Zealand': 2186224, 'Nigeria': 2328926,
    'North Korea': 1873107, 'Pakistan': 1168579, 'Poland': 798544, 'Pyongyang': 1871859,
    'Queensland': 2152274, 'Russia': 2017370, 'Russian Federation': 2017370, 'Saudi Arabia': 102358,
    'Seoul': 1835848, 'South Korea': 1835841, 'South Sudan': 7909807, 'Spain': 2510769,
    'Sudan': 366755, 'Sydney': 2147714, 'U.S.': 6252001, 'US': 6252001, 'Ukraine': 690791,
    'United Arab Emirates': 290557, 'United States': 6252001,
    'Washington': 4140963,          # the US capital / government
    'Berlin': 2950159,              # the German capital / government
    'Republic of Congo': 2260494,   # Congo-Brazzaville, beside the DRC in a list of neighbours
    'DPRK': 1873107, "Democratic People's Republic of Korea": 1873107,
    'PRC': 1814991, "People's Republic of China": 1814991,
    'C.A.R.': 239880, 'C.A.R': 239880,   # the Central African Republic
    'Korean Peninsula': '-', 'Indo-Pacific': '-', 'Latin America': '-', 'Americas': '-',
    'Korea': '-',                   # the peninsula / both Koreas as a policy area
}
G_COUNTRY = {'Korean Peninsula': '', 'Indo-Pacific': '', 'Latin America': '', 'Americas': '',
             'Korea': ''}

# story -> (names (a name alone takes G; (name, gid, country) overrides), masked larger names)
S = [
 ('7678740', ['Pakistan', 'Islamabad', 'U.S.', 'US', 'Saudi Arabia', 'United Arab Emirates',
              'Washington'], []),
 ('7677701', ['United States', 'Russia', 'North Korea', 'DPRK', 'U.S.', 'Europe',
              'Korean Peninsula', 'Indo-Pacific', "Democratic People's Republic of Korea",
              'Britain', 'France', 'Japan', 'South Korea', 'Ukraine', 'Pyongyang', 'Seoul',
              'Moscow', 'Russian Federation', 'China', 'Washington', 'Beijing'], []),
 ('7686618', ['Central African Republic', 'C.A.R.', 'C.A.R', 'Bocaranga',
              ('Bazoum', 2387546, 'CAF'),   # Bozoum, beside Bocaranga (Ouham-Pende), misspelt
              'Cameroon', 'Sudan', 'South Sudan', 'Democratic Republic of the Congo',
              'Republic of Congo', 'Democratic Republic of Congo', 'Chad', 'Bangui', 'Nigeria'],
             ['United Nations Multidimensional Integrated Stabilization Mission in the Central African Republic']),
 ('7808748', ['Germany', 'Beijing', 'France', 'Greece', 'Italy', 'Poland', 'China', 'Berlin',
              'Europe', 'Belgium', 'PRC', "People's Republic of China", 'Austria', 'U.S.',
              'Canada'],
             ['National University of Singapore', 'Association of Southeast Asian Nations']),
 ('8010657', ['China', 'Beijing', ('Hebei Province', 1808773, 'CHN'), 'United States',
              'Hong Kong'],
             ['2024 China Game Industry Minor Protection Report',
              'China Audio-Video and Digital Publishing Association']),
 ('6202743', [('Zamfara State', 2595349, 'NGA'), ('Zamfara', 2595349, 'NGA'), 'Gusau',
              ('Jangebe', '-', 'NGA'), ('Chibok', '-', 'NGA'), ('Borno State', 2346794, 'NGA'),
              'Nigeria'], []),
 ('6183074', [('BLANTYRE', 931755, 'MWI'), ('Blantyre', 931755, 'MWI'), 'Malawi', 'Jamaica'],
             ['Blantyre Girls Primary School', 'Malawi High Court']),
 ('6180705', ['Australia', 'Sydney', 'Cessnock', 'New South Wales', 'Canada', 'New Zealand',
              'United States', ('Edmonton', 5946768, 'CAN'), 'Queensland', 'China'], []),
 ('6180790', [('MARANCHON', '-', 'ESP'), ('Maranchon', '-', 'ESP'), ('SPAIN', 2510769, 'ESP'),
              'Spain', 'Europe', 'Germany', 'Madrid', 'Latin America', 'Africa', 'Asia',
              'Americas', 'Australia', 'China', 'Poland', 'Berlin'],
             ['Paris climate pact', 'Birdlife Spain']),
 ('6181235', ['Pyongyang', 'Washington', 'North Korea', 'U.S.', ('California', 5332921, 'USA'),
              'Hanoi', ('Sohae Satellite Launching Ground', '-', 'PRK'), 'Korea', 'DPRK',
              "Democratic People's Republic of Korea"], []),
 ('7846440', [], ['University of Nairobi']),
 ('7750892', ['Afghanistan', 'Geneva', 'Doha', 'U.S.'], []),
]

from voa_places_lib import write

if __name__ == "__main__":
    write(S, G, G_COUNTRY, OUT, "voa_places_fresh4.py", "conventions as voa-fresh.tsv (README.md)")
