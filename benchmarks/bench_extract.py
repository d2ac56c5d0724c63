"""Benchmark `toex extract`: scan generated chat text for every kind of identifier.

Generates N MB of fictional chat messages (a CSV in benchmarks/data/, git-ignored; the same seed
gives the same text), reads it once, then times on the same DataFrame batches:

* ``extract``       -- toexcli.extract.extract, all twelve kinds (phones via toexcli.phones, crypto
                       via toexcli.crypto);
* ``crypto find``   -- toexcli.crypto.find alone (one kind), the reference the issue asks for;
* with ``--breakdown``, all kinds but phone, to show what phone matching costs.

Prints MB/s for each and the ratio of extract's time to crypto find's. Usage:

    .venv/bin/python benchmarks/bench_extract.py            # 100 MB
    .venv/bin/python benchmarks/bench_extract.py --mb 5     # quick
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

WORDS = ("yeah bro ok wagwan soon later now pls send dont forget the usual spot tonight "
         "tomorrow money food bag ting link brudda fam innit mate outside shop park corner "
         "school station car van come quick ring text call back wait there bring two three "
         "ten twenty fifty hundred cheers safe sorted lol omg yes no maybe").split()
TRAPS = ["at 10 AM", "by 9 PM", "in 5 MIN", "RTX 3080", "PS5", "order AB123456", "room 12",
         "ref ABC123", "12:30", "v1.2.3", "HP305XL", "size 10 UK", "3 for 20", "£250", "DOB 03/04/2005",
         "order no 4000123456789010", "case 13/55123/24"]
LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"
REGION = "ABCDEFGHKLMNOPRSVWY"
AREAS = ["M", "B", "L", "LS", "CR", "SW", "NE", "BD", "G", "EH", "CF", "BN", "OL", "SE", "NW"]
CRYPTO = ["12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX", "bc1q34aq5drpuwy3wgl9lhup9892qp6svr8ldzyy7c",
          "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"]
CARDS = ["4111 1111 1111 1111", "5555555555554444", "3782 822463 10005"]
IBANS = ["GB33BUKB20201555555555", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000"]


def identifier(rng: random.Random) -> str:
    k = rng.randrange(14)
    if k == 0:
        return f"07700 900{rng.randrange(1000):03d}"
    if k == 1:
        return f"ring 0161 496 0{rng.randrange(1000):03d}"
    if k == 2:
        return (f"{rng.choice(REGION)}{rng.choice(LETTERS)}{rng.choice(['12', '19', '21', '62', '70'])} "
                f"{''.join(rng.choice(LETTERS) for _ in range(3))}")
    if k == 3:
        return f"{rng.choice(AREAS)}{rng.randrange(1, 20)} {rng.randrange(10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    if k == 4:
        return f"user{rng.randrange(10000)}@example.com"
    if k == 5:
        return f"insta @runner_{rng.randrange(1000)}"
    if k == 6:
        return f"https://example.org/p/{rng.randrange(10**6)}"
    if k == 7:
        return f"sort code 20-{rng.randrange(100):02d}-{rng.randrange(100):02d} acc {rng.randrange(10**7, 10**8)}"
    if k == 8:
        return rng.choice(IBANS)
    if k == 9:
        return "card " + rng.choice(CARDS)
    if k == 10:
        return "imei 352099001761481"
    if k == 11:
        return rng.choice(CRYPTO)
    if k == 12:
        return f"198.51.100.{rng.randrange(256)}"
    return "t.me/example_menu"


def message(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randrange(3, 14))]
    r = rng.random()
    if r < 0.25:
        words.insert(rng.randrange(len(words) + 1), identifier(rng))
    elif r < 0.40:
        words.insert(rng.randrange(len(words) + 1), rng.choice(TRAPS))
    return " ".join(words)


def generate(mb: float, seed: int = 7) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"extract_chat_{mb:g}mb_s{seed}.csv"
    if path.exists():
        return path
    rng = random.Random(seed)
    target = int(mb * 1_000_000)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "sender", "text"])
        size, i = 0, 0
        while size < target:
            text = message(rng)
            w.writerow([i, f"S{rng.randrange(500)}", text])
            size += len(text.encode("utf-8"))
            i += 1
    os.replace(tmp, path)
    return path


def timed(label, fn, frames, mb):
    """Wall and CPU seconds (CPU is the fairer figure on a shared, loaded machine)."""
    t0, c0 = time.perf_counter(), time.process_time()
    hits = 0
    for df in frames:
        hits += len(fn(df))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"  {label:32} {dt:8.2f} s wall {mb / dt:7.2f} MB/s | {cpu:8.2f} s CPU {mb / cpu:7.2f} MB/s"
          f" | {hits:>9,} hits", flush=True)
    return dt, cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=100.0, help="megabytes of message text (default 100)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch-rows", type=int, default=1 << 15)
    ap.add_argument("--breakdown", action="store_true",
                    help="also time all kinds but phone (what phone matching costs)")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from toexcli.crypto import find as crypto_find
    from toexcli.extract import KINDS, extract
    from toexcli.io import TableInput

    t0 = time.perf_counter()
    path = generate(args.mb, args.seed)
    print(f"data: {path} ({path.stat().st_size / 1e6:.1f} MB file, generated/reused in "
          f"{time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    frames = list(TableInput([str(path)], batch_rows=args.batch_rows).frames())
    rows = sum(len(f) for f in frames)
    text_mb = sum(int(f["text"].str.len().sum()) for f in frames) / 1e6
    print(f"read {rows:,} messages, {text_mb:.1f} MB of text, in {time.perf_counter() - t0:.1f} s")

    crypto_t = timed("crypto find (one kind)", lambda df: crypto_find(df, "text"), frames, text_mb)
    if args.breakdown:
        no_phone = [k for k in KINDS if k != "phone"]
        timed("extract, all kinds but phone", lambda df: extract(df, "text", no_phone), frames, text_mb)
    all_t = timed("extract, all 12 kinds", lambda df: extract(df, "text"), frames, text_mb)
    print(f"extract, all kinds: {text_mb / all_t[0]:.2f} MB/s wall, {text_mb / all_t[1]:.2f} MB/s CPU; "
          f"ratio to crypto find alone: {all_t[0] / crypto_t[0]:.1f}x wall, "
          f"{all_t[1] / crypto_t[1]:.1f}x CPU (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
