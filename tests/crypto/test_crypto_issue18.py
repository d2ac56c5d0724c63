"""Issue 18: other projects' vectors (Bitcoin Core key_io, Litecoin key_io, xrpl.js X-addresses,
Monero, BIP350) and the gaps they showed. Vectors live in data/issue18_vectors.json with their
sources; vectors for a version byte no public file here covers (Dash testnet P2SH, Dogecoin and
Dash WIF, Monero stagenet) are built in the test from a public payload and the chain's
chainparams version byte, which is what the check under test reads."""

import json
from pathlib import Path

import pytest

from toexcli.crypto import classify
from toexcli.crypto.encodings import (
    B58_XRP, b58check_decode, b58check_encode, keccak256, xmr_b58decode, xmr_b58encode,
)
from toexcli.crypto.scan import Finder

V = json.loads((Path(__file__).parent / "data" / "issue18_vectors.json").read_text())


@pytest.mark.parametrize("addr,chain,typ", V["bitcoin_key_io_valid"] + V["litecoin_key_io_valid"])
def test_key_io_valid_addresses(addr, chain, typ):
    r = classify(addr)
    assert r["valid"], r
    assert r["chain"] == chain and r["type"] == typ


@pytest.mark.parametrize("s", V["bitcoin_key_io_invalid"])
def test_key_io_invalid_strings_are_not_valid(s):
    assert not classify(s)["valid"]


@pytest.mark.parametrize("wif,chain,key", V["bitcoin_key_io_privkeys"] + V["litecoin_key_io_privkeys"])
def test_wif_private_keys_are_key_material(wif, chain, key):
    r = classify(wif)
    assert not r["valid"] and r["status"].startswith("key material") and r["chain"] == chain
    assert key in b58check_decode(wif).hex()


def _rewif(wif: str, version: int) -> str:
    return b58check_encode(bytes([version]) + b58check_decode(wif)[1:])


@pytest.mark.parametrize("version,chain", [(0x9E, "dogecoin"), (0xF1, "dogecoin_testnet"), (0xCC, "dash"),
                                           (0xB0, "litecoin")])
def test_fork_wif_versions_are_key_material(version, chain):
    for wif, _, _ in V["bitcoin_key_io_privkeys"][:2]:  # uncompressed and compressed payloads
        r = classify(_rewif(wif, version))
        assert r["status"].startswith("key material") and r["chain"] == chain, r


def test_find_surfaces_fork_wif_keys_as_secrets():
    text = "keys: " + " ".join(_rewif(V["bitcoin_key_io_privkeys"][1][0], v) for v in (0xB0, 0x9E, 0xCC))
    hits = list(Finder(include_invalid=True).scan(text))
    assert [h[4] for h in hits] == ["wif_private_key"] * 3
    assert [h[3] for h in hits] == ["litecoin", "dogecoin", "dash"]
    assert list(Finder().scan(text)) == []  # never reported as valid addresses


def test_dash_testnet_p2sh_version_0x13():
    payload = b58check_decode("2NC2hEhe28ULKAJkW5MjZ3jtTMJdvXmByvK")[1:]  # a key_io P2SH hash
    r = classify(b58check_encode(b"\x13" + payload))
    assert r["valid"] and (r["chain"], r["type"]) == ("dash_testnet", "p2sh")


# ------------------------------------------------------------------------- XRP X-addresses
@pytest.mark.parametrize("x,classic,tag", V["xrpl_x_addresses"])
def test_xrpl_x_address_vectors(x, classic, tag):
    r = classify(x)
    assert r["valid"] and r["chain"] == "ripple" and r["type"] == "x_address", r
    data = b58check_decode(x, B58_XRP)
    assert b58check_encode(b"\x00" + data[2:22], B58_XRP) == classic
    assert (f"tag {tag})" in r["note"]) if tag is not None else ("no tag" in r["note"])


def _x_with(x: str, flag: int, tag: bytes | None = None) -> str:
    data = bytearray(b58check_decode(x, B58_XRP))
    data[22] = flag
    if tag is not None:
        data[23:31] = tag
    return b58check_encode(bytes(data), B58_XRP)


@pytest.mark.parametrize("flag", [2, 3, 255])
def test_xrpl_x_address_flag_other_than_0_or_1_fails(flag):
    r = classify(_x_with(V["xrpl_x_addresses"][1][0], flag))
    assert not r["valid"] and r["status"].startswith("bad flag"), r


def test_xrpl_x_address_reserved_tag_bytes_must_be_zero():
    x = V["xrpl_x_addresses"][1][0]
    assert not classify(_x_with(x, 1, b"\x01\x00\x00\x00\x01\x00\x00\x00"))["valid"]  # 64-bit tag
    assert not classify(_x_with(x, 0, b"\x01" + bytes(7)))["valid"]  # a tag without the flag


# ------------------------------------------------------------------------------- Monero
@pytest.mark.parametrize("addr,typ", V["monero_mainnet"])
def test_monero_vectors(addr, typ):
    r = classify(addr)
    assert r["valid"] and (r["chain"], r["type"]) == ("monero", typ)


def _xmr_renet(addr: str, netbyte: int) -> str:
    raw = xmr_b58decode(addr)
    body = bytes([netbyte]) + raw[1:-4]
    return xmr_b58encode(body + keccak256(body)[:4])


@pytest.mark.parametrize("netbyte,first,typ", [(0x24, "7", "subaddress"), (0x18, "5", "standard")])
def test_monero_stagenet(netbyte, first, typ):
    src = V["monero_mainnet"][1][0] if typ == "subaddress" else V["monero_mainnet"][0][0]
    addr = _xmr_renet(src, netbyte)
    assert addr[0] == first
    r = classify(addr)
    assert r["valid"] and (r["chain"], r["type"]) == ("monero_stagenet", typ), r
    bad = addr[:-1] + ("a" if addr[-1] != "a" else "b")
    assert not classify(bad)["valid"]


# ------------------------------------------------------------------------------- Solana
def test_solana_system_program_is_not_a_hex_digest():
    r = classify("11111111111111111111111111111111")
    assert r["valid"] and r["chain"] == "solana" and "System Program" in r["note"]
    assert not classify("d41d8cd98f00b204e9800998ecf8427e")["valid"]  # an MD5 digest stays a digest


# --------------------------------------------------------------- short witness v1+ in find
@pytest.mark.parametrize("addr", V["bip350_short"] + ["bc1z2rksukkjr8"])
def test_find_picks_up_short_segwit_addresses(addr):
    hits = list(Finder().scan(f"paid to {addr}, thanks"))
    assert [h[2] for h in hits] == [addr] and hits[0][5] is True
    assert classify(addr)["valid"]


def test_find_short_candidates_stay_whole_tokens():
    assert list(Finder().scan("xbc1z2rksukkjr8 bc1z2rksukkjr8x bc1z2rksukkjr9")) == []
