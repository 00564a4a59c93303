#!/usr/bin/env python3
"""Regenerate the held-out VOA event-location gold set.

Plain Python only; does not import or call dyad.  It reads the VOA stories,
splits them into sentences with a fixed regex splitter, finds every word form
of the event lemmas, and applies the hand decisions below:

  KEEP  -- verb occurrences that are event verbs, with their LOCATION span(s)
  SKIP  -- every other regex hit, with the reason it is not an event verb

Every regex hit must be in exactly one of KEEP or SKIP (asserted), so nothing
is dropped silently.  Output: gold/event_location/labeled_text.jsonl, ONE JSON
array in the style of Halterman (2019) `source: "RELABEL"` records.

Usage:  python3 scripts/voa_event_location_gold.py [--stories PATH] [--out PATH]
"""
import argparse
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_STORIES = "/work/shared/corpora/voa/voa_stories.jsonl"
DEFAULT_OUT = os.path.join(REPO, "gold", "event_location", "labeled_text.jsonl")

# Batch 1: 44 stories.
STORIES_B1 = """8011117 8008456 8010779 8008998 8009771 8005869 8009044 8007739 8008126
8010057 6205629 6203896 6203091 6204681 6205674 6202623 6206085 6205512 6205696
6204080 6205362 6184384 6184244 6181504 6180206 6181132 6183227 6180015 6180932
6183254 6181522 7810159 7678740 7677701 7686618 7808748 6180705 6180790 6181235
6183074 6202743 7750892 7846440 8010657""".split()

# The data set's own 14 gold verbs (Halterman 2019).
DATA_SET_VERBS = {"kill", "capture", "shoot", "detonate", "demonstrate", "patrol",
                  "march", "bomb", "liberate", "destroy", "shell", "protest",
                  "secure", "burn"}

FORMS = {
    "kill": "kill|kills|killed|killing",
    "capture": "capture|captures|captured|capturing",
    "shoot": "shoot|shoots|shot|shooting",
    "detonate": "detonate|detonates|detonated|detonating",
    "demonstrate": "demonstrate|demonstrates|demonstrated|demonstrating",
    "patrol": "patrol|patrols|patrolled|patrolling",
    "march": "march|marches|marched|marching",
    "bomb": "bomb|bombs|bombed|bombing",
    "liberate": "liberate|liberates|liberated|liberating",
    "destroy": "destroy|destroys|destroyed|destroying",
    "shell": "shell|shells|shelled|shelling",
    "protest": "protest|protests|protested|protesting",
    "secure": "secure|secures|secured|securing",
    "burn": "burn|burns|burned|burnt|burning",
    "attack": "attack|attacks|attacked|attacking",
    "arrest": "arrest|arrests|arrested|arresting",
    "detain": "detain|detains|detained|detaining",
    "seize": "seize|seizes|seized|seizing",
    "raid": "raid|raids|raided|raiding",
    "strike": "strike|strikes|struck|striking",
    "clash": "clash|clashes|clashed|clashing",
    "fire": "fire|fires|fired|firing",
    "abduct": "abduct|abducts|abducted|abducting",
    "kidnap": "kidnap|kidnaps|kidnapped|kidnapping",
    "deploy": "deploy|deploys|deployed|deploying",
    "rally": "rally|rallies|rallied|rallying",
    "meet": "meet|meets|met|meeting",
    "visit": "visit|visits|visited|visiting",
    "sanction": "sanction|sanctions|sanctioned|sanctioning",
    "expel": "expel|expels|expelled|expelling",
}
PAT = re.compile(r"\b(" + "|".join(f"(?P<{k}>{v})" for k, v in FORMS.items()) + r")\b", re.I)

# ---------------------------------------------------------------- splitter
ABBR = {"U.S.", "U.N.", "U.K.", "E.U.", "Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Gens.",
        "Lt.", "Col.", "Sgt.", "St.", "Sen.", "Rep.", "Gov.", "Jan.", "Feb.", "Aug.",
        "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "No.", "Jr.", "Inc.", "Corp.", "vs.",
        "Prof.", "Maj.", "Capt.", "Adm."}
# "U.S." etc. may end a sentence: split after them only before a common opener.
OPENERS = {"The", "A", "An", "He", "She", "It", "They", "We", "In", "On", "At", "But",
           "And", "That", "This", "These", "Those", "His", "Her", "Their", "Its", "I",
           "As", "After", "Since", "While", "When", "Some", "Many", "Meanwhile",
           "However", "According"}


def split(text):
    """Return (start, end) character offsets of the sentences of `text`."""
    out, start = [], 0
    for m in re.finditer(r'[.!?]["”’)]*\s+(?=["“‘(]?[A-Z0-9])', text):
        pre = text[start:m.start() + 1].split()
        lastw = pre[-1].lstrip('“"‘(') if pre else ""
        nxt = text[m.end():].split(None, 1)
        nxtw = nxt[0].lstrip('“"‘(') if nxt else ""
        closing = text[m.start() + 1:m.end()].rstrip()
        if lastw in ABBR and not closing:
            if not (lastw in ("U.S.", "U.N.", "U.K.", "E.U.") and nxtw in OPENERS):
                continue
        if re.fullmatch(r"[A-Z]\.", lastw) and not closing:  # an initial
            continue
        out.append((start, m.start() + 1 + len(closing)))
        start = m.end()
    if start < len(text.rstrip()):
        out.append((start, len(text.rstrip())))
    return out


# ---------------------------------------------------------------- decisions
# KEEP: (story, sentence index, verb start in sentence, verb word, lemma,
#        [LOCATION strings, each found as its first occurrence in the sentence,
#         or (string, occurrence_index)])
KEEP = [
    ("8008998", 0, 79, "arrested", "arrest", []),        # "in Zimbabwe" places the judge/court, not the arrest
    ("8008998", 7, 20, "expelled", "expel", []),         # expelled from a party: political act, no place
    ("8008998", 28, 99, "detained", "detain", []),
    ("8008998", 30, 50, "arrested", "arrest", []),
    ("8005869", 2, 66, "expelled", "expel", []),          # Diego Garcia locates the base (purpose clause), not stated as place of expulsion
    ("8009044", 1, 148, "meet", "meet", ["Washington"]),
    ("8008126", 0, 100, "kill", "kill", ["New York"]),
    ("8008126", 1, 40, "arrested", "arrest", ["Brooklyn"]),
    ("8008126", 8, 62, "kill", "kill", []),
    ("8008126", 15, 23, "kill", "kill", []),              # "there" is not a place name
    ("8008126", 20, 171, "kill", "kill", []),
    ("8008126", 26, 25, "kill", "kill", []),
    ("8008126", 31, 62, "kidnap", "kidnap", []),
    ("8010057", 18, 18, "detained", "detain", ["Guantanamo"]),
    ("8010057", 19, 85, "detaining", "detain", ["Guantanamo"]),
    ("6205629", 9, 153, "capturing", "capture", []),
    ("6205629", 10, 60, "killed", "kill", []),
    ("6205629", 16, 66, "killing", "kill", []),           # "Afghan civilians": nationality, not place
    ("6205629", 20, 62, "detonated", "detonate", []),
    ("6203896", 0, 113, "killed", "kill", ["Ivory Coast"]),  # Paris = place of the trial, not the killing
    ("6203896", 8, 41, "destroying", "destroy", []),      # "Ivory Coast's air force": owner, not a locative
    ("6204681", 0, 42, "visit", "visit", ["India", "Philippines"]),
    ("6204681", 0, 133, "meeting", "meet", []),           # "U.S." = Biden's nationality
    ("6204681", 1, 28, "meeting", "meet", []),            # "India's Prime Minister": actor, not a locative
    ("6205674", 4, 43, "fired", "fire", []),
    ("6205674", 7, 36, "attacks", "attack", ["Jerusalem"]),
    ("6205674", 9, 54, "met", "meet", []),
    ("6205674", 13, 43, "killed", "kill", []),
    ("6202623", 0, 68, "killed", "kill", ["L'Estere"]),  # Gonaives / Haiti's north: reference point / container
    ("6202623", 2, 46, "killed", "kill", []),
    ("6202623", 3, 63, "killed", "kill", []),
    ("6202623", 8, 29, "arrested", "arrest", []),
    ("6202623", 12, 73, "kidnapping", "kidnap", ["National Highway #1"]),
    ("6202623", 12, 88, "attacking", "attack", ["National Highway #1"]),
    ("6202623", 25, 59, "killed", "kill", []),
    ("6202623", 32, 106, "detained", "detain", []),      # "there" is not a place name
    ("6202623", 43, 117, "detaining", "detain", []),
    ("6205512", 1, 112, "protest", "protest", ["Mvog-Ada"]),  # sit-in held at the Mvog-Ada market
    ("6184384", 5, 82, "attacked", "attack", []),
    ("6184384", 5, 105, "killing", "kill", []),
    ("6184384", 22, 43, "killed", "kill", []),            # "the forest": not a place name
    ("6184384", 27, 33, "attacking", "attack", []),       # Somalia = where soldiers were sent (another event)
    ("6184384", 29, 21, "killed", "kill", []),
    ("6184244", 9, 214, "detained", "detain", ["North Korea"]),
    ("6184244", 11, 6, "met", "meet", ["Singapore"]),
    ("6184244", 18, 92, "meet", "meet", []),
    ("6184244", 19, 155, "meet", "meet", []),             # Washington = where O'Brien spoke
    ("6184244", 30, 59, "meet", "meet", []),
    ("6180206", 2, 30, "march", "march", ["Khartoum"]),
    ("6180206", 4, 98, "seize", "seize", []),
    ("6180206", 9, 36, "protesting", "protest", []),     # "Sudanese": nationality
    ("6183227", 8, 150, "killed", "kill", ["Sado Khelo"]),  # Deh Yak / Ghazni: containers
    ("6183227", 11, 133, "killed", "kill", []),
    ("6180015", 4, 54, "destroy", "destroy", []),
    ("6180015", 44, 16, "meet", "meet", ["Turkey"]),
    ("6180932", 14, 125, "sanctioned", "sanction", []),
    ("6181522", 5, 108, "shot", "shoot", []),             # "leader of opposition in Tanzania": names the actor
    ("6181522", 11, 110, "meet", "meet", ["South Africa"]),  # meeting is the purpose of the visit to South Africa
    ("7810159", 24, 102, "visited", "visit", ["Taiwan"]),
    ("7686618", 2, 43, "attacked", "attack", ["Bocaranga", "Bazoum"]),  # villages between the two towns
    ("7686618", 5, 81, "deployed", "deploy", []),
    ("7686618", 8, 125, "attack", "attack", []),
    ("7686618", 9, 175, "deployed", "deploy", []),        # "in the Central African Republic" is part of MINUSCA's name
    ("7686618", 10, 51, "seized", "seize", []),
    ("7686618", 10, 104, "captured", "capture", []),
    ("7686618", 12, 227, "attacked", "attack", []),
    ("7686618", 16, 41, "met", "meet", ["Bangui"]),
    ("7686618", 19, 181, "attacked", "attack", []),       # Cameroon = where rebels escape to
    ("7686618", 20, 38, "killing", "kill", []),
    ("7686618", 21, 111, "seized", "seize", []),          # CAR is subject of the main clause, no locative for the seizure
    ("7686618", 22, 134, "killing", "kill", []),
    ("7808748", 13, 38, "visited", "visit", ["Europe"]),
    ("7808748", 13, 75, "met", "meet", []),               # "in the EU, Belgium, ..." describes the officials' remit
    ("6202743", 0, 69, "kidnapped", "kidnap", ["Zamfara"]),
    ("6202743", 4, 134, "attacked", "attack", []),
    ("6202743", 4, 146, "kidnapped", "kidnap", []),
    ("6202743", 6, 68, "abducted", "abduct", []),
    ("6202743", 7, 81, "kidnapped", "kidnap", ["Jangebe"]),
    ("7750892", 25, 89, "seized", "seize", ["Afghanistan"]),  # object of "seized control of"
    ("6181235", 34, 74, "meet", "meet", []),
]

# SKIP: (story, sentence index, verb start) -> reason code
#   noun   : the word is a noun (or a noun-like gerund "the X of", "too much X")
#   adj    : prenominal adjectival participle / adjective ("killed journalists", "secure prison")
#   sense  : not the event sense (secure a loan/release, demonstrate = show,
#            meet a target, strike a deal, struck on an idea, seized on remarks,
#            marching in lockstep, capture sentiment, coal-fired, deploy renewables)
#   nonpol : not a political/conflict event (bushfires burning, escapees met by accomplices,
#            women barred from visiting parks)
#   fig    : figurative aphorism ("you must be liberated ... liberate yourself")
#   name   : part of a title ("Meet the Press"; batch 2 only)
SKIP = {
    ("8008456", 3, 136): "noun", ("8008456", 23, 44): "noun",
    ("8008998", 5, 54): "noun", ("8008998", 6, 4): "noun", ("8008998", 6, 159): "noun",
    ("8008998", 8, 36): "noun", ("8008998", 10, 10): "noun", ("8008998", 14, 24): "noun",
    ("8008998", 18, 29): "noun", ("8008998", 24, 26): "adj", ("8008998", 30, 102): "noun",
    ("8008998", 31, 96): "noun",
    ("8009771", 4, 155): "noun", ("8009771", 5, 210): "noun", ("8009771", 24, 72): "sense",
    ("8005869", 11, 75): "sense", ("8005869", 17, 24): "noun", ("8005869", 20, 112): "noun",
    ("8005869", 30, 74): "sense",
    ("8009044", 0, 90): "sense", ("8009044", 6, 55): "sense", ("8009044", 10, 131): "sense",
    ("8009044", 16, 152): "noun", ("8009044", 36, 114): "sense",
    ("8007739", 21, 73): "noun",
    ("8010057", 7, 57): "adj", ("8010057", 7, 79): "adj", ("8010057", 17, 78): "sense",
    ("6205629", 5, 52): "noun", ("6205629", 6, 68): "noun", ("6205629", 9, 41): "noun",
    ("6205629", 20, 78): "noun", ("6205629", 22, 5): "noun", ("6205629", 23, 53): "noun",
    ("6205629", 28, 90): "noun",
    ("6203896", 0, 45): "noun", ("6203896", 2, 30): "noun", ("6203896", 3, 76): "noun",
    ("6203896", 5, 96): "noun", ("6203896", 8, 31): "noun", ("6203896", 9, 17): "noun",
    ("6203896", 11, 138): "noun", ("6203896", 12, 26): "noun", ("6203896", 14, 93): "noun",
    ("6204681", 3, 43): "noun", ("6204681", 4, 48): "noun", ("6204681", 9, 96): "sense",
    ("6204681", 19, 165): "noun", ("6204681", 26, 89): "noun",
    ("6205674", 2, 117): "noun", ("6205674", 5, 141): "noun", ("6205674", 9, 34): "noun",
    ("6205674", 11, 71): "noun",
    ("6202623", 1, 11): "noun", ("6202623", 1, 28): "noun", ("6202623", 2, 20): "noun",
    ("6202623", 18, 10): "nonpol", ("6202623", 20, 127): "adj", ("6202623", 38, 143): "noun",
    ("6206085", 0, 4): "noun", ("6206085", 2, 18): "noun", ("6206085", 4, 10): "noun",
    ("6206085", 21, 104): "noun",
    ("6205696", 2, 75): "sense", ("6205696", 25, 94): "sense",
    ("6204080", 16, 128): "noun", ("6204080", 23, 122): "noun",
    ("6205362", 27, 76): "sense", ("6205362", 28, 116): "sense", ("6205362", 33, 40): "sense",
    ("6205362", 46, 12): "noun",
    ("6184384", 2, 69): "noun", ("6184384", 5, 64): "noun", ("6184384", 21, 127): "noun",
    ("6184244", 13, 96): "noun", ("6184244", 27, 74): "noun", ("6184244", 27, 133): "noun",
    ("6181504", 2, 96): "sense",
    ("6180206", 3, 179): "noun", ("6180206", 21, 52): "noun",
    ("6183227", 3, 131): "noun",
    ("6180015", 0, 180): "noun", ("6180015", 5, 24): "noun", ("6180015", 6, 104): "noun",
    ("6180015", 7, 94): "noun", ("6180015", 17, 72): "noun", ("6180015", 18, 36): "noun",
    ("6180015", 22, 8): "noun", ("6180015", 23, 104): "noun", ("6180015", 24, 106): "noun",
    ("6180015", 26, 92): "noun", ("6180015", 39, 89): "sense",
    ("6180932", 0, 63): "noun", ("6180932", 6, 163): "noun", ("6180932", 8, 0): "noun",
    ("6180932", 35, 46): "noun", ("6180932", 36, 130): "noun", ("6180932", 38, 36): "noun",
    ("6180932", 41, 20): "noun", ("6180932", 42, 14): "noun",
    ("6183254", 4, 30): "noun",
    ("6181522", 0, 123): "noun", ("6181522", 9, 55): "noun", ("6181522", 11, 85): "noun",
    ("6181522", 14, 20): "fig", ("6181522", 14, 66): "fig", ("6181522", 16, 137): "sense",
    ("7810159", 3, 35): "sense", ("7810159", 7, 69): "noun",
    ("7678740", 0, 78): "sense",
    ("7677701", 4, 22): "noun", ("7677701", 8, 294): "noun", ("7677701", 9, 65): "noun",
    ("7677701", 10, 118): "noun", ("7677701", 13, 5): "noun", ("7677701", 15, 94): "noun",
    ("7686618", 3, 114): "noun", ("7686618", 18, 82): "noun",
    ("7808748", 18, 51): "noun",
    ("6180705", 0, 40): "nonpol", ("6180705", 5, 47): "noun", ("6180705", 6, 4): "noun",
    ("6180705", 9, 48): "noun", ("6180705", 11, 9): "nonpol", ("6180705", 21, 58): "noun",
    ("6180790", 5, 166): "sense", ("6180790", 6, 79): "sense", ("6180790", 20, 134): "sense",
    ("6180790", 26, 59): "sense",
    ("6181235", 10, 77): "noun", ("6181235", 11, 103): "noun", ("6181235", 12, 133): "noun",
    ("6181235", 21, 76): "noun", ("6181235", 32, 100): "noun", ("6181235", 33, 82): "noun",
    ("6181235", 36, 122): "noun", ("6181235", 37, 36): "noun",
    ("6202743", 5, 61): "noun", ("6202743", 7, 39): "sense", ("6202743", 7, 123): "noun",
    ("6202743", 11, 28): "noun", ("6202743", 13, 4): "noun",
    ("7750892", 20, 130): "nonpol", ("7750892", 23, 38): "noun", ("7750892", 26, 62): "noun",
}

# ================================================================ batch 2
# 45 further VOA stories.  These stories had been used by the project for other
# gold sets (VOA event gold, place gold) but had not been read for event
# locations.  Same regex candidates, same rules, same KEEP/SKIP discipline.
STORIES_B2 = """8011115 8010694 8010476 8010842 8010030 8007271 8005899 8011218 8010588
8009853 8009719 8009027 8008619 8008152 8008079 8006503 8005797 8010418 8009495
8011076 8011004 8009976 8009314 8007760 8006651 8008697 8009973 8006723 8010046
8008349 8006924 8004380 8009004 8009714 6203525 6205546 6203336 6204569 6205843
6181316 6181245 7746511 7638284 7742331 7836916""".split()

KEEP_B2 = [
    ("8011115", 0, 69, "killed", "kill", []),              # "U.S. and Iraqi" = officials
    ("8011115", 3, 95, "killed", "kill", ["Anbar"]),       # airstrike targeting his location in Iraq's Anbar desert; Iraq = container
    ("8011115", 5, 47, "killed", "kill", []),              # "leader of ISIS in Iraq": names the actor
    ("8011115", 8, 102, "killed", "kill", []),             # "in the Middle East" describes CENTCOM's remit
    ("8011115", 11, 29, "arrested", "arrest", ["Anbar"]),  # "in a follow-up operation in Anbar"
    ("8010694", 6, 172, "clashed", "clash", ["Syria"]),    # "Syria's coastal region, where ... clashed": region unnamed, Syria most specific name
    ("8010476", 6, 35, "sanctioned", "sanction", []),
    ("8010476", 6, 172, "sanctioned", "sanction", []),
    ("8010842", 26, 121, "meet", "meet", []),              # "from the U.S. and China" = actors
    ("8005899", 6, 97, "met", "meet", ["Jeddah"]),         # Red Sea = reference point
    ("8009853", 20, 82, "bombed", "bomb", []),             # predicative participle in a list; "in this chamber" = statements
    ("8008152", 0, 36, "killed", "kill", []),              # Beledweyne places the siege (relative clause), not the killing
    ("8008152", 0, 131, "killed", "kill", []),             # "Security forces in Somalia" = actor
    ("8008152", 2, 63, "attacked", "attack", []),          # "a hotel": unnamed
    ("8008152", 2, 133, "meeting", "meet", []),            # elders and security officials; "a hotel": unnamed
    ("8008152", 5, 46, "shot", "shoot", []),
    ("8008152", 6, 104, "killed", "kill", []),
    ("8008152", 9, 41, "killed", "kill", []),
    ("8008152", 10, 36, "killed", "kill", []),
    ("8008152", 11, 11, "kill", "kill", []),               # fused subheading "Airstrikes kill 50 militants"; Hirshabelle belongs to the later clause
    ("8008152", 11, 170, "killed", "kill", ["Hirshabelle"]),
    ("8008152", 12, 105, "killed", "kill", ["Middle Shabelle"]),  # "airstrikes ... in the Middle Shabelle region"
    ("8008152", 13, 70, "killed", "kill", []),             # Damasha/Shabeelow = object of the other coordinated verb "targeted"
    ("8008152", 18, 36, "seized", "seize", []),            # seized data in a security operation
    ("8008079", 20, 338, "visit", "visit", ["Maldives"]),
    ("8006503", 1, 115, "meeting", "meet", ["Qahira"]),    # "at the Qahira Hotel in central Somalia": kind word dropped; Somalia = container
    ("8006503", 2, 6, "attacked", "attack", []),           # "the hotel": unnamed
    ("8006503", 3, 62, "killed", "kill", []),
    ("8006503", 11, 38, "killed", "kill", []),
    ("8010418", 4, 84, "killed", "kill", []),              # a war killed 100,000
    ("8011076", 1, 196, "killed", "kill", []),
    ("8011076", 2, 40, "killed", "kill", []),
    ("8011076", 4, 89, "killed", "kill", []),              # "the Pakistan military" = actor
    ("8011076", 11, 52, "killed", "kill", []),             # "Baloch" = descriptor
    ("8011076", 22, 70, "killed", "kill", ["Pakistan"]),
    ("8011004", 12, 17, "seized", "seize", []),            # "in Afghanistan" belongs to imposing measures on women
    ("8009976", 2, 294, "attacked", "attack", ["Sibi"]),   # "near Sibi, Balochistan": Balochistan = container
    ("8009976", 13, 95, "shooting", "shoot", []),
    ("8009314", 0, 205, "killed", "kill", []),             # Balochistan places the hostage-taking (another event)
    ("8009314", 3, 6, "shot", "shoot", []),                # "on the train": unnamed
    ("8009314", 3, 15, "killed", "kill", []),
    ("8009314", 6, 63, "shot", "shoot", []),
    ("8009314", 7, 45, "shot", "shoot", []),
    ("8009314", 8, 38, "killed", "kill", []),
    ("8009314", 20, 148, "killed", "kill", []),
    ("8009314", 21, 41, "killed", "kill", []),
    ("8009314", 23, 40, "killed", "kill", []),
    ("8007760", 0, 90, "killed", "kill", []),              # Balochistan places the train attack a day earlier (another event)
    ("8007760", 10, 15, "kill", "kill", []),               # Balochistan prisons = where prisoners are held
    ("8007760", 40, 44, "detonated", "detonate", ["Kalat"]),  # near a convoy in Balochistan's Kalat district
    ("8007760", 40, 132, "killing", "kill", ["Kalat"]),    # result participle shares the place of its clause
    ("8007760", 41, 89, "killed", "kill", []),             # "in Kalat" is inside the other coordinated VP (ambushed ... transporting)
    ("8007760", 42, 34, "killed", "kill", []),             # "in the city": unnamed
    ("8007760", 42, 99, "attacking", "attack", []),        # China = operator of the company
    ("8007760", 42, 128, "securing", "secure", []),        # military vehicle guarding a convoy
    ("8006651", 0, 10, "attacked", "attack", ["Balochistan"]),  # Pakistan = container
    ("8006651", 7, 40, "killed", "kill", []),
    ("8006651", 29, 44, "detonated", "detonate", ["Kalat"]),
    ("8006651", 29, 132, "killing", "kill", ["Kalat"]),
    ("8006651", 30, 89, "killed", "kill", []),
    ("8006651", 31, 39, "killed", "kill", []),
    ("8006651", 31, 104, "attacking", "attack", []),
    ("8006651", 31, 133, "securing", "secure", []),
    ("8008697", 32, 42, "detained", "detain", ["Angel Island"]),  # "at the Angel Island Immigration Station": kind words dropped
    ("8006723", 1, 101, "arresting", "arrest", []),        # "it" = Thailand, the actor
    ("8010046", 12, 25, "arrested", "arrest", []),
    ("8010046", 24, 61, "sanctioned", "sanction", []),
    ("8010046", 31, 199, "killed", "kill", ["Malta"]),
    ("8009714", 21, 129, "arrested", "arrest", []),
    ("8009714", 21, 142, "detained", "detain", []),
    ("6203525", 0, 156, "killed", "kill", ["Aungban"]),    # Shan state = container
    ("6203525", 11, 38, "arrested", "arrest", []),
    ("6203525", 12, 33, "arrested", "arrest", []),
    ("6205546", 17, 197, "firing", "fire", []),            # "authorizes firing on foreign vessels": gerund with its argument
    ("6205843", 0, 63, "sanctioned", "sanction", []),      # Copenhagen = the Alliance's headquarters
    ("7638284", 4, 38, "met", "meet", ["Taiwan"]),         # "During your visit to Taiwan, you met ...": the trip's place
    ("7638284", 8, 6, "met", "meet", []),
    ("7638284", 33, 48, "visited", "visit", ["China"]),
    ("7638284", 55, 76, "patrolling", "patrol", []),       # "the area": unnamed
]

#   name   : the word is part of a title ("Meet the Press")
SKIP_B2 = {
    ("8011115", 1, 104): "noun", ("8011115", 4, 57): "noun", ("8011115", 8, 232): "noun",
    ("8011115", 10, 25): "noun", ("8011115", 12, 72): "noun", ("8011115", 18, 154): "noun",
    ("8011115", 24, 115): "sense",
    ("8010694", 1, 100): "noun", ("8010694", 2, 37): "sense", ("8010694", 8, 134): "noun",
    ("8010476", 17, 278): "noun", ("8010476", 18, 276): "noun", ("8010476", 22, 99): "noun",
    ("8010842", 0, 181): "noun", ("8010842", 2, 113): "noun",
    ("8010030", 13, 168): "noun", ("8010030", 15, 39): "noun",
    ("8007271", 6, 17): "noun",
    ("8005899", 7, 20): "noun", ("8005899", 15, 25): "sense", ("8005899", 22, 26): "noun",
    ("8011218", 24, 22): "noun",
    ("8010588", 18, 165): "nonpol",                       # animals kill people
    ("8009853", 1, 214): "noun",
    ("8009719", 5, 81): "nonpol", ("8009719", 18, 43): "nonpol",  # floods / cyclone
    ("8009027", 1, 56): "noun", ("8009027", 1, 75): "noun",
    ("8008619", 1, 150): "noun", ("8008619", 3, 156): "sense", ("8008619", 18, 128): "sense",
    ("8008152", 3, 83): "noun", ("8008152", 8, 37): "noun", ("8008152", 9, 59): "noun",
    ("8008152", 9, 75): "noun", ("8008152", 10, 19): "noun", ("8008152", 13, 198): "noun",
    ("8008079", 1, 56): "noun", ("8008079", 3, 134): "adj", ("8008079", 6, 165): "noun",
    ("8008079", 8, 186): "sense", ("8008079", 8, 220): "sense", ("8008079", 13, 205): "noun",
    ("8006503", 8, 178): "noun", ("8006503", 10, 81): "noun", ("8006503", 13, 5): "noun",
    ("8010418", 1, 55): "noun", ("8010418", 5, 19): "noun", ("8010418", 7, 40): "noun",
    ("8010418", 11, 168): "noun", ("8010418", 17, 17): "noun",
    ("8009495", 28, 11): "sense",                         # verbal attack on a newspaper
    ("8011076", 1, 218): "noun", ("8011076", 2, 54): "noun", ("8011076", 10, 28): "noun",
    ("8011076", 11, 89): "noun", ("8011076", 14, 55): "noun", ("8011076", 17, 102): "noun",
    ("8011004", 24, 6): "noun",
    ("8009976", 2, 85): "noun", ("8009976", 3, 64): "noun", ("8009976", 4, 25): "noun",
    ("8009976", 5, 9): "noun", ("8009976", 5, 51): "noun", ("8009976", 9, 60): "noun",
    ("8009976", 11, 10): "noun", ("8009976", 16, 211): "noun", ("8009976", 21, 46): "noun",
    ("8009314", 16, 4): "noun", ("8009314", 16, 100): "noun", ("8009314", 16, 113): "noun",
    ("8009314", 17, 71): "noun", ("8009314", 22, 51): "noun", ("8009314", 24, 2): "noun",
    ("8009314", 27, 80): "noun", ("8009314", 32, 95): "noun", ("8009314", 33, 16): "noun",
    ("8009314", 35, 36): "noun",
    ("8007760", 0, 127): "noun", ("8007760", 1, 154): "noun", ("8007760", 1, 167): "noun",
    ("8007760", 4, 23): "noun", ("8007760", 6, 82): "noun", ("8007760", 11, 42): "noun",
    ("8007760", 13, 5): "noun", ("8007760", 13, 36): "noun", ("8007760", 13, 169): "noun",
    ("8007760", 14, 47): "noun", ("8007760", 17, 115): "noun", ("8007760", 18, 189): "noun",
    ("8007760", 21, 107): "noun", ("8007760", 31, 86): "noun", ("8007760", 32, 14): "noun",
    ("8007760", 36, 55): "noun", ("8007760", 37, 36): "noun", ("8007760", 39, 7): "noun",
    ("8007760", 39, 70): "noun", ("8007760", 42, 23): "noun", ("8007760", 43, 87): "noun",
    ("8006651", 1, 193): "noun", ("8006651", 2, 66): "noun", ("8006651", 3, 75): "noun",
    ("8006651", 8, 107): "noun", ("8006651", 13, 117): "noun", ("8006651", 14, 194): "noun",
    ("8006651", 16, 57): "noun", ("8006651", 25, 53): "noun", ("8006651", 26, 36): "noun",
    ("8006651", 28, 7): "noun", ("8006651", 28, 70): "noun", ("8006651", 31, 28): "noun",
    ("8006651", 32, 87): "noun",
    ("8009973", 30, 223): "nonpol",                       # influencers visiting cities
    ("8006723", 21, 17): "nonpol",                        # rights-group head visiting prisoners
    ("8006723", 24, 113): "adj",                          # "its detained centers"
    ("8010046", 1, 161): "noun", ("8010046", 5, 36): "noun", ("8010046", 18, 93): "noun",
    ("8010046", 19, 49): "noun", ("8010046", 26, 45): "noun",
    ("8006924", 23, 72): "adj",                           # predicative adjective "more secure"
    ("8004380", 1, 105): "name",                          # "Meet the Press"
    ("8009004", 6, 207): "noun", ("8009004", 9, 154): "noun", ("8009004", 13, 140): "noun",
    ("8009004", 14, 43): "noun", ("8009004", 16, 43): "noun", ("8009004", 20, 163): "noun",
    ("8009004", 23, 35): "noun",
    ("8009714", 0, 11): "noun", ("8009714", 0, 155): "noun",
    ("6203525", 1, 5): "noun", ("6203525", 1, 53): "noun", ("6203525", 5, 170): "noun",
    ("6203525", 8, 73): "noun",
    ("6204569", 23, 25): "noun", ("6204569", 24, 39): "noun", ("6204569", 26, 12): "noun",
    ("6204569", 28, 42): "noun", ("6204569", 29, 36): "noun",
    ("6205843", 9, 195): "noun", ("6205843", 9, 215): "noun", ("6205843", 13, 74): "adj",
    ("6181316", 7, 46): "noun", ("6181316", 12, 106): "nonpol", ("6181316", 17, 41): "nonpol",
    ("6181245", 21, 80): "nonpol", ("6181245", 30, 37): "nonpol",  # tourists / patients
    ("7746511", 18, 77): "nonpol",
    ("7638284", 4, 17): "noun", ("7638284", 50, 78): "noun", ("7638284", 61, 30): "noun",
    ("7836916", 12, 12): "noun",
}

STORIES = STORIES_B1 + STORIES_B2
assert len(set(STORIES)) == len(STORIES), "a story is in both batches"
BATCH = {**{sid: 1 for sid in STORIES_B1}, **{sid: 2 for sid in STORIES_B2}}
assert not set(SKIP) & set(SKIP_B2)
ALL_KEEP = KEEP + KEEP_B2
ALL_SKIP = {**SKIP, **SKIP_B2}
for _k in KEEP:
    assert BATCH[_k[0]] == 1
for _k in KEEP_B2:
    assert BATCH[_k[0]] == 2
for _k in SKIP:
    assert BATCH[_k[0]] == 1
for _k in SKIP_B2:
    assert BATCH[_k[0]] == 2


def load(path):
    stories = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if str(o["id"]) in STORIES:
                stories[str(o["id"])] = o
    missing = set(STORIES) - set(stories)
    assert not missing, f"stories not found: {sorted(missing)}"
    return stories


def find_loc(sent, loc):
    s, occ = (loc, 0) if isinstance(loc, str) else loc
    i = -1
    for _ in range(occ + 1):
        i = sent.find(s, i + 1)
        assert i >= 0, f"location {s!r} not found in {sent!r}"
    return i, i + len(s), s


def build(stories):
    sents = {}
    hits = set()
    for sid in STORIES:
        text = stories[sid]["text"]
        for si, (a, b) in enumerate(split(text)):
            s = text[a:b]
            assert s == s.strip() and s in text
            sents[(sid, si)] = s
            for m in PAT.finditer(s):
                if m.group(0) == "March":  # the month
                    continue
                hits.add((sid, si, m.start()))
    keep_keys = {(k[0], k[1], k[2]) for k in ALL_KEEP}
    assert len(keep_keys) == len(ALL_KEEP), "duplicate KEEP entries"
    assert not (keep_keys & set(ALL_SKIP)), keep_keys & set(ALL_SKIP)
    undecided = hits - keep_keys - set(ALL_SKIP)
    assert not undecided, f"undecided hits: {sorted(undecided)}"
    stale = (keep_keys | set(ALL_SKIP)) - hits
    assert not stale, f"decisions for non-hits: {sorted(stale)}"

    records = []
    for sid, si, vs, vword, lemma, locs in ALL_KEEP:
        s = sents[(sid, si)]
        assert s[vs:vs + len(vword)] == vword, (sid, si, vs, vword, s[vs:vs + 20])
        spans = [{"start": vs, "end": vs + len(vword), "label": "VERB", "text": vword}]
        for loc in locs:
            ls, le, lt = find_loc(s, loc)
            spans.append({"start": ls, "end": le, "label": "LOCATION", "text": lt})
        for sp in spans:
            assert s[sp["start"]:sp["end"]] == sp["text"]
        records.append({
            "_id": f"voa-{sid}-{si}-{vs}",
            "text": s,
            "spans": spans,
            "source": "RELABEL",
            "answer": "accept",
            "meta": {"verb": lemma, "story": sid, "data_set_verb": lemma in DATA_SET_VERBS,
                     "batch": BATCH[sid]},
        })
    return records


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", default=DEFAULT_STORIES)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    records = build(load(args.stories))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(records, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for label, rs, skips in (("batch 1", [r for r in records if r["meta"]["batch"] == 1], SKIP),
                             ("batch 2", [r for r in records if r["meta"]["batch"] == 2], SKIP_B2),
                             ("all", records, ALL_SKIP)):
        n_loc = sum(any(s["label"] == "LOCATION" for s in r["spans"]) for r in rs)
        n_ds = sum(r["meta"]["data_set_verb"] for r in rs)
        n_ds_loc = sum(r["meta"]["data_set_verb"] and any(s["label"] == "LOCATION" for s in r["spans"])
                       for r in rs)
        n_spans = sum(s["label"] == "LOCATION" for r in rs for s in r["spans"])
        print(f"[{label}] records={len(rs)} with_location={n_loc} location_spans={n_spans} "
              f"data_set_verb={n_ds} data_set_verb_with_location={n_ds_loc} "
              f"stories_with_records={len({r['meta']['story'] for r in rs})}", file=sys.stderr)
        print(f"[{label}] lemmas:", dict(Counter(r["meta"]["verb"] for r in rs).most_common()),
              file=sys.stderr)
        print(f"[{label}] skip reasons:", dict(Counter(skips.values())), file=sys.stderr)


if __name__ == "__main__":
    main()
