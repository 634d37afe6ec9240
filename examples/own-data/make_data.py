#!/usr/bin/env python3
"""Writes train.jsonl: 2,000 addition and subtraction prompts with reference answers.

Each line is one prompt in the format Troupe's shipped arithmetic base policy reads
("12+34="), plus an "answer" field that reaches every reward scorer as metadata:
    {"prompt": "12+34=", "answer": "46"}
Operands have 1 or 2 digits (the base gets about one in ten of its own 1-3 digit problems right,
so these are within reach). Deterministic: the same file every time (seed 7).
Usage: python3 make_data.py [OUT]   (default: train.jsonl next to this script)
"""
import json
import os
import random
import sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "train.jsonl")
rng = random.Random(7)
seen = set()
with open(out, "w", encoding="utf-8") as f:
    while len(seen) < 2000:
        a, b = rng.randrange(0, 100), rng.randrange(0, 100)
        op = rng.choice("+-")
        if op == "-" and b > a:
            a, b = b, a
        prompt = f"{a}{op}{b}="
        if prompt in seen:
            continue
        seen.add(prompt)
        answer = a + b if op == "+" else a - b
        f.write(json.dumps({"prompt": prompt, "answer": str(answer)}) + "\n")
print(f"wrote {len(seen)} prompts to {out}")
