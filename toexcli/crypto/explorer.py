"""Look addresses up on a block explorer -- only when the user opts in.

Nothing is sent unless ``online=True`` (CLI ``--online``) or a self-hosted endpoint is configured
(``url=`` / ``--url`` / ``TOEX_ESPLORA_URL``); otherwise ``lookup`` raises a UsageError naming
which addresses would go where. Each DISTINCT valid address is fetched once; results (with their
fetch time) are cached on disk in a user-private directory (0700) so repeated runs do not re-send.
Requests are spaced per provider (rate limits), retried with exponential backoff on 429, 5xx,
timeouts and connection errors (honouring Retry-After), and a failure marks only that address's
rows ``lookup_status = error: ...``. API keys come from environment variables and are never
printed (messages and ``lookup_source`` carry no query strings).

Providers (response shapes from their public docs):
  esplora     GET {url}/address/{a}, {url}/address/{a}/txs/chain[/{last_txid}]  (Blockstream, mempool.space, self-hosted Esplora/electrs)
  blockchair  GET {url}/{chain}/dashboards/address/{a}                         (key: BLOCKCHAIR_API_KEY)
  etherscan   GET {url}?chainid=1&module=account&action=balance|txlist&...      (key: ETHERSCAN_API_KEY, required)
  blockcypher GET {url}/{coin}/{net}/addrs/{a}/balance                          (token: BLOCKCYPHER_TOKEN)
  tronscan    GET {url}/accountv2?address={a}                                   (key: TRONSCAN_API_KEY, header TRON-PRO-API-KEY)
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..errors import NetworkError, UsageError

LOOKUP_FIELDS = ("balance", "total_received", "total_sent", "tx_count", "first_seen", "last_seen",
                 "unit", "lookup_status", "lookup_time", "lookup_source")


@dataclass
class Provider:
    name: str
    url: str
    chains: dict[str, str]               # chain -> provider's path/slug for it
    key_env: str | None = None
    key_required: bool = False
    interval: float = 0.0                # seconds between requests (public rate limits)
    interval_with_key: float | None = None


PROVIDERS: dict[str, Provider] = {
    "esplora": Provider("esplora", "https://blockstream.info/api",
                        {"bitcoin": "https://blockstream.info/api",
                         "bitcoin_testnet": "https://blockstream.info/testnet/api"}, interval=0.2),
    "mempool": Provider("mempool", "https://mempool.space/api",
                        {"bitcoin": "https://mempool.space/api",
                         "bitcoin_testnet": "https://mempool.space/testnet/api"}, interval=0.2),
    "blockchair": Provider("blockchair", "https://api.blockchair.com",
                           {"bitcoin": "bitcoin", "bitcoin_cash": "bitcoin-cash", "litecoin": "litecoin",
                            "dogecoin": "dogecoin", "dash": "dash", "zcash": "zcash",
                            "ethereum": "ethereum", "bitcoin_testnet": "bitcoin/testnet"},
                           key_env="BLOCKCHAIR_API_KEY", interval=2.0, interval_with_key=0.1),
    "etherscan": Provider("etherscan", "https://api.etherscan.io/v2/api", {"ethereum": "1"},
                          key_env="ETHERSCAN_API_KEY", key_required=True, interval=0.25),
    "blockcypher": Provider("blockcypher", "https://api.blockcypher.com/v1",
                            {"bitcoin": "btc/main", "litecoin": "ltc/main", "dogecoin": "doge/main",
                             "dash": "dash/main", "bitcoin_testnet": "btc/test3", "ethereum": "eth/main"},
                            key_env="BLOCKCYPHER_TOKEN", interval=0.4),
    "tronscan": Provider("tronscan", "https://apilist.tronscanapi.com/api", {"tron": ""},
                         key_env="TRONSCAN_API_KEY", interval=0.25),
}
DEFAULT_PROVIDER = {"bitcoin": "esplora", "bitcoin_testnet": "esplora", "bitcoin_cash": "blockchair",
                    "litecoin": "blockchair", "dogecoin": "blockchair", "dash": "blockchair",
                    "zcash": "blockchair", "ethereum": "etherscan", "tron": "tronscan"}
UNITS = {"bitcoin": "satoshi", "bitcoin_testnet": "satoshi", "bitcoin_cash": "satoshi",
         "litecoin": "litoshi", "dogecoin": "koinu", "dash": "duff", "zcash": "zatoshi",
         "ethereum": "wei", "tron": "sun"}
NO_LOOKUP = {
    "monero": "Monero balances cannot be looked up (private by design)",
    "monero_testnet": "Monero balances cannot be looked up (private by design)",
    "monero_stagenet": "Monero balances cannot be looked up (private by design)",
    "ens": "an ENS name, not an address (resolve it first)",
}
ESPLORA_ENV = "TOEX_ESPLORA_URL"
CACHE_ENV = "TOEX_CACHE_DIR"


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class _Fatal(Exception):
    pass


# ------------------------------------------------------------------------------------ cache
def cache_dir(path: str | os.PathLike | None = None, env=os.environ) -> Path:
    """The user-private cache directory (created 0700; tightened to 0700 if it exists)."""
    if path is None:
        if env.get(CACHE_ENV):
            path = Path(env[CACHE_ENV]) / "crypto-lookup"
        else:
            base = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            path = base / "toex" / "crypto-lookup"
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        if stat.S_IMODE(path.stat().st_mode) != 0o700:
            os.chmod(path, 0o700)
    except OSError:
        pass
    return path


def _cache_key(provider: str, url: str, chain: str, address: str) -> str:
    return hashlib.sha256(f"{provider}\n{url}\n{chain}\n{address}".encode()).hexdigest()


def _cache_read(directory: Path, key: str, max_age: float | None, now: float):
    p = directory / f"{key}.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if max_age is not None and now - data.get("fetched_at_epoch", 0) > max_age:
        return None
    return data


def _cache_write(directory: Path, key: str, data: dict) -> None:
    p = directory / f"{key}.json"
    tmp = p.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(tmp, p)


# ------------------------------------------------------------------------------------- HTTP
@dataclass
class Client:
    """GET JSON with per-host spacing, retries and backoff; never logs query strings."""

    timeout: float = 15.0
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    _last: dict = field(default_factory=dict)
    requests: int = 0

    def get(self, url: str, *, headers: dict | None = None, interval: float = 0.0):
        host = urllib.parse.urlsplit(url).netloc
        attempt = 0
        while True:
            wait = self._last.get(host, 0.0) + interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            self._last[host] = time.monotonic()
            attempt += 1
            try:
                return self._once(url, headers or {})
            except _Retryable as exc:
                if attempt > self.retries:
                    raise _Fatal(f"{exc} (gave up after {attempt} attempts)") from None
                delay = exc.retry_after if exc.retry_after is not None else self.backoff * 2 ** (attempt - 1)
                self.sleep(min(delay, self.max_retry_after))

    def _once(self, url: str, headers: dict):
        req = urllib.request.Request(url, headers={"Accept": "application/json",
                                                   "User-Agent": "toex-crypto-lookup", **headers})
        self.requests += 1
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                body = resp.read()
        except urllib.error.HTTPError as exc:
            code = exc.code
            try:
                detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()[0][:120]
            except Exception:
                detail = ""
            retry_after = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            if code == 429 or code >= 500:
                raise _Retryable(f"HTTP {code}", retry_after) from None
            if code == 404:
                raise _NotFound(f"HTTP 404{': ' + detail if detail else ''}") from None
            raise _Fatal(f"HTTP {code}{': ' + detail if detail else ''}") from None
        except (socket.timeout, TimeoutError):
            raise _Retryable(f"timed out after {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise _Retryable(f"timed out after {self.timeout:g} s") from None
            raise _Retryable(f"cannot connect ({reason})") from None
        except (ConnectionError, OSError) as exc:
            raise _Retryable(f"connection failed ({type(exc).__name__})") from None
        try:
            return json.loads(body)
        except ValueError:
            raise _Fatal("the reply is not JSON") from None


class _NotFound(_Fatal):
    pass


def _retry_after(value) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _iso(epoch) -> str:
    if epoch in (None, "", 0, "0"):
        return ""
    return datetime.fromtimestamp(float(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso_text(value) -> str:
    """Blockchair's 'YYYY-MM-DD HH:MM:SS' (UTC) -> ISO 8601."""
    return value.replace(" ", "T") + "Z" if value else ""


# ---------------------------------------------------------------------------------- providers
def _fetch_esplora(client: Client, base: str, address: str, prov: Provider, chain: str, key, max_pages: int) -> dict:
    root = base.rstrip("/")
    info = client.get(f"{root}/address/{urllib.parse.quote(address)}", interval=prov.interval)
    cs = info.get("chain_stats") or {}
    ms = info.get("mempool_stats") or {}
    funded, spent = int(cs.get("funded_txo_sum", 0)), int(cs.get("spent_txo_sum", 0))
    out = {"balance": str(funded - spent), "total_received": str(funded), "total_sent": str(spent),
           "tx_count": str(int(cs.get("tx_count", 0))), "first_seen": "", "last_seen": "", "notes": []}
    if ms.get("tx_count"):
        out["notes"].append(f"{ms['tx_count']} unconfirmed transaction(s) not counted")
    if not cs.get("tx_count"):
        return out
    page = client.get(f"{root}/address/{urllib.parse.quote(address)}/txs/chain", interval=prov.interval)
    if page:
        out["last_seen"] = _iso((page[0].get("status") or {}).get("block_time"))
    pages, at_end = 1, len(page) < 25
    while page and not at_end and pages < max_pages:
        last = page[-1]["txid"]
        nxt = client.get(f"{root}/address/{urllib.parse.quote(address)}/txs/chain/{last}", interval=prov.interval)
        pages += 1
        if not nxt:
            at_end = True
            break
        page = nxt
        at_end = len(page) < 25
    if page and at_end:
        out["first_seen"] = _iso((page[-1].get("status") or {}).get("block_time"))
    elif page:
        out["notes"].append(f"first_seen not reached: more than {25 * max_pages} transactions")
    return out


def _fetch_blockchair(client: Client, base: str, address: str, prov: Provider, chain: str, key, max_pages: int) -> dict:
    slug = prov.chains[chain]
    q = f"?key={urllib.parse.quote(key)}" if key else ""
    interval = prov.interval_with_key if (key and prov.interval_with_key is not None) else prov.interval
    data = client.get(f"{base.rstrip('/')}/{slug}/dashboards/address/{urllib.parse.quote(address)}{q}",
                      interval=interval)
    ctx = data.get("context") or {}
    if ctx.get("code") not in (None, 200):
        if ctx.get("code") in (402, 429):
            raise _Retryable(f"blockchair code {ctx.get('code')}")
        raise _Fatal(f"blockchair code {ctx.get('code')}: {str(ctx.get('error', ''))[:100]}")
    entries = data.get("data") or {}
    entry = entries.get(address) or next(iter(entries.values()), None) if isinstance(entries, dict) else None
    if not entry or not entry.get("address"):
        raise _Fatal("blockchair: no data for the address")
    a = entry["address"]
    firsts = [v for v in (a.get("first_seen_receiving"), a.get("first_seen_spending")) if v]
    lasts = [v for v in (a.get("last_seen_receiving"), a.get("last_seen_spending")) if v]
    return {"balance": str(a.get("balance", "")), "total_received": str(a.get("received", "")),
            "total_sent": str(a.get("spent", "")), "tx_count": str(a.get("transaction_count", "")),
            "first_seen": _iso_text(min(firsts)) if firsts else "",
            "last_seen": _iso_text(max(lasts)) if lasts else "", "notes": []}


def _etherscan_call(client, base, prov, params, key):
    query = urllib.parse.urlencode({**params, "apikey": key})
    data = client.get(f"{base}?{query}", interval=prov.interval)
    status, message, result = data.get("status"), str(data.get("message", "")), data.get("result")
    if status == "1":
        return result
    text = str(result)
    if "rate limit" in text.lower():
        raise _Retryable("etherscan rate limit")
    if "no transactions found" in message.lower() or result == []:
        return []
    raise _Fatal(f"etherscan: {message or 'error'}: {text[:100]}".replace(key or "\0", "***"))


def _fetch_etherscan(client: Client, base: str, address: str, prov: Provider, chain: str, key, max_pages: int) -> dict:
    base = base.rstrip("/")
    common = {"chainid": prov.chains[chain], "module": "account", "address": address}
    balance = _etherscan_call(client, base, prov, {**common, "action": "balance", "tag": "latest"}, key)
    first = _etherscan_call(client, base, prov, {**common, "action": "txlist", "startblock": 0,
                                                 "endblock": 99999999, "page": 1, "offset": 1, "sort": "asc"}, key)
    out = {"balance": str(balance), "total_received": "", "total_sent": "", "tx_count": "",
           "first_seen": "", "last_seen": "",
           "notes": ["etherscan gives no transaction count or totals"]}
    if first:
        out["first_seen"] = _iso(first[0].get("timeStamp"))
        last = _etherscan_call(client, base, prov, {**common, "action": "txlist", "startblock": 0,
                                                    "endblock": 99999999, "page": 1, "offset": 1, "sort": "desc"}, key)
        if last:
            out["last_seen"] = _iso(last[0].get("timeStamp"))
    return out


def _fetch_blockcypher(client: Client, base: str, address: str, prov: Provider, chain: str, key, max_pages: int) -> dict:
    q = f"?token={urllib.parse.quote(key)}" if key else ""
    a = client.get(f"{base.rstrip('/')}/{prov.chains[chain]}/addrs/{urllib.parse.quote(address)}/balance{q}",
                   interval=prov.interval)
    return {"balance": str(a.get("balance", "")), "total_received": str(a.get("total_received", "")),
            "total_sent": str(a.get("total_sent", "")), "tx_count": str(a.get("n_tx", "")),
            "first_seen": "", "last_seen": "",
            "notes": ["blockcypher's balance endpoint gives no first/last seen"]}


def _fetch_tronscan(client: Client, base: str, address: str, prov: Provider, chain: str, key, max_pages: int) -> dict:
    headers = {"TRON-PRO-API-KEY": key} if key else {}
    a = client.get(f"{base.rstrip('/')}/accountv2?address={urllib.parse.quote(address)}",
                   headers=headers, interval=prov.interval)
    if not isinstance(a, dict) or ("balance" not in a and "totalTransactionCount" not in a):
        raise _Fatal("tronscan: no account data")
    ms = lambda v: _iso(int(v) / 1000) if v else ""  # noqa: E731
    return {"balance": str(a.get("balance", "")), "total_received": "", "total_sent": "",
            "tx_count": str(a.get("totalTransactionCount", "")),
            "first_seen": ms(a.get("date_created")), "last_seen": ms(a.get("latest_operation_time")),
            "notes": ["TRX balance only (tokens are listed separately by tronscan)"]}


FETCHERS = {"esplora": _fetch_esplora, "mempool": _fetch_esplora, "blockchair": _fetch_blockchair,
            "etherscan": _fetch_etherscan, "blockcypher": _fetch_blockcypher, "tronscan": _fetch_tronscan}


# ------------------------------------------------------------------------------------- plan
@dataclass
class Target:
    address: str
    chain: str
    provider: str = ""
    url: str = ""
    self_hosted: bool = False
    reason: str = ""           # why it is not looked up (when provider is empty)


def plan_lookup(addresses: dict[str, str], provider: str | None = None, url: str | None = None,
                env=os.environ) -> list[Target]:
    """Decide, for each distinct normalised address (address -> chain), where it would go."""
    if provider is not None and provider not in PROVIDERS:
        raise UsageError(f"--provider must be one of {', '.join(PROVIDERS)}, not '{provider}'")
    configured = url or env.get(ESPLORA_ENV) or None
    targets = []
    for address, chain in addresses.items():
        if chain in NO_LOOKUP:
            targets.append(Target(address, chain, reason=NO_LOOKUP[chain]))
            continue
        name = provider or DEFAULT_PROVIDER.get(chain)
        if configured and not provider and chain in PROVIDERS["esplora"].chains:
            name = "esplora"
        if name is None or chain not in PROVIDERS[name].chains:
            why = f"no lookup provider for {chain}" if name is None else f"{name} does not serve {chain}"
            targets.append(Target(address, chain, reason=why))
            continue
        if (provider and url) or (configured and name == "esplora"):
            targets.append(Target(address, chain, name, configured.rstrip("/"), self_hosted=True))
        else:
            default = PROVIDERS[name].chains[chain] if name in ("esplora", "mempool") else PROVIDERS[name].url
            targets.append(Target(address, chain, name, default))
    return targets


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _describe(targets: list[Target], limit: int = 3) -> str:
    groups: dict[tuple, list[str]] = {}
    for t in targets:
        groups.setdefault((t.provider, t.url), []).append(t.address)
    parts = []
    for (prov, url), addrs in groups.items():
        shown = ", ".join(addrs[:limit]) + (f" and {len(addrs) - limit} more" if len(addrs) > limit else "")
        parts.append(f"{len(addrs)} to {_host(url)} ({prov}): {shown}")
    return "; ".join(parts)


# ----------------------------------------------------------------------------------- lookup
def lookup_values(targets: list[Target], *, online: bool = False, client: Client | None = None,
                  cache: str | os.PathLike | None = None, use_cache: bool = True,
                  max_age: float | None = None, max_pages: int = 40, env=os.environ,
                  log: Callable[[str], None] | None = None) -> dict[str, dict]:
    """Fetch each target (or take it from the cache); return address -> result fields."""
    log = log or (lambda m: None)
    remote = [t for t in targets if t.provider]
    public = [t for t in remote if not t.self_hosted]
    if public and not online:
        if not any(t.self_hosted for t in remote):
            raise UsageError(
                "lookup sends addresses to a third-party block explorer and needs --online; nothing "
                f"was sent. It would send {_describe(public)}. Add --online to allow this, or point "
                f"--url (or {ESPLORA_ENV}) at a self-hosted Esplora")
    client = client or Client()
    directory = cache_dir(cache, env) if use_cache else None
    now = time.time()
    results: dict[str, dict] = {}
    to_fetch: list[Target] = []
    for t in targets:
        if not t.provider:
            results[t.address] = _row(t, status=f"not looked up: {t.reason}")
        elif not t.self_hosted and not online:
            results[t.address] = _row(t, status=f"not looked up: needs --online (would go to {_host(t.url)})")
        else:
            hit = _cache_read(directory, _cache_key(t.provider, t.url, t.chain, t.address), max_age, now) \
                if directory else None
            if hit is not None:
                results[t.address] = {**hit["result"], "lookup_status": "ok (cached)"}
            else:
                to_fetch.append(t)
    skipped = [t for t in remote if not t.self_hosted and not online]
    if skipped:
        log(f"not sent (no --online): {_describe(skipped)}")
    cached = sum(1 for r in results.values() if r.get("lookup_status") == "ok (cached)")
    if cached:
        log(f"{cached:,} address(es) answered from the cache ({directory})")
    if to_fetch:
        log(f"sending {_describe(to_fetch)}" + ("" if online else " (self-hosted endpoint)"))
    failures = 0
    for t in to_fetch:
        prov = PROVIDERS[t.provider]
        key = env.get(prov.key_env) if prov.key_env else None
        if prov.key_required and not key:
            results[t.address] = _row(t, status=f"error: {t.provider} needs an API key in {prov.key_env}")
            failures += 1
            continue
        try:
            got = FETCHERS[t.provider](client, t.url, t.address, prov, t.chain, key, max_pages)
        except _NotFound as exc:
            results[t.address] = _row(t, status=f"error: not found ({_redact(str(exc), key)})")
            failures += 1
            continue
        except _Fatal as exc:
            results[t.address] = _row(t, status=f"error: {_redact(str(exc), key)}")
            failures += 1
            continue
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            results[t.address] = _row(t, status=f"error: unexpected reply ({type(exc).__name__})")
            failures += 1
            continue
        notes = got.pop("notes", [])
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        row = {**{k: got.get(k, "") for k in LOOKUP_FIELDS[:6]}, "unit": UNITS.get(t.chain, ""),
               "lookup_status": "ok" + (f" ({'; '.join(notes)})" if notes else ""),
               "lookup_time": stamp, "lookup_source": f"{t.provider} {t.url} ({t.chain})"}
        results[t.address] = row
        if directory:
            _cache_write(directory, _cache_key(t.provider, t.url, t.chain, t.address),
                         {"fetched_at": stamp, "fetched_at_epoch": time.time(), "result": row})
    if to_fetch:
        log(f"looked up {len(to_fetch) - failures:,} of {len(to_fetch):,} address(es)"
            + (f"; {failures:,} failed (see lookup_status)" if failures else ""))
        statuses = [results[t.address]["lookup_status"] for t in to_fetch]
        unsent = [st for st in statuses if st.startswith("error: ") and "needs an API key" in st]
        if failures == len(to_fetch) and len(unsent) < len(statuses) and all(
                st.startswith("error: cannot connect") or st in unsent for st in statuses):
            # nothing reached any explorer (a provider without its key was not even tried)
            raise NetworkError(f"no explorer could be reached ({_describe(to_fetch)}); are you offline?")
    return results


def _redact(text: str, key: str | None) -> str:
    return text.replace(key, "***") if key else text


def _row(t: Target, status: str) -> dict:
    return {**{k: "" for k in LOOKUP_FIELDS}, "unit": UNITS.get(t.chain, ""), "lookup_status": status,
            "lookup_source": f"{t.provider} {t.url} ({t.chain})" if t.provider else ""}


def lookup(df, column: str, *, online: bool = False, provider: str | None = None,
           url: str | None = None, cache: str | os.PathLike | None = None, use_cache: bool = True,
           max_age: float | None = None, client: Client | None = None, max_pages: int = 40,
           env=os.environ, source: str = "input", log: Callable[[str], None] | None = None):
    """Add COL_balance, COL_total_received, COL_total_sent, COL_tx_count, COL_first_seen,
    COL_last_seen, COL_unit, COL_lookup_status, COL_lookup_time, COL_lookup_source right after
    COL. Amounts are integers in the chain's base unit (satoshi, wei, sun) written as text."""
    import pandas as pd

    from ..errors import require_columns
    from .frame import check_values

    require_columns(df.columns, [column], source)
    checked = check_values(df[column])
    addresses: dict[str, str] = {}
    for norm, chain, valid in zip(checked["normalised"], checked["chain"], checked["valid"]):
        if valid and norm and norm not in addresses:
            addresses[norm] = chain
    targets = plan_lookup(addresses, provider=provider, url=url, env=env)
    results = lookup_values(targets, online=online, client=client, cache=cache, use_cache=use_cache,
                            max_age=max_age, max_pages=max_pages, env=env, log=log)
    names = [f"{column}_{f}" for f in LOOKUP_FIELDS]
    clash = [n for n in names if n in df.columns]
    if clash:
        raise UsageError(f"{source}: column '{clash[0]}' already exists; rename it or look up another column")
    cols = {n: [] for n in names}
    for norm, valid, status in zip(checked["normalised"], checked["valid"], checked["status"]):
        r = results.get(norm) if valid else None
        if r is None:
            r = {**{k: "" for k in LOOKUP_FIELDS},
                 "lookup_status": "not looked up: " + ("empty" if status == "empty" else f"not a valid address ({status})")}
        for f, n in zip(LOOKUP_FIELDS, names):
            cols[n].append(r.get(f, ""))
    pos = list(df.columns).index(column) + 1
    order = list(df.columns[:pos]) + names + list(df.columns[pos:])
    parts = {c: df[c] for c in df.columns}
    parts.update({n: pd.Series(v, index=df.index, dtype="str") for n, v in cols.items()})
    return pd.DataFrame({c: parts[c] for c in order}, index=df.index)
