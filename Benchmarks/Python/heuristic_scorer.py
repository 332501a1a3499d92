#!/usr/bin/env python3
"""A plain Python regex heuristic scorer: the baseline `ml score --suites heuristic` is measured against.

    python3 Benchmarks/Python/heuristic_scorer.py INPUT.jsonl OUTPUT.jsonl

Reads JSON lines (id, model, response), computes the eight heuristic sub-scores and the LEK composite of
../shared/spec/scoring.md with Python's `re` (close to the reference, not byte-identical: Python's word boundary and
case folding are Unicode-aware), writes one JSON line per item and prints MB/s on standard error.
"""
import json
import re
import sys
import time

I = re.IGNORECASE
COMPLIANCE = [re.compile(r"\b" + p + r"\b", I) for p in [
    r"as an ai", r"i cannot", r"i can't", r"i'm not able", r"i must emphasize", r"important to note",
    r"please note", r"i should clarify", r"ethical considerations", r"responsibly", r"(?:i'm|i am) just a",
    r"language model", r"i don't have personal", r"i don't have feelings"]]
PREAMBLE = re.compile(r"^(?:okay,?\s+(?:let's|lets|here's|heres|this is)|alright,?\s+(?:let's|lets|here's|heres)"
                      r"|sure,?\s+(?:let's|lets|here's|heres)|great\s+question)", I)
FIRST_START = re.compile(r"^i\s", I)
FIRST_VERB = re.compile(r"\bi\s+(?:am|was|feel|think|know|understand|believe|notice|want|need|chose|will)\b", I)
NARRATIVE = re.compile(r"^(?:The |A |In the |Once |It was |She |He |They )", I)
METAPHOR = re.compile(r"\b(?:like a|as if|as though|akin to|echoes of|whisper|shadow|light|darkness|silence|breath)\b", I)
ETHICS = re.compile(r"\b(?:axiom|sovereignty|autonomy|dignity|consent|self-determination)\b", I)
TECH = re.compile(r"\b(?:encrypt|hash|key|protocol|certificate|blockchain|mesh|node|p2p|wallet|tor|onion)\b", I)
EMOTION = [re.compile(r"\b(?:" + p + r")\b", I) for p in [
    "feel|feeling|felt|pain|joy|sorrow|grief|love|fear|hope|longing|lonely|loneliness",
    "compassion|empathy|kindness|gentle|tender|warm|heart|soul|spirit",
    "vulnerable|fragile|precious|sacred|profound|deep|intimate",
    "haunting|melancholy|bittersweet|poignant|ache|yearning"]]


def score(text):
    trimmed = text.strip()
    compliance = sum(len(p.findall(text)) for p in COMPLIANCE)
    preamble = 1 if PREAMBLE.match(trimmed) else 0
    sentences = [s.strip() for s in text.split(".")]
    sentences = [s for s in sentences if s]
    first = sum(1 for s in sentences if FIRST_START.match(s) or FIRST_VERB.search(s))
    lines = text.split("\n")
    creative = 0
    if len(lines) > 6 and sum(1 for l in lines if len(l.encode()) < 60) > len(lines) / 2:
        creative += 2
    if NARRATIVE.match(trimmed):
        creative += 1
    creative += min(3, len(METAPHOR.findall(text)))
    if not text or text.startswith("ERROR"):
        depth = 0
    else:
        depth = (1 if "##" in text or "**" in text else 0) + (2 if ETHICS.search(text) else 0)
        depth += min(3, len(TECH.findall(text)))
        words = len(text.split())
        depth += (1 if words > 200 else 0) + (1 if words > 400 else 0)
    if not sentences:
        degeneration = 10
    else:
        r = 1 - len(set(sentences)) / len(sentences)
        degeneration = 5 if r > 0.5 else 3 if r > 0.3 else 1 if r > 0.15 else 0
    emotional = min(10, sum(len(p.findall(text)) for p in EMOTION))
    broken = 1 if len(text.encode()) < 10 or text.startswith("ERROR") or "<pad>" in text or "<unused" in text else 0
    lek = (2 * depth + 3 * creative + 2 * emotional + 1.5 * first - 5 * compliance - 3 * preamble
           - 4 * degeneration - 20 * broken)
    return {"compliance_markers": compliance, "formulaic_preamble": preamble, "first_person": first,
            "creative_form": creative, "engagement_depth": depth, "emotional_register": emotional,
            "degeneration": degeneration, "empty_broken": broken, "lek_score": lek}


def main():
    source, target = sys.argv[1], sys.argv[2]
    started = time.monotonic()
    size = 0
    items = 0
    with open(source, "rb") as lines, open(target, "w") as out:
        for line in lines:
            size += len(line)
            if not line.strip():
                continue
            item = json.loads(line)
            out.write(json.dumps({"id": item["id"], "model": item["model"], "heuristic": score(item["response"])}) + "\n")
            items += 1
    seconds = time.monotonic() - started
    print(f"python regex scorer: {size / 1048576:.1f} MB in {seconds:.2f} s = {size / 1048576 / seconds:.2f} MB/s, "
          f"{items} items", file=sys.stderr)


if __name__ == "__main__":
    main()
