"""Finding addresses in free text: mixed chains, URIs, punctuation, offsets, decoys."""

import pandas as pd

from toexcli.crypto import find, find_in_text

BTC = "12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX"
BECH = "bc1q34aq5drpuwy3wgl9lhup9892qp6svr8ldzyy7c"
TAPROOT = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
ETH = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
TRON = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
XMR = "4ADT1BtbxqEWeMKp9GgPr2NeyJXXtNxvoDawpyA4WpzFcGcoHUvXeijE66DNfohE9r1bQYaBiQjEtKE7CtkTdLwiDznFzra"
CASH = "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"
LTC = "LM2WMpR1Rp6j3Sa59cMXMs1SPzj9eXpGc1"
DOGE = "DANHz6EQVoWyZ9rER56DwTXHWUxfkv9k2o"
XRP = "rrrrrrrrrrrrrrrrrrrrBZbvji"
SOL = "EPjFWdd5AufqSSqeM2qN1xxybapC8G4wEGGkZwyTDt1v"

DECOYS = (
    "tx 000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f confirmed. "
    "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855, md5 "
    "d41d8cd98f00b204e9800998ecf8427e, key 4F2A 9C1D 7B3E 0A55 D1C8  6E2F 9A07 31B4 C5D8 E6F1 "
    "(4F2A9C1D7B3E0A55D1C86E2F9A0731B4C5D8E6F1), ring 07700 900789 or +447700900789, "
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8, rechtsanwaltskanzleien2024x "
    "3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F, supercalifragilisticexpialidocious, "
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad."
)


def test_mixed_chains_in_free_text():
    text = (f"pay {BTC}, or\n{BECH}. taproot: {TAPROOT}; eth ({ETH}) tron {TRON}!\n"
            f"xmr {XMR} bch {CASH} ltc \"{LTC}\" doge '{DOGE}' xrp {XRP}? sol {SOL}")
    hits = find_in_text(text)
    got = [(h["address"], h["chain"]) for h in hits]
    assert got == [(BTC, "bitcoin"), (BECH, "bitcoin"), (TAPROOT, "bitcoin"), (ETH, "ethereum"),
                   (TRON, "tron"), (XMR, "monero"), (CASH, "bitcoin_cash"), (LTC, "litecoin"),
                   (DOGE, "dogecoin"), (XRP, "ripple"), (SOL, "solana")]
    for h in hits:
        assert text[h["start"]:h["end"]] == h["address"]
        assert h["valid"]
    assert [h["type"] for h in hits][:3] == ["p2pkh", "p2wpkh", "p2tr"]


def test_uris_with_amounts():
    text = (f"bitcoin:{BTC}?amount=0.05&label=x then ethereum:{ETH}@1?value=2.5e18 "
            f"and BITCOIN:{BECH.upper()}?amount=1")
    hits = find_in_text(text)
    assert [h["address"] for h in hits] == [BTC, ETH, BECH.upper()]
    assert hits[2]["normalised"] == BECH


def test_decoys_are_not_extracted_even_with_include_invalid():
    assert find_in_text(DECOYS) == []
    assert find_in_text(DECOYS, include_invalid=True) == []


def test_near_misses_only_with_include_invalid():
    typo = BTC[:10] + ("X" if BTC[10] != "X" else "Y") + BTC[11:]
    eth_typo = ETH[:3] + ETH[3].swapcase() + ETH[4:]
    text = f"old {typo} and {eth_typo} and key 5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"
    assert find_in_text(text) == []
    hits = find_in_text(text, include_invalid=True)
    assert [h["address"] for h in hits] == [typo, eth_typo, "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"]
    assert [h["valid"] for h in hits] == [False, False, False]
    assert hits[0]["status"] == "bad checksum" and hits[2]["status"].startswith("key material")


def test_ens_names_are_reported_as_names():
    hits = find_in_text("send it to Vitalik.ETH or crystal-shop.eth, not meth or eth.")
    assert [(h["address"], h["chain"], h["normalised"]) for h in hits] == [
        ("Vitalik.ETH", "ens", "vitalik.eth"), ("crystal-shop.eth", "ens", "crystal-shop.eth")]


def test_glued_tokens_are_not_split_into_addresses():
    assert find_in_text(f"x{BTC}") == []          # part of a longer word
    assert find_in_text(f"{BTC}abc") == []
    assert find_in_text(f"base64 abc+{SOL}==") == []


def test_find_dataframe_provenance_and_offsets():
    df = pd.DataFrame({
        "sender": ["07700 900123", "07700 900456", "07700 900789", None],
        "text": [f"{BTC} and {ETH}", None, "nothing here, call me", f"\n\n  {TRON}"],
        "_source": ["chat.csv"] * 4,
        "_row": [1, 2, 3, 4],
    })
    out = find(df, "text", keep=["sender"])
    assert list(out.columns) == ["_source", "_row", "column", "sender", "start", "end", "address",
                                 "chain", "type", "valid", "normalised", "status", "confidence", "note"]
    assert out["_row"].tolist() == [1, 1, 4]
    assert out["address"].tolist() == [BTC, ETH, TRON]
    assert out["start"].tolist() == [0, len(BTC) + 5, 4]
    assert out["sender"].tolist()[:2] == ["07700 900123"] * 2
    assert out["column"].unique().tolist() == ["text"]
    empty = find(df.iloc[2:3], "text")
    assert len(empty) == 0 and "address" in empty.columns


def test_find_several_columns_keeps_row_order():
    df = pd.DataFrame({"a": [BTC, "x", TRON], "b": ["y", ETH, DOGE]})
    out = find(df, ["a", "b"])
    assert out["address"].tolist() == [BTC, ETH, TRON, DOGE]
    assert out["_row"].tolist() == [1, 2, 3, 3]


def test_solana_lookalikes_in_tokens_and_urls_are_skipped():
    assert find_in_text(f"https://x.example/cb?code={SOL}&state=1") == []
    assert find_in_text(f"jwt eyJhbGciOiJIUzI1NiJ9.{SOL}.sig") == []
    hits = find_in_text(f"https://solscan.io/account/{SOL} and plain {SOL}.")
    assert [h["address"] for h in hits] == [SOL, SOL]
    assert "no checksum" in hits[0]["status"] and hits[0]["confidence"] <= 0.5


def test_ocr_lookalike_near_miss_names_the_fix():
    ocr = TRON.replace("o", "O")  # an OCR read 'o' as 'O' (not base58)
    r = find_in_text(f"usdt to {ocr} pls", include_invalid=True)
    assert len(r) == 1 and not r[0]["valid"] and r[0]["status"].startswith("bad character")
    assert TRON in r[0]["note"]
    assert find_in_text(f"usdt to {ocr} pls") == []
    # base64 fragments with a foreign character and no fix are not near-misses
    assert find_in_text("blob aGVsbG8gd29ybGQgdGhpcyBpcyBPT0s0 end", include_invalid=True) == []


def test_find_on_non_text_and_object_columns():
    df = pd.DataFrame({"t": pd.Series([f"a {BTC}", None, 12345, f"é€ {ETH}"], dtype=object)})
    out = find(df, "t")
    assert out["address"].tolist() == [BTC, ETH]
    assert out["start"].tolist() == [2, 3] and out["_row"].tolist() == [1, 4]
    arrow = find(pd.DataFrame({"t": pd.Series([f"a {BTC}", None, f"é€ {ETH}"], dtype="str")}), "t")
    assert arrow["start"].tolist() == [2, 3] and arrow["_row"].tolist() == [1, 3]
