#!/usr/bin/env python3
"""Tools for the VOA gold set (docs/annotation.md).

  voa_gold.py select    print the chosen story ids and their split
  voa_gold.py template  write gold/voa/<split>/<id>.jsonl with a mechanical sentence split
                        (never overwrites an existing file)
  voa_gold.py check [FILE...]  validate gold files (all of gold/voa/ by default)

The story file is read from ../shared/corpora/voa/voa_stories.jsonl (override with
DYAD_VOA). The split is independent of dyad: it is a plain rule-based splitter so that the
gold is made before dyad is run on the stories.
"""
import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOA = os.environ.get(
    "DYAD_VOA", os.path.join(ROOT, "..", "shared", "corpora", "voa", "voa_stories.jsonl")
)
GOLD = os.path.join(ROOT, "gold", "voa")
SEED = 2026
N_STORIES = 42
N_TEST = 14

TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
AUX = {"negation", "future", "hypothetical", "historical"}
SPECIAL = {"IGO", "UNO", "EUR", "NGO", "IMG", "MNC", "ISM", "KOS", "PSE", "HKG"}

ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "maj", "gov", "sen", "rep",
    "st", "jr", "sr", "prof", "rev", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.u", "inc", "co",
    "corp", "ltd", "a.m", "p.m", "etc", "approx", "dept", "ft", "mt",
}


def stories():
    with open(VOA, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def selection():
    ids = sorted(s["id"] for s in stories())
    random.Random(SEED).shuffle(ids)
    chosen = ids[:N_STORIES]
    return {sid: ("test" if i < N_TEST else "dev") for i, sid in enumerate(chosen)}


def split_sentences(text):
    """Rule-based split: end punctuation (+ closing quotes) + space + capital or quote."""
    out, start = [], 0
    for m in re.finditer(r"[.?!][\"'”’)]*\s+(?=[\"“‘'(]?[A-Z0-9])", text):
        end = m.start() + 1
        while end < len(text) and text[end] in "\"'”’)":
            end += 1
        word = re.search(r"(\S+)$", text[start:m.start() + 1])
        w = word.group(1).lower().rstrip(".") if word else ""
        w = w.lstrip("(\"“‘'")
        if text[m.start()] == "." and (w in ABBREV or re.fullmatch(r"[a-z]", w)):
            continue
        out.append(text[start:end])
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].rstrip())
    return [s for s in out if s.strip()]


def template():
    by_id = {s["id"]: s for s in stories()}
    for sid, split in selection().items():
        path = os.path.join(GOLD, split, f"{sid}.jsonl")
        if os.path.exists(path):
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            for i, s in enumerate(split_sentences(by_id[sid]["text"])):
                f.write(json.dumps({"story": sid, "sent": i, "text": s, "events": []},
                                   ensure_ascii=False) + "\n")
        print(path)


def check_entity(e, where, sent, problems):
    if not isinstance(e, dict):
        problems.append(f"{where}: entity is not an object")
        return
    code = e.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code):
        problems.append(f"{where}: code {code!r} is not three capital letters")
    if not isinstance(e.get("sector", []), list):
        problems.append(f"{where}: sector must be a list")
    t = e.get("text")
    if not isinstance(t, str) or t not in sent:
        problems.append(f"{where}: entity text {t!r} is not in the sentence")


def check_event(ev, where, sent, problems):
    if ev.get("type") not in TYPES:
        problems.append(f"{where}: type {ev.get('type')!r} is not a PLOVER type")
    aux = ev.get("aux", [])
    if not isinstance(aux, list) or any(a not in AUX for a in aux):
        problems.append(f"{where}: aux {aux!r} must be a list of {sorted(AUX)}")
    if not isinstance(ev.get("trigger"), str) or ev["trigger"] not in sent:
        problems.append(f"{where}: trigger {ev.get('trigger')!r} is not in the sentence")
    for side in ("actor", "recipient"):
        lst = ev.get(side, [])
        if not isinstance(lst, list):
            problems.append(f"{where}: {side} must be a list")
            continue
        for e in lst:
            check_entity(e, f"{where} {side}", sent, problems)
    if not isinstance(ev.get("claimed", False), bool):
        problems.append(f"{where}: claimed must be true or false")
    if ev.get("claimed") and not ev.get("speaker"):
        problems.append(f"{where}: a claimed event needs a speaker")


def check_file(path, by_id):
    problems = []
    sid = os.path.basename(path).removesuffix(".jsonl")
    story = by_id.get(sid)
    if story is None:
        return [f"{path}: no story {sid} in {VOA}"]
    text, pos, n = story["text"], 0, 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            where = f"{path}:{lineno}"
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{where}: bad JSON: {e}")
                continue
            if rec.get("story") != sid:
                problems.append(f"{where}: story {rec.get('story')!r} is not {sid}")
            if rec.get("sent") != n:
                problems.append(f"{where}: sent is {rec.get('sent')!r}, expected {n}")
            n += 1
            sent = rec.get("text", "")
            at = text.find(sent, pos)
            if not sent or at < 0:
                problems.append(f"{where}: sentence not found in the story after offset {pos}")
                continue
            if text[pos:at].strip():
                problems.append(f"{where}: text skipped before it: {text[pos:at][:60]!r}")
            pos = at + len(sent)
            evs = rec.get("events")
            if not isinstance(evs, list):
                problems.append(f"{where}: events must be a list")
                continue
            for k, ev in enumerate(evs):
                check_event(ev, f"{where} event {k}", sent, problems)
    if text[pos:].strip():
        problems.append(f"{path}: story text left after the last sentence: {text[pos:][:60]!r}")
    return problems


def check(paths):
    by_id = {s["id"]: s for s in stories()}
    if not paths:
        for split in ("dev", "test"):
            d = os.path.join(GOLD, split)
            if os.path.isdir(d):
                paths += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".jsonl")]
    problems = []
    for p in paths:
        problems += check_file(p, by_id)
    for p in problems:
        print(p)
    print(f"{len(paths)} files, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "select":
        for sid, split in selection().items():
            print(sid, split)
    elif cmd == "template":
        template()
    elif cmd == "check":
        sys.exit(check(sys.argv[2:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
