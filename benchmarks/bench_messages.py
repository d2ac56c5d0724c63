"""Benchmark: `toex messages parse` on a generated WhatsApp export against `toex convert` reading
the same file as text (one row per line), both writing CSV; wall time and peak memory (RSS of
the child process) of each, measured in the same run.

    python benchmarks/bench_messages.py               # 200,000 lines (modest default)
    python benchmarks/bench_messages.py --lines 1000000

Goal: parse <= 3x convert. The generated chat has 5% two-line messages, Albanian and
Vietnamese text, U+202F before am/pm is not used (Android 24 h layout).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

NAMES = ["Dardan", "Luan", "Thảo", "Arta", "+44 7700 900546", "Minh Tuấn"]
WORDS = ("nesër në orën gjashtë te magazina em sẽ đến sớm chờ ở cổng sau the van is ready "
         "meet at unit three bring cash now ok yes later tomorrow 07700 900847").split()


def make(path: str, lines: int) -> None:
    rng = random.Random(7)
    n = i = 0
    with open(path, "w", encoding="utf-8") as fh:
        while n < lines:
            day = 1 + i // 2000
            mo, dd = 1 + (day // 28) % 12, 1 + day % 28
            h, m = (i // 80) % 24, i % 60
            fh.write(f"{dd:02d}/{mo:02d}/2024, {h:02d}:{m:02d} - {rng.choice(NAMES)}: "
                     f"{' '.join(rng.choices(WORDS, k=rng.randint(2, 12)))}\n")
            n += 1
            if rng.random() < 0.05:
                fh.write("and a second line of the same message\n")
                n += 1
            i += 1


def run(args: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MB, CPU seconds) of one child process."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    return wall, max(r1.ru_maxrss, r0.ru_maxrss) / 1024, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    toex = shutil.which("toex", path=os.path.dirname(sys.executable)) or "toex"
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "chat.txt")
        make(src, a.lines)
        size = os.path.getsize(src) / 1e6
        # each measurement in a fresh child: ru_maxrss of children is a running maximum, so
        # the smaller job (convert) is measured first
        conv = min(run([toex, "convert", src, "-o", os.path.join(d, "c.csv"), "--force"])
                   for _ in range(a.repeat))
        pars = min(run([toex, "messages", "parse", src, "-o", os.path.join(d, "m.csv"), "--force"])
                   for _ in range(a.repeat))
    print(f"WhatsApp export: {a.lines:,} lines, {size:.1f} MB")
    print(f"  toex convert (text, one row per line): {conv[0]:6.2f} s wall, {conv[2]:6.2f} s CPU, "
          f"peak {conv[1]:6.0f} MB")
    print(f"  toex messages parse:                   {pars[0]:6.2f} s wall, {pars[2]:6.2f} s CPU, "
          f"peak {pars[1]:6.0f} MB")
    print(f"  ratio parse / convert: {pars[0] / conv[0]:.2f}x wall, {pars[2] / conv[2]:.2f}x CPU "
          "(goal <= 3x)")


if __name__ == "__main__":
    main()
