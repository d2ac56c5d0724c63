#!/usr/bin/env python3
"""Benchmark ``toex crypto find`` on generated chat text against the floor: ONE precompiled
regex pass with no validation over the same text, measured in the same run.

    .venv/bin/python benchmarks/bench_crypto.py            # 100 MB of chat text
    .venv/bin/python benchmarks/bench_crypto.py --mb 5     # quick

The chat (fictional: Ofcom drama phone numbers, made-up nicknames, random valid addresses of
eight chains, typos of them, transaction hashes, SHA-256 digests, PGP fingerprints) is written
to benchmarks/data/ (git-ignored) and reused when already there. Three timings:

  floor    CANDIDATE_RE.finditer over all message texts (joined): count candidates, no checks
  library  toexcli.crypto.find(df, "text") in 131,072-row batches, as the CLI runs it
           (join, scan, classify each distinct candidate once, build the hit table)
  cli      `toex crypto find FILE -c text -o OUT.csv` end to end (read CSV, write CSV)

The target is library/floor within 3x. The CLI line shows what CSV reading and writing add.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent
TOEX = str(BIN / "toex") if (BIN / "toex").exists() else "toex"
sys.path.insert(0, str(ROOT))

WORDS = ("yeah ok mate send the money now later tonight tomorrow bro where you at pick up drop "
         "off usual spot cash paid wallet address here it is dont forget need more can you do "
         "lol sound safe bare link ting food whats the ETA im outside 20 mins call me text "
         "back got it cheers nah yes no maybe").split()
NAMES = ["Smudge", "K-Dog", "Big T", "Auntie", "Skinny", "Rocco", "Bluey", "Dee"]


def _addresses(rng: random.Random, n: int) -> list[str]:
    from toexcli.crypto.encodings import b58check_encode, bech32_encode, convertbits, eip55

    out = []
    for i in range(n):
        h = rng.randbytes(20)
        kind = i % 8
        if kind == 0:
            out.append(b58check_encode(b"\x00" + h))
        elif kind == 1:
            out.append(b58check_encode(b"\x05" + h))
        elif kind == 2:
            out.append(bech32_encode("bc", [0] + convertbits(h, 8, 5), "bech32"))
        elif kind == 3:
            out.append(bech32_encode("bc", [1] + convertbits(rng.randbytes(32), 8, 5), "bech32m"))
        elif kind == 4:
            out.append("0x" + eip55(h.hex()))
        elif kind == 5:
            out.append(b58check_encode(b"\x41" + h))
        elif kind == 6:
            out.append(b58check_encode(b"\x30" + h))
        else:
            out.append(b58check_encode(b"\x1e" + h))
    return out


def make_data(mb: int, seed: int = 11) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"crypto_chat_{mb}mb.csv"
    if path.exists():
        return path
    import csv

    rng = random.Random(seed)
    pool = _addresses(rng, 20000)
    typos = []
    for a in pool[:2000]:
        i = len(a) // 2
        typos.append(a[:i] + ("2" if a[i] != "2" else "3") + a[i + 1:])
    target = mb * 1_000_000
    size = 0
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "sender", "sent_at", "text"])
        i = 0
        while size < target:
            i += 1
            words = rng.choices(WORDS, k=rng.randint(4, 18))
            r = rng.random()
            if r < 0.03:
                words.insert(rng.randrange(len(words) + 1), rng.choice(pool))
            elif r < 0.035:
                words.insert(rng.randrange(len(words) + 1), f"bitcoin:{rng.choice(pool[:1000])}?amount=0.{rng.randint(1, 99)}")
            elif r < 0.04:
                words.insert(rng.randrange(len(words) + 1), rng.choice(typos))
            elif r < 0.05:
                words.insert(rng.randrange(len(words) + 1), rng.randbytes(32).hex())
            elif r < 0.055:
                fp = rng.randbytes(20).hex().upper()
                words.append(" ".join(fp[k:k + 4] for k in range(0, 40, 4)))
            elif r < 0.09:
                words.append(f"07700 900{rng.randrange(1000):03d}")
            text = " ".join(words)
            row = [i, rng.choice(NAMES), f"2024-03-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}", text]
            w.writerow(row)
            size += len(text) + 1
    os.replace(tmp, path)
    return path


def quality(n: int = 50_000, seed: int = 3) -> None:
    """Precision/recall of find_in_text on labelled generated messages: valid addresses of nine
    chains (incl. Solana and URIs) among decoys (tx hashes, SHA-256, 40-hex fingerprints, spaced
    PGP fingerprints, phone numbers, WIF keys, base64/base64url tokens, JWTs, long words) and
    one-character typos (expected only with include_invalid)."""
    import base64

    from toexcli.crypto import find_in_text
    from toexcli.crypto.encodings import b58encode

    rng = random.Random(seed)
    pool = _addresses(rng, 4000) + [b58encode(rng.randbytes(32)) for _ in range(500)]
    decoys = [
        lambda: rng.randbytes(32).hex(),
        lambda: rng.randbytes(20).hex(),
        lambda: " ".join(rng.randbytes(20).hex().upper()[k:k + 4] for k in range(0, 40, 4)),
        lambda: f"+4477009{rng.randrange(100000):05d}",
        lambda: "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ",
        lambda: base64.b64encode(rng.randbytes(48)).decode(),
        lambda: base64.urlsafe_b64encode(rng.randbytes(32)).decode().rstrip("="),
        lambda: "eyJhbGciOiJIUzI1NiJ9." + base64.urlsafe_b64encode(rng.randbytes(32)).decode().rstrip("=") + ".x",
        lambda: "".join(rng.choices("abcdefghijkmnopqrstuvwxyz", k=30)),
    ]
    tp = fp = fn = 0
    tp_i = fp_i = fn_i = 0
    fp_chains: dict[str, int] = {}
    for _ in range(n):
        words = rng.choices(WORDS, k=rng.randint(3, 12))
        want, want_i = set(), set()
        r = rng.random()
        if r < 0.3:
            a = rng.choice(pool)
            words.insert(rng.randrange(len(words) + 1), a if rng.random() < 0.8 else f"bitcoin:{a}?amount=1")
            want.add(a)
            want_i.add(a)
        elif r < 0.4:
            a = rng.choice(pool[:4000])
            i = len(a) // 2
            typo = a[:i] + ("2" if a[i] != "2" else "3") + a[i + 1:]
            words.insert(rng.randrange(len(words) + 1), typo)
            want_i.add(typo)
        elif r < 0.8:
            words.insert(rng.randrange(len(words) + 1), rng.choice(decoys)())
        text = " ".join(words)
        hits = find_in_text(text)
        got = {h["address"] for h in hits}
        for h in hits:
            if h["address"] not in want:
                fp_chains[h["chain"]] = fp_chains.get(h["chain"], 0) + 1
        got_i = {h["address"] for h in find_in_text(text, include_invalid=True)
                 if not h["status"].startswith("key material")}
        tp += len(got & want); fp += len(got - want); fn += len(want - got)
        tp_i += len(got_i & want_i); fp_i += len(got_i - want_i); fn_i += len(want_i - got_i)
    def pr(t, f, m):
        return f"precision {t / max(1, t + f):.4f}  recall {t / max(1, t + m):.4f}  (tp {t:,}, fp {f:,}, fn {m:,})"
    print(f"quality on {n:,} labelled messages (30% with an address, 10% with a typo, 40% with a decoy):")
    print(f"  default          : {pr(tp, fp, fn)}")
    if fp_chains:
        print("    false positives by chain: " + ", ".join(f"{k} {v}" for k, v in sorted(fp_chains.items()))
              + " (a standalone 43-character base64url token IS Solana-shaped: no checksum to tell)")
    print(f"  include_invalid  : {pr(tp_i, fp_i, fn_i)}  (typos count as wanted)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=100, help="megabytes of chat text (default 100)")
    ap.add_argument("--no-cli", action="store_true", help="skip the end-to-end CLI timing")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of floor and library; best is kept")
    ap.add_argument("--no-quality", dest="quality", action="store_false",
                    help="skip the precision/recall run on labelled messages")
    args = ap.parse_args()

    import pandas as pd

    from toexcli.crypto import CANDIDATE_RE, Finder, find

    if args.quality:
        quality()

    t0 = time.perf_counter()
    path = make_data(args.mb)
    print(f"data: {path} ({path.stat().st_size / 1e6:.1f} MB on disk; made/reused in {time.perf_counter() - t0:.1f} s)")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    texts = df["text"].tolist()
    text_mb = sum(len(t) for t in texts) / 1e6
    print(f"{len(df):,} messages, {text_mb:.1f} MB of message text")

    # floor: one precompiled regex pass, no validation (best of --repeat runs)
    joined = "\n".join(texts)
    floor = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        candidates = sum(1 for _ in CANDIDATE_RE.finditer(joined))
        floor = min(floor, time.perf_counter() - t0)
    del joined

    # library: the CLI's per-batch path, from cold caches each time (best of --repeat runs)
    from toexcli.crypto.address import _classify_cached
    from toexcli.crypto.encodings import eip55

    batch = 1 << 17
    lib = float("inf")
    for _ in range(args.repeat):
        _classify_cached.cache_clear()
        eip55.cache_clear()
        finder = Finder()
        t0 = time.perf_counter()
        hits = 0
        for start in range(0, len(df), batch):
            hits += len(find(df.iloc[start:start + batch], "text", finder=finder))
        lib = min(lib, time.perf_counter() - t0)

    print(f"floor   : {floor:7.2f} s  {text_mb / floor:7.1f} MB/s  ({candidates:,} candidate tokens)")
    print(f"library : {lib:7.2f} s  {text_mb / lib:7.1f} MB/s  ({hits:,} valid addresses found, "
          f"{len(finder.cache):,} distinct candidates classified)")
    print(f"ratio library/floor: {lib / floor:.2f}x  (target <= 3x)")

    if not args.no_cli:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "hits.csv"
            t0 = time.perf_counter()
            r = subprocess.run([TOEX, "-q", "crypto", "find", str(path), "-c", "text", "-o", str(out)],
                               capture_output=True, text=True)
            cli = time.perf_counter() - t0
            if r.returncode != 0:
                print(f"cli failed: {r.stderr.strip()}")
                return 1
            rows = sum(1 for _ in open(out, encoding="utf-8")) - 1
        print(f"cli     : {cli:7.2f} s  {text_mb / cli:7.1f} MB/s of message text end to end "
              f"({rows:,} rows written; includes reading the CSV and writing hits)")
        print(f"ratio cli/floor: {cli / floor:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
