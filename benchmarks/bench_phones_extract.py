#!/usr/bin/env python3
"""Benchmark ``toex phones extract`` on many short messages against a naive baseline measured in
the same run (issue 23: 1,000,000 short messages took 177 s).

    .venv/bin/python benchmarks/bench_phones_extract.py                  # 200,000 messages
    .venv/bin/python benchmarks/bench_phones_extract.py --rows 1000000

The messages are fictional chat lines (Ofcom drama numbers, times, amounts, order numbers,
many with no digit at all, many repeated as chats repeat: "ok", "on my way"). The naive
baseline is the obvious loop: ``find_numbers`` (the same policy) on every row, no cache and no
prefilter; it is timed on a random subsample of ``--naive-sample`` rows and scaled (the output
says so). Both give the same rows (checked on the subsample). CPU seconds of this process
(``time.process_time``) are the figure: wall time on a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHATTER = ["ok", "on my way", "lol", "yeah", "see you there", "where are you?", "k", "thanks",
           "call me", "text me later", "bring the stuff", "running late", "👍", "no worries",
           "ring me when you land", "new phone who dis", "got it", "at the usual place"]
TEMPLATES = [
    "call me on 07700 900{n:03d}", "new number 07700900{n:03d}", "ring 020 7946 0{n:03d} after 6",
    "my mob is +44 7700 900{n:03d} ok", "meet at 10:{m:02d}", "£{m} for the lot", "order 1234{n:03d}",
    "code {n:03d}{m:02d}", "wa 447700900{n:03d}", "see you at {h}pm", "room {n}",
    "0161 496 0{n:03d} is his landline", "{m} mins away", "pin {n:04d}",
]


WORDS = ("mate bro babe fam yeah nah soon now later tonight tomorrow there here again pls "
         "asap bruv innit anyway honestly cheers").split()


def make_messages(rows: int, seed: int = 7) -> list[str]:
    """Most messages distinct (a word or two added), a fifth exact repeats of common ones."""
    rnd = random.Random(seed)
    out = []
    for _ in range(rows):
        if rnd.random() < 0.55:
            text = rnd.choice(CHATTER)
        else:
            t = rnd.choice(TEMPLATES)
            text = t.format(n=rnd.randrange(1000), m=rnd.randrange(60), h=rnd.randrange(1, 12))
        if rnd.random() < 0.8:
            text += " " + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 4)))
        out.append(text)
    return out


def naive(texts: list[str]) -> list[tuple]:
    from toexcli.phones.extraction import find_numbers

    rows = []
    for i, t in enumerate(texts):
        for raw, s, e, res in find_numbers(t):
            rows.append((i, raw, s, e, res.e164))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--naive-sample", type=int, default=50_000)
    args = ap.parse_args()

    import pandas as pd

    from toexcli.phones import policy
    from toexcli.phones.extraction import extract

    texts = make_messages(args.rows)
    naive(make_messages(2000, seed=99))  # load phonenumbers' metadata and regexes for both runs
    df = pd.DataFrame({"text": pd.array(texts, dtype="str")})
    policy._normalise_cached.cache_clear()
    t0 = time.process_time()
    out = extract(df, "text")
    fast = time.process_time() - t0

    rnd = random.Random(1)
    idx = sorted(rnd.sample(range(args.rows), min(args.naive_sample, args.rows)))
    sample = [texts[i] for i in idx]
    policy._normalise_cached.cache_clear()
    t0 = time.process_time()
    slow_rows = naive(sample)
    slow = (time.process_time() - t0) * args.rows / len(sample)

    want = sorted((idx[i], raw, s, e, e164) for i, raw, s, e, e164 in slow_rows)
    pos = {r: k for k, r in enumerate(idx)}
    got = sorted((r, m, int(s), int(e), e164) for r, m, s, e, e164 in zip(
        out["_row"], out["match"], out["start"], out["end"], out["e164"]) if r in pos)
    got = [(r, m, s, e, None if e164 == "None" else e164) for r, m, s, e, e164 in got]
    same = got == want
    print(f"{args.rows:,} short messages, {len(out):,} numbers found")
    print(f"toex phones extract (library): {fast:8.2f} s CPU")
    print(f"naive find_numbers per row:    {slow:8.2f} s CPU"
          + (f" [timed on {len(sample):,} rows, scaled x{args.rows / len(sample):.1f}]"
             if len(sample) < args.rows else ""))
    print(f"speed-up: {slow / fast:.1f}x CPU; same rows on the sample: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
