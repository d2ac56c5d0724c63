"""`crypto lookup` against a real HTTP server on 127.0.0.1 speaking the providers' JSON shapes
(copied from their public docs: tests/crypto/data/*.json). Never touches the internet."""

import copy
import json
import os
import stat
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_cli, run_toex
from toexcli.crypto.explorer import Client, lookup
from toexcli.errors import UsageError

DATA = Path(__file__).parent / "data"
BTC = "12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX"
BTC2 = "1HVDCg2KrPBH1Mg5SK9fGjAR9KVqyMMdBC"
BTC3 = "342ftSRCvFHfCeFFBuz4xwbeqnDw6BGUey"
ETH = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
DOGE = "DANHz6EQVoWyZ9rER56DwTXHWUxfkv9k2o"
TRON = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
XMR = "4ADT1BtbxqEWeMKp9GgPr2NeyJXXtNxvoDawpyA4WpzFcGcoHUvXeijE66DNfohE9r1bQYaBiQjEtKE7CtkTdLwiDznFzra"


def sample(name):
    return json.loads((DATA / name).read_text())


class Explorer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes = {}      # path (no query) -> list of (status, body, headers, delay)
        self.log = []         # (path, query dict, headers)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def route(self, path, *responses):
        self.routes[path] = list(responses)

    def hits(self, prefix):
        return [p for p, _, _ in self.log if p.startswith(prefix)]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        self.server.log.append((parts.path, dict(urllib.parse.parse_qsl(parts.query)),
                                {k.lower(): v for k, v in self.headers.items()}))
        queue = self.server.routes.get(parts.path)
        if not queue:
            status, body, headers, delay = 404, {"error": "not found"}, {}, 0
        else:
            status, body, headers, delay = queue.pop(0) if len(queue) > 1 else queue[0]
        if callable(body):
            body = body(dict(urllib.parse.parse_qsl(parts.query)), dict(self.headers))
        if delay:
            time.sleep(delay)
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


def ok(body, delay=0):
    return (200, body, {}, delay)


@pytest.fixture
def server():
    srv = Explorer()
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for k in ("TOEX_ESPLORA_URL", "ETHERSCAN_API_KEY", "BLOCKCHAIR_API_KEY", "TRONSCAN_API_KEY",
              "BLOCKCYPHER_TOKEN"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("TOEX_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def esplora_address(addr, funded=6812392291, spent=0, txs=1820):
    body = copy.deepcopy(sample("esplora_address.json"))
    body["address"] = addr
    body["chain_stats"].update(funded_txo_sum=funded, spent_txo_sum=spent, tx_count=txs)
    return body


def txs(n, start_time, start_id=0):
    tx = sample("esplora_address_txs_chain.json")[0]
    out = []
    for i in range(n):
        t = copy.deepcopy(tx)
        t["txid"] = f"{start_id + i:064x}"
        t["status"]["block_time"] = start_time - i * 600
        out.append(t)
    return out


def fast_client(**kw):
    return Client(timeout=kw.pop("timeout", 5), retries=kw.pop("retries", 3), backoff=0.01, **kw)


# ------------------------------------------------------------------------------ refusal
def test_refuses_without_opt_in_and_names_destinations(clean_env, server):
    csv = clean_env / "w.csv"
    csv.write_text(f"wallet\n{BTC}\n{ETH}\nnot an address\n")
    r = run_cli(["crypto", "lookup", csv, "-c", "wallet"])
    assert r.exit_code == 2
    assert "--online" in r.stderr and BTC in r.stderr and "blockstream.info" in r.stderr
    assert ETH in r.stderr and "api.etherscan.io" in r.stderr and "nothing was sent" in r.stderr
    assert r.stdout == ""
    assert server.log == []


# ------------------------------------------------------------------------------ esplora
def test_self_hosted_esplora_with_paging_keeps_rows(clean_env, server):
    server.route(f"/api/address/{BTC}", ok(esplora_address(BTC, 5000, 1200, 27)))
    page1 = txs(25, 1_700_000_000)
    page2 = txs(2, 1_600_000_000, start_id=100)
    server.route(f"/api/address/{BTC}/txs/chain", ok(page1))
    server.route(f"/api/address/{BTC}/txs/chain/{page1[-1]['txid']}", ok(page2))
    df = pd.DataFrame({"id": ["1", "2", "3", "4"], "wallet": [BTC, "nonsense", BTC, ""]})
    out = lookup(df, "wallet", url=server.url + "/api", client=fast_client(), env=os.environ)
    assert list(out.columns[:3]) == ["id", "wallet", "wallet_balance"]
    assert out["wallet"].tolist() == df["wallet"].tolist()
    row = out.iloc[0]
    assert (row["wallet_balance"], row["wallet_total_received"], row["wallet_total_sent"],
            row["wallet_tx_count"], row["wallet_unit"]) == ("3800", "5000", "1200", "27", "satoshi")
    assert row["wallet_last_seen"] == "2023-11-14T22:13:20Z"
    assert row["wallet_first_seen"] == "2020-09-13T12:16:40Z"
    assert row["wallet_lookup_status"] == "ok" and "127.0.0.1" in row["wallet_lookup_source"]
    assert row["wallet_lookup_time"].endswith("Z")
    assert out.iloc[2]["wallet_balance"] == "3800"
    assert server.hits(f"/api/address/{BTC}") and len(server.hits(f"/api/address/{BTC}")) == 3  # once per distinct
    assert out.iloc[1]["wallet_lookup_status"].startswith("not looked up: not a valid address")
    assert out.iloc[3]["wallet_lookup_status"] == "not looked up: empty"


def test_429_retry_and_500_partial_failure_and_timeout(clean_env, server):
    server.route(f"/api/address/{BTC}", (429, {"error": "slow down"}, {"Retry-After": "0"}, 0),
                 ok(esplora_address(BTC, txs=0)))
    server.route(f"/api/address/{BTC2}", (500, "oops", {}, 0))
    server.route(f"/api/address/{BTC3}", ok(esplora_address(BTC3, txs=0), delay=1.5))
    df = pd.DataFrame({"w": [BTC, BTC2, BTC3, XMR]})
    msgs = []
    out = lookup(df, "w", url=server.url + "/api", client=fast_client(timeout=0.3, retries=2),
                 env=os.environ, log=msgs.append)
    status = out["w_lookup_status"].tolist()
    assert status[0] == "ok" and out["w_balance"][0] == "6812392291"
    assert status[1] == "error: HTTP 500 (gave up after 3 attempts)"
    assert status[2].startswith("error: timed out after 0.3 s")
    assert status[3].startswith("not looked up: Monero balances cannot be looked up")
    assert len(server.hits(f"/api/address/{BTC}")) == 2
    assert len(server.hits(f"/api/address/{BTC2}")) == 3
    assert any("2 failed" in m for m in msgs)


def test_cache_is_private_and_prevents_resending(clean_env, server):
    server.route(f"/api/address/{BTC}", ok(esplora_address(BTC, txs=0)))
    df = pd.DataFrame({"w": [BTC]})
    cache = clean_env / "private-cache"
    first = lookup(df, "w", url=server.url + "/api", client=fast_client(), cache=cache, env=os.environ)
    assert first["w_lookup_status"][0] == "ok"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    files = list(cache.iterdir())
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    n = len(server.log)
    second = lookup(df, "w", url=server.url + "/api", client=fast_client(), cache=cache, env=os.environ)
    assert len(server.log) == n  # nothing re-sent
    assert second["w_lookup_status"][0] == "ok (cached)"
    assert second["w_lookup_time"][0] == first["w_lookup_time"][0]  # the original fetch time
    third = lookup(df, "w", url=server.url + "/api", client=fast_client(), cache=cache, max_age=0,
                   env=os.environ)
    assert len(server.log) == n + 1 and third["w_lookup_status"][0] == "ok"


def test_self_hosted_without_online_does_not_send_other_chains(clean_env, server):
    server.route(f"/api/address/{BTC}", ok(esplora_address(BTC, txs=0)))
    df = pd.DataFrame({"w": [BTC, ETH]})
    out = lookup(df, "w", url=server.url + "/api", client=fast_client(), env=os.environ)
    assert out["w_lookup_status"][0] == "ok"
    assert out["w_lookup_status"][1] == "not looked up: needs --online (would go to api.etherscan.io)"
    assert all(p.startswith("/api/address/") and BTC in p for p, _, _ in server.log)


def test_library_refusal_is_a_usage_error(clean_env):
    with pytest.raises(UsageError):
        lookup(pd.DataFrame({"w": [DOGE]}), "w", env={})


# ------------------------------------------------------------------------------ other providers
def test_etherscan_key_from_env_is_sent_but_never_printed(clean_env, server):
    key = "SEKRET-KEY-123"

    def reply(q, headers):
        if q.get("apikey") != key:
            return {"status": "0", "message": "NOTOK", "result": "Missing/Invalid API Key"}
        if q["action"] == "balance":
            return sample("etherscan_balance.json")
        return sample("etherscan_txlist.json")

    server.route("/v2/api", ok(reply))
    csv = clean_env / "eth.csv"
    csv.write_text(f"wallet\n{ETH}\n")
    env = {**os.environ, "ETHERSCAN_API_KEY": key}
    r = run_toex(["crypto", "lookup", csv, "-c", "wallet", "--provider", "etherscan", "--url",
                  server.url + "/v2/api"], env=env)
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "172774397764084972158218" in out and "wei" in out and "2022-06-08T00:00:11Z" in out
    assert key not in out and key.encode() not in r.stderr
    assert {q.get("chainid") for _, q, _ in server.log} == {"1"}
    # a bad key: the provider's error message comes back, the key is still not printed
    server.route("/v2/api", ok({"status": "0", "message": "NOTOK", "result": f"Invalid API Key ({key})"}))
    r = run_toex(["crypto", "lookup", csv, "-c", "wallet", "--provider", "etherscan", "--url",
                  server.url + "/v2/api", "--no-cache"], env=env)
    assert r.returncode == 0
    assert b"error: etherscan: NOTOK" in r.stdout and key.encode() not in r.stdout + r.stderr
    # no key at all: nothing is sent
    n = len(server.log)
    env.pop("ETHERSCAN_API_KEY")
    r = run_toex(["crypto", "lookup", csv, "-c", "wallet", "--provider", "etherscan", "--url",
                  server.url + "/v2/api", "--no-cache"], env=env)
    assert b"needs an API key in ETHERSCAN_API_KEY" in r.stdout and len(server.log) == n


def test_blockchair_tronscan_blockcypher_shapes(clean_env, server):
    bc = sample("blockchair_bitcoin_dashboard_address.json")
    bc["data"] = {DOGE: bc["data"].popitem()[1]}
    server.route(f"/dogecoin/dashboards/address/{DOGE}", ok(bc))
    out = lookup(pd.DataFrame({"w": [DOGE]}), "w", provider="blockchair", url=server.url,
                 client=fast_client(), env=os.environ)
    r = out.iloc[0]
    assert (r["w_balance"], r["w_tx_count"], r["w_first_seen"], r["w_last_seen"], r["w_unit"]) == (
        "6812392291", "1820", "2009-01-03T18:15:05Z", "2019-10-24T18:47:23Z", "koinu")

    server.route("/accountv2", ok(sample("tronscan_accountv2_subset.json")))
    out = lookup(pd.DataFrame({"w": [TRON]}), "w", provider="tronscan", url=server.url,
                 client=fast_client(), env={**os.environ, "TRONSCAN_API_KEY": "tk"})
    r = out.iloc[0]
    assert (r["w_balance"], r["w_tx_count"], r["w_unit"]) == ("1000000", "12", "sun")
    assert r["w_first_seen"] == "2023-02-09T11:52:06Z"
    assert server.log[-1][2].get("tron-pro-api-key") == "tk"  # header names are case-insensitive

    server.route(f"/btc/main/addrs/{BTC}/balance", ok(sample("blockcypher_addr_balance.json")))
    out = lookup(pd.DataFrame({"w": [BTC]}), "w", provider="blockcypher", url=server.url,
                 client=fast_client(), env=os.environ)
    r = out.iloc[0]
    assert (r["w_balance"], r["w_total_received"], r["w_tx_count"]) == ("4433416", "4433416", "7")


def test_unreachable_endpoint_exits_3(clean_env):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    csv = clean_env / "w.csv"
    csv.write_text(f"wallet\n{BTC}\n")
    r = run_cli(["crypto", "lookup", csv, "-c", "wallet", "--url", f"http://127.0.0.1:{port}/api",
                 "--retries", "0"])
    assert r.exit_code == 3 and "offline" in r.stderr


def test_client_spaces_requests_and_honours_retry_after(server):
    server.route("/a", (429, {}, {"Retry-After": "7"}, 0), ok({"x": 1}))
    server.route("/b", ok({"y": 2}))
    slept = []
    client = Client(timeout=5, retries=2, backoff=0.5, sleep=slept.append)
    assert client.get(server.url + "/a") == {"x": 1}
    assert slept == [7.0]                       # the server's Retry-After, not our backoff
    slept.clear()
    client = Client(timeout=5, retries=2, backoff=0.5, sleep=slept.append)
    client.get(server.url + "/b", interval=30.0)
    client.get(server.url + "/b", interval=30.0)
    assert len(slept) == 1 and 29.0 < slept[0] <= 30.0   # per-host spacing (rate limit)
    server.route("/c", (503, "busy", {}, 0))
    slept.clear()
    with pytest.raises(Exception) as info:
        client.get(server.url + "/c")
    assert "HTTP 503" in str(info.value) and slept == [0.5, 1.0]   # exponential backoff
