#!/usr/bin/env python3
"""Writes gold/places/voa-fresh5.tsv: a fifth held-out place gold of VOA stories, written by hand
before dyad was run on them (it never reads dyad's output), with the conventions of
scripts/voa_places_fresh.py to scripts/voa_places_fresh4.py. Every decision is in the tables
below: for each story, which names are places and which gazetteer entry each is ('-' = a place
the gazetteer lacks); every whole-word occurrence of a listed name in the story's text is a
mention (longest name first, no overlaps), except occurrences inside a masked larger name
(organisations, titles of works, newspapers, laws, charters, a currency, a war) and names glued
into a hyphenated word ("U.S.-Ukraine", "Mogadishu-based"). Candidates were read from
scripts/voa_places_candidates.py's draft and from the text itself. The 21 stories were chosen in
advance (stories of the VOA event gold's development split); a story whose only place name sits
inside a masked name gives no rows.

    python3 scripts/voa_places_fresh5.py [DRAFT.tsv]

With a draft (of scripts/voa_places_candidates.py), it also lists the draft's spans that were not
kept, for review.
"""
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "gold", "places", "voa-fresh5.tsv")

# name -> geonameid ('-' for none); the country comes from the gazetteer unless given.
G = {
    'Afghanistan': 1149361, 'Africa': 6255146, 'Argentina': 3865483, 'Asia': 6255147,
    'Australia': 2077456, 'Bandar Abbas': 141681, 'Bayelsa': 2595344, 'Britain': 2635167,
    'Brunei': 1820814, 'Cambodia': 1831722, 'Canada': 6251999, 'China': 1814991,
    'Copenhagen': 2618425, 'Cross River': 2345891, 'Da Nang': 1583992, 'France': 3017382,
    'Germany': 2921044, 'Gwadar': 1177446, 'Hawaii': 5855797, 'Ho Chi Minh City': 1566083,
    'Indonesia': 1643084, 'Iran': 130758, 'Israel': 294640, 'Italy': 3175395, 'Japan': 1861060,
    'Jeddah': 105343, 'Kabul': 1138958, 'Kenya': 192950, 'Khyber Pakhtunkhwa': 1168873,
    'London': 2643743, 'Malaysia': 1733045, 'Mexico': 3996063, 'Mogadishu': 53654,
    'Myanmar': 1327865, 'Nairobi': 184745, 'Nangarhar': 1132366, 'Nigeria': 2328926,
    'North America': 6255149, 'North Korea': 1873107, 'Ogun': 2327546, 'Pakistan': 1168579,
    'Peshawar': 1168197, 'Philippines': 1694008, 'Quetta': 1167528, 'Russia': 2017370,
    'Saudi Arabia': 102358, 'Sibi': 1164896, 'Somalia': 51537, 'South Korea': 1835841,
    'Spain': 2510769, 'Taiwan': 1668284, 'Thailand': 1605651, 'U.S.': 6252001,
    'Ukraine': 690791, 'United States': 6252001, 'Vietnam': 1562822, 'Zimbabwe': 878675,
    'America': 6252001,             # the United States ("no recession in America")
    'Washington': 4140963,          # the US capital / government
    'Beijing': 1816670,             # the Chinese capital / government
    'Tehran': 112931,               # the Iranian capital / government
    'Islamabad': 1176615,           # the Pakistani capital / government
    'Tokyo': 1850147,               # the city (housing prices, Tokyo vs Beijing)
    'Phnom Penh': 1821306,          # a Phnom Penh court: the city
    'Yangon': 1298824,              # the city (his home, townships of the commercial hub)
    'Aungban': 1328865,
    'Shan': 1297099,                # "eastern Shan state"
    'Balochistan': 1183606,         # the province
    'Punjab': 1167710,              # "the eastern Punjab province" of Pakistan
    'Kalat': 1175296,               # the town in Balochistan (its district named after it)
    'Xinjiang': 1529047,
    'Hong Kong': 1819730,
    'Quebec': 6115047,              # the province (Charlevoix, Quebec; G7 talks in Quebec)
    'Louisiana': 4331987,           # the US state (detention in Louisiana)
    'New York': 5128581,            # the city (Iran's UN mission; a New York resident)
    'New York City': 5128581,
    'Gaza': 281132,                 # "the war in Gaza": the Gaza Strip
    'Central Java': 1642669, 'Central Java Province': 1642669,
    'West Java': 1642672,
    'Solo': 1625812,                # Surakarta, Central Java
    'Bali': 1650535,                # the Indonesian province ("Bali banned the trade")
    'Lagos': 2332453,               # "Bayelsa, Cross River, Ogun and Lagos states": the state
    'Okinawa': 1854345,             # the island / prefecture ("Japan's ... island")
    'Phu Quoc': 8531735,            # the island resort (entry with the island's names)
    'Riau Archipelago': 1996551,    # the Riau Islands (Kepulauan Riau), Indonesia
    'Korea': '-',                   # 1950: Korea outside the US defense perimeter (peninsula)
    'Indo-Pacific': '-', 'Indian Ocean': '-', 'South China Sea': '-', 'East China Sea': '-',
    'Borneo': '-', 'Southeast Asia': '-', 'Asia Pacific': '-', 'Taiwan Strait': '-',
    'Singapore Strait': '-',
    'Scarborough Shoal': '-', 'Second Thomas reef': '-',   # disputed features of the sea
    'Liuheng Island': '-',          # island off Zhejiang, China
    'Zhuhai Gaolan': '-',           # the Gaolan port area of Zhuhai, China
    'Charlevoix': '-',              # the region of Quebec (the gazetteer has only a US town)
    'Paneer': '-',                  # the train station / place near Sibi, Balochistan
    'Puntland': '-', 'Jubaland': '-',   # federal member states of Somalia
    'Afisiyoni': '-',               # the venue near Mogadishu's airport ("Afisiyoni talks")
    'Singapore': 1880251,           # the country (a medical tourism magnet)
}
G_COUNTRY = {'Korea': '', 'Indo-Pacific': '', 'Indian Ocean': '', 'South China Sea': '',
             'East China Sea': '', 'Borneo': '', 'Southeast Asia': '', 'Asia Pacific': '',
             'Taiwan Strait': '', 'Singapore Strait': '', 'Scarborough Shoal': '',
             'Second Thomas reef': '', 'Liuheng Island': 'CHN', 'Zhuhai Gaolan': 'CHN',
             'Charlevoix': 'CAN', 'Paneer': 'PAK', 'Puntland': 'SOM', 'Jubaland': 'SOM',
             'Afisiyoni': 'SOM'}

# story -> (names (a name alone takes G; (name, gid, country) overrides), masked larger names)
S = [
 ('8010476', ['China', 'Iran', 'Tehran', 'Bandar Abbas', 'Zhuhai Gaolan', 'U.S.',
              'Liuheng Island', 'Indonesia', 'Riau Archipelago', 'Singapore Strait', 'New York',
              'Beijing'],
             ['Islamic Republic of Iran Shipping Lines']),
 ('8010030', ['Charlevoix', 'Quebec', 'Canada', 'Ukraine', 'Russia', 'U.S.', 'Jeddah',
              'Saudi Arabia', 'Britain', 'France', 'Germany', 'Italy', 'Japan', 'United States',
              'China', 'Indo-Pacific'], []),
 ('8005797', ['Zimbabwe', 'Africa'], []),
 ('8011004', ['Kabul', 'Afghanistan', 'London', 'Nangarhar'],
             ['Waziristan: The Last Stand']),
 ('8009314', ['Balochistan', 'Sibi', 'Peshawar', 'Quetta', 'Pakistan', 'United States', 'Punjab',
              'China', 'Gwadar', 'Afghanistan', 'Islamabad'], []),
 ('8007760', ['Pakistan', 'Balochistan', 'Quetta', 'Peshawar', 'Khyber Pakhtunkhwa', 'Sibi',
              'Paneer', 'United States', 'China', 'Gwadar', 'Afghanistan', 'Islamabad', 'Punjab',
              'Kalat'], []),
 ('8009973', ['China', 'Xinjiang', 'New York City', 'New York', 'U.S.', 'Israel',
              'United States', 'Australia', 'Spain', 'Argentina', 'Japan', 'Thailand',
              'Hong Kong'],
             ['China Newsweek', 'China Public Diplomacy Association']),
 ('8004380', ['U.S.', 'Mexico', 'Canada', 'China', 'United States', 'America'], []),
 ('8009714', ['U.S.', 'Gaza', 'New York', 'Louisiana', 'United States', 'America'], []),
 ('6203525', ['Myanmar', 'Aungban', 'Shan', 'Yangon'], []),
 ('6205546', ['Beijing', 'China', 'South China Sea', 'U.S.', 'Australia', 'Brunei', 'Malaysia',
              'Philippines', 'Taiwan', 'Vietnam', 'Hong Kong', 'Borneo', 'Washington',
              'United States', 'Hawaii', 'East China Sea', 'Japan'],
             ['University of New South Wales',
              'Daniel K. Inouye Asia-Pacific Center for Security Studies']),
 ('6203336', ['Kenya', 'Somalia', 'Indian Ocean', 'Mogadishu', 'Nairobi'], []),
 ('6204569', ['Somalia', 'Afisiyoni', 'Puntland', 'Jubaland', 'U.S.', 'United States'],
             ['University of Somalia']),
 ('6205843', ['Copenhagen', 'Beijing', 'China', 'Australia', 'Washington', 'U.S.',
              'United States'],
             ['Copenhagen Charter']),
 ('6181316', ['Central Java Province', 'Central Java', 'Indonesia', 'Solo', 'Southeast Asia',
              'West Java', 'Bali'],
             ['Dog Meat Free Indonesia']),
 ('6181245', ['Vietnam', 'Asia', 'Singapore', 'Thailand', 'Taiwan', 'Ho Chi Minh City',
              'Southeast Asia', 'Asia Pacific', 'China', 'South Korea', 'Phu Quoc', 'Da Nang',
              'North America'],
             ['Vietnam Investment Review', 'Tourism Authority of Thailand', 'Healthcare Asia',
              'TTG Asia', 'Singapore dollars', 'Vietnam War']),
 ('7846440', [], ['University of Nairobi']),
 ('7746511', ['Nigeria', 'Africa', 'Bayelsa', 'Cross River', 'Ogun', 'Lagos'],
             ['Nigeria Center for Disease Control and Prevention', 'Breakthrough Action Nigeria']),
 ('7638284', ['Taiwan', 'U.S.', 'China', 'Russia', 'Ukraine', 'North Korea', 'Iran', 'Asia',
              'Beijing', 'Philippines', 'United States', 'Scarborough Shoal',
              'Second Thomas reef', 'Taiwan Strait', 'Japan', 'Korea'], []),
 ('7742331', ['China', 'Japan', 'Okinawa', 'Tokyo', 'Hong Kong', 'Beijing', 'Taiwan'], []),
 ('7836916', ['Phnom Penh', 'U.S.', 'Cambodia'],
             ['The Cambodia Daily', 'The Phnom Penh Post']),
]

from voa_places_lib import write

if __name__ == "__main__":
    write(S, G, G_COUNTRY, OUT, "voa_places_fresh5.py", "conventions as voa-fresh.tsv (README.md)")
