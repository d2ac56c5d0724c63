#!/usr/bin/env python3
"""Benchmark ``toex translate`` against naive baselines measured in the same run.

1. Detection: ``detect_languages`` (each distinct text once) against a per-row loop calling the
   same detector on every row (what ``df[col].apply(detect)`` does).
2. Translation: ``translate_frame`` (distinct texts only, batches of 50 per request, rows already
   in English skipped) against one request per row (what deep-translator's ``translate_batch``
   does), both against a local LibreTranslate-shaped server on 127.0.0.1 that costs
   ``--latency-ms`` per request plus 0.2 ms per text.

    .venv/bin/python benchmarks/bench_translate.py               # 100,000 rows
    .venv/bin/python benchmarks/bench_translate.py --rows 5000   # quick

The fictional messages are generated in memory (short chat lines in 12 languages, with repeats
as in real handset extractions: "ok", "where r u", the same instruction forwarded to many).
Slow baselines are timed on a sample of rows and scaled (the output says so).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BASE = [
    "Ku je tani? Më thirr sa më shpejt.", "Ku je vlla, te pres te stacioni",
    "Nuk kam pasaportën time, e mban shefi.", "anh o dau vay, em doi o ga tau",
    "Em không có hộ chiếu, ông chủ giữ rồi.", "Cand primim banii pe luna asta?",
    "Trimite-mi adresa pe mesaj.", "Gdzie jesteś? Zadzwoń do mnie jak najszybciej.",
    "Nie mam paszportu, szef go trzyma.", "Neturiu paso, jį laiko šefas.",
    "أين أنت الآن؟ اتصل بي بسرعة.", "老板拿走了我的护照。", "Хозяин забрал мой паспорт.",
    "where r u? call me asap", "wagwan bro, u good?", "bell me when ur outside innit",
    "He still has my passport and won't give it back.", "ok", "Kur tu dabar esi?",
    "Mâine începem lucrul la ora șase.", "Jam shumë e lodhur dhe dua të shkoj në shtëpi.",
]
PLACES = ["stacioni", "gara", "dworzec", "ga tau", "the station", "Tesco", "car wash", "nail bar"]


def make_rows(n: int, distinct_share: float, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    pool = list(BASE)
    while len(pool) < max(len(BASE), int(n * distinct_share)):
        pool.append(f"{rng.choice(BASE)} {rng.choice(PLACES)} {rng.randrange(1, 60)}")
    return [rng.choice(pool) for _ in range(n)]


class Server:
    def __init__(self, latency: float):
        self.requests = 0
        state = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # as a real server: no 40 ms delayed-ACK stalls

            def log_message(self, *a):
                pass

            def _send(self, payload):
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                codes = ["en", "sq", "vi", "ro", "pl", "lt", "ar", "zh", "ru"]
                self._send([{"code": c, "name": c, "targets": codes} for c in codes])

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                state.requests += 1
                q = body["q"] if isinstance(body["q"], list) else [body["q"]]
                time.sleep(latency + 0.0002 * len(q))
                out = [f"[{body['source']}] {t}" for t in q]
                self._send({"translatedText": out if isinstance(body["q"], list) else out[0]})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--distinct", type=float, default=0.05, help="share of distinct texts")
    ap.add_argument("--naive-sample", type=int, default=5_000)
    ap.add_argument("--latency-ms", type=float, default=5.0)
    args = ap.parse_args()

    import pandas as pd
    import requests

    from toexcli.translate import Detector, LibreTranslateClient, detect_languages, translate_frame

    texts = make_rows(args.rows, args.distinct)
    df = pd.DataFrame({"text": texts}, dtype="str")
    n_distinct = df["text"].nunique()
    print(f"rows {args.rows:,}, distinct texts {n_distinct:,}")

    det = Detector()
    t = time.perf_counter()
    det.detect("warm up the detectors " + BASE[0])
    for s in ("أين أنت", "老板", "Хозяин забрал"):
        det.detect(s)
    print(f"detector build (default 20 languages, lazily per script): {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    out = detect_languages(df, "text", detector=det)
    fast = time.perf_counter() - t
    sample = texts[: min(args.naive_sample, len(texts))]
    t = time.perf_counter()
    naive_langs = [det.detect(x).lang for x in sample]
    naive = (time.perf_counter() - t) * len(texts) / len(sample)
    assert naive_langs == out["text_lang"].tolist()[: len(sample)]
    scaled = " (timed on %d rows, scaled)" % len(sample) if len(sample) < len(texts) else ""
    print(f"detect: toex {fast:.2f} s ({len(texts) / fast:,.0f} rows/s), naive per-row "
          f"{naive:.2f} s{scaled}: {naive / fast:.1f}x faster")

    server = Server(args.latency_ms / 1000)
    client = LibreTranslateClient(server.url, retries=0, batch_size=50)
    t = time.perf_counter()
    res, report = translate_frame(out, "text", backend=client, cache=None, announce=False)
    fast = time.perf_counter() - t
    fast_requests = server.requests
    server.requests = 0
    sample = texts[: min(args.naive_sample // 5, len(texts))]
    langs = out["text_lang"].tolist()
    t = time.perf_counter()
    for text, lang in zip(sample, langs):
        if text:  # one new request per row, as deep-translator does
            requests.post(server.url + "/translate", json={"q": text, "source": lang if lang not in
                         ("", "und") else "auto", "target": "en"}, timeout=30).raise_for_status()
    naive = (time.perf_counter() - t) * len(texts) / len(sample)
    scaled = " (timed on %d rows, scaled)" % len(sample) if len(sample) < len(texts) else ""
    print(f"translate: toex {fast:.2f} s in {fast_requests:,} requests "
          f"({report.to_send:,} distinct texts sent), naive one request per row {naive:.2f} s in "
          f"{len(texts):,} requests{scaled}: {naive / fast:.1f}x faster")
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
