"""QA findings for `toex crypto lookup`: nothing is sent when the output cannot be written, a
repeated -c is refused, and a run that reached no explorer at all exits 3."""

from __future__ import annotations

import socket

import pytest

from conftest import run_cli
from test_crypto_lookup import BTC, ETH, clean_env, server  # noqa: F401 - fixtures


@pytest.fixture
def local_only(monkeypatch):
    """Any name lookup other than 127.0.0.1 fails (the test must never reach the internet)."""
    real = socket.getaddrinfo
    attempts = []

    def guarded(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost", None):
            attempts.append(host)
            raise socket.gaierror(f"blocked in tests: {host}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    return attempts


def test_existing_output_is_refused_before_any_address_is_sent(clean_env, server, local_only):
    csv = clean_env / "w.csv"
    csv.write_text(f"wallet\n{BTC}\n")
    out = clean_env / "looked_up.csv"
    out.write_text("earlier work\n")
    r = run_cli(["crypto", "lookup", csv, "-c", "wallet", "--url", server.url + "/api", "-o", out])
    assert r.exit_code == 2
    assert "already exists" in r.stderr
    assert server.log == []                       # the address never left the machine
    assert out.read_text() == "earlier work\n"
    r = run_cli(["crypto", "lookup", csv, "-c", "wallet", "--url", server.url + "/api",
                 "-o", clean_env / "x.docx"])
    assert r.exit_code == 2 and server.log == []


def test_repeated_column_is_refused(clean_env, server, local_only):
    csv = clean_env / "w.csv"
    csv.write_text(f"note,wallet\nx,{BTC}\n")
    r = run_cli(["crypto", "lookup", csv, "-c", "note", "-c", "wallet", "--url", server.url + "/api"])
    assert r.exit_code == 2
    assert "one column" in r.stderr
    assert server.log == []


def test_nothing_reached_exits_3_even_when_a_provider_also_lacks_its_key(clean_env, local_only):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()                                # nothing listens there: connection refused
    csv = clean_env / "w.csv"
    csv.write_text(f"wallet\n{BTC}\n{ETH}\n")     # ETH needs ETHERSCAN_API_KEY, which is unset
    r = run_cli(["crypto", "lookup", csv, "-c", "wallet", "--online", "--url",
                 f"http://127.0.0.1:{port}/api", "--retries", "0", "--timeout", "2"])
    assert r.exit_code == 3, r.stderr
    assert "could be reached" in r.stderr
    assert local_only == []


def test_find_keep_column_named_like_an_output_column_is_a_usage_error(tmp_path):
    src = tmp_path / "chat.csv"
    src.write_text(f"address,text\n12 High St,pay {BTC} now\n")
    r = run_cli(["crypto", "find", src, "-c", "text", "-k", "address"])
    assert r.exit_code == 2, r.stderr
    assert "address" in r.stderr and "Traceback" not in r.stderr
    # provenance columns are already in the output: keeping them is harmless
    r = run_cli(["crypto", "find", src, "-c", "text", "-k", "_source", "-k", "_row"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0].count("_source") == 1


def test_the_same_column_given_twice_is_searched_once(tmp_path):
    src = tmp_path / "chat.csv"
    src.write_text(f"text\npay {BTC} now\n")
    r = run_cli(["crypto", "find", src, "-c", "text", "-c", "text"])
    assert r.exit_code == 0, r.stderr
    assert len(r.stdout.splitlines()) == 2          # one hit, not a duplicated evidence row
    r = run_cli(["crypto", "check", src, "-c", "text", "-c", "text"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0].count("text_chain") == 1


def test_group_help_shows_a_worked_example():
    r = run_cli(["crypto", "--help"])
    assert r.exit_code == 0
    assert "Examples" in r.stdout and "toex crypto check examples/crypto_wallets.csv" in r.stdout


def test_find_output_types_do_not_depend_on_the_first_batch_having_hits(tmp_path):
    import pyarrow.parquet as pq

    (tmp_path / "a.csv").write_text("text\nnothing to see\n")
    (tmp_path / "b.csv").write_text(f"text\npay {BTC} now\n")
    out = tmp_path / "hits.parquet"
    r = run_cli(["crypto", "find", tmp_path / "a.csv", tmp_path / "b.csv", "-c", "text", "-o", out])
    assert r.exit_code == 0, r.stderr
    schema = pq.read_schema(out)
    assert {n: str(schema.field(n).type) for n in ("_row", "start", "end", "valid")} == {
        "_row": "int64", "start": "int64", "end": "int64", "valid": "bool"}
    assert pq.read_table(out).num_rows == 1
