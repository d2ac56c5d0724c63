"""Official test vectors (BIP173, BIP350, EIP-55, CashAddr spec, CIP-19) and the known traps."""

import pytest

from toexcli.crypto import classify, recover_base58_case
from toexcli.crypto.address import segwit_decode
from toexcli.crypto.encodings import (
    B58_BTC, DecodeError, b58check_decode, b58check_encode, bech32_decode, eip55, keccak256,
)

# ---------------------------------------------------------------- BIP173 / BIP350 raw strings
BECH32_VALID = [  # BIP173
    "A12UEL5L", "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl",
]
BECH32M_VALID = [  # BIP350
    "A1LQFN3A", "a1lqfn3a",
    "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v", "?1v759aa",
]
BECH32_INVALID = [
    "\x201nwldj5", "\x7f1axkwrx", "\x801eym55h",
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
    "pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "de1lg7wt\xff", "A1G7SGD8",
    "10a06t8", "1qzzfhee",
]
BECH32M_INVALID = [
    "\x201xj0phk", "\x7f1g6xzxy", "\x801vctc34",
    "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
    "qyrz8wqd2c9m", "1qyrz8wqd2c9m", "y1b0jsk6g", "lt1igcx5c0", "in1muywd", "mm1crxm3i",
    "au1s5cgom", "M1VUXWEZ", "16plkw9", "1p2gdwpf",
]


@pytest.mark.parametrize("s", BECH32_VALID)
def test_bip173_valid_bech32(s):
    assert bech32_decode(s)[2] == "bech32"


@pytest.mark.parametrize("s", BECH32M_VALID)
def test_bip350_valid_bech32m(s):
    assert bech32_decode(s)[2] == "bech32m"


@pytest.mark.parametrize("s", BECH32_INVALID + BECH32M_INVALID)
def test_bip173_bip350_invalid_strings(s):
    with pytest.raises(DecodeError):
        bech32_decode(s)


# ---------------------------------------------------------------- segwit addresses (BIP350)
SEGWIT_VALID = {
    "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7":
        "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y":
        "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
    "BC1SW50QGDZ25J": "6002751e",
    "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs": "5210751e76e8199196d454941c45d1b3a323",
    "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy":
        "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
    "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c":
        "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0":
        "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
}
SEGWIT_INVALID = [
    # BIP350
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
    "bc1pw5dgrnzv",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    "bc1gmk9yu",
    # BIP173 invalid
    "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
    "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",
    "bc1rw5uspcuh",
    "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
    # BIP173 "valid" v1+ vectors encoded with bech32: BIP350 made them invalid
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
    "BC1SW50QA3JX3S",
    "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
]


def _script(ver, prog):
    return (bytes([0x50 + ver if ver else 0, len(prog)]) + prog).hex()


@pytest.mark.parametrize("addr,script", SEGWIT_VALID.items())
def test_bip350_valid_segwit_addresses(addr, script):
    _, ver, prog = segwit_decode(addr)
    assert _script(ver, prog) == script
    r = classify(addr)
    assert r["valid"] and r["normalised"] == addr.lower() and r["status"] == "ok"


@pytest.mark.parametrize("addr", SEGWIT_INVALID)
def test_bip173_bip350_invalid_segwit_addresses(addr):
    r = classify(addr)
    assert not r["valid"], r
    assert r["status"] and r["status"] != "ok"


def test_segwit_types_and_reasons():
    assert classify("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")["type"] == "p2tr"
    assert classify("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")["type"] == "p2wpkh"
    assert classify("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7")["chain"] == "bitcoin_testnet"
    assert classify("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh")["status"].startswith("bad checksum")
    assert "bech32m" in classify("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd")["status"]
    assert classify("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq")["status"].startswith("mixed case")
    assert classify("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut")["status"].startswith("wrong network")
    assert classify("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf")["status"].startswith("bad padding")


# ---------------------------------------------------------------- EIP-55 (keccak, not SHA3)
EIP55_VALID = [
    "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]


def test_keccak_is_not_sha3():
    import hashlib

    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert hashlib.sha3_256(b"").digest() != keccak256(b"")


@pytest.mark.parametrize("addr", EIP55_VALID[4:])
def test_eip55_mixed_case_vectors(addr):
    assert "0x" + eip55(addr[2:]) == addr
    r = classify(addr)
    assert r["valid"] and r["status"] == "ok" and r["normalised"] == addr and r["confidence"] >= 0.95


@pytest.mark.parametrize("addr", EIP55_VALID[:4])
def test_eip55_all_upper_or_lower_valid_but_unchecked(addr):
    r = classify(addr)
    assert r["valid"] and r["status"] == "ok: no checksum"
    assert "typo cannot be detected" in r["note"]
    assert r["normalised"] == "0x" + eip55(addr[2:]) and r["confidence"] < 0.95


@pytest.mark.parametrize("addr", EIP55_VALID[4:])
def test_eip55_one_case_flip_fails(addr):
    i = next(i for i, c in enumerate(addr) if i > 1 and c.isalpha())
    bad = addr[:i] + addr[i].swapcase() + addr[i + 1:]
    r = classify(bad)
    assert not r["valid"] and r["status"].startswith("bad checksum") and r["normalised"] == ""


def test_evm_lengths_and_bare_hex():
    assert classify("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")["status"].startswith("bad length")
    bare = classify("de709f2102306220921060314715629080e2fb77")  # 40 hex, no 0x: SHA-1-like
    assert not bare["valid"] and bare["status"].startswith("not an address") and bare["confidence"] <= 0.2
    assert "SHA-1" in bare["note"]
    mixed = classify("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")  # EIP-55 case pattern holds
    assert mixed["valid"] and mixed["normalised"] == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


# ---------------------------------------------------------------- base58check chains
H160 = bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6")
BASE58_CASES = [
    (b"\x00", "bitcoin", "p2pkh"), (b"\x05", "bitcoin", "p2sh"), (b"\x6f", "bitcoin_testnet", "p2pkh"),
    (b"\xc4", "bitcoin_testnet", "p2sh"), (b"\x30", "litecoin", "p2pkh"), (b"\x32", "litecoin", "p2sh"),
    (b"\x1e", "dogecoin", "p2pkh"), (b"\x16", "dogecoin", "p2sh"), (b"\x4c", "dash", "p2pkh"),
    (b"\x10", "dash", "p2sh"), (b"\x41", "tron", "base58"), (b"\x1c\xb8", "zcash", "t1_p2pkh"),
    (b"\x1c\xbd", "zcash", "t3_p2sh"),
]


@pytest.mark.parametrize("version,chain,typ", BASE58_CASES)
def test_base58check_version_bytes(version, chain, typ):
    addr = b58check_encode(version + H160)
    r = classify(addr)
    assert (r["chain"], r["type"], r["valid"]) == (chain, typ, True)
    assert b58check_decode(addr) == version + H160


def test_legacy_formats_say_both_chains():
    r = classify("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu")
    assert r["valid"] and r["chain"] == "bitcoin" and "bitcoin_cash" in r["alternatives"]
    assert "bitcoin_cash" in r["note"] and r["confidence"] < 0.9
    p2sh = classify("342ftSRCvFHfCeFFBuz4xwbeqnDw6BGUey")  # a 3... address: bitcoin P2SH
    assert (p2sh["chain"], p2sh["type"]) == ("bitcoin", "p2sh")


def test_tron_and_xrp_and_hex_tron():
    assert classify("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")["valid"]
    hexform = classify("41a614f803b6fd780986a42c78ec9c7f77e6ded13c")
    assert hexform["valid"] and hexform["normalised"] == "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
    assert classify("rrrrrrrrrrrrrrrrrrrrBZbvji")["chain"] == "ripple"
    x = classify("X7AcgcsBL6XDcUb289X4mJ8djcdyKaB5hJDWMArnXr61cqZ")
    assert x["valid"] and x["type"] == "x_address"


# ---------------------------------------------------------------- CashAddr (spec vectors)
def test_cashaddr_spec_vectors():
    a = classify("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a")
    assert (a["chain"], a["type"], a["valid"]) == ("bitcoin_cash", "cashaddr_p2pkh", True)
    b = classify("bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq")
    assert b["type"] == "cashaddr_p2sh" and b["valid"]
    up = classify("BITCOINCASH:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A")
    assert up["valid"] and up["normalised"] == "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"
    bare = classify("qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a")  # prefix omitted
    assert bare["valid"] and bare["normalised"].startswith("bitcoincash:")
    mixed = classify("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdX6a")
    assert not mixed["valid"] and mixed["status"].startswith("mixed case")
    assert not classify("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6b")["valid"]
    # same hash160 as the legacy form of the vector
    from toexcli.crypto.encodings import cashaddr_verify, convertbits
    data = cashaddr_verify("bitcoincash", "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a")
    assert bytes(convertbits(data, 5, 8, False))[1:] == b58check_decode("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu")[1:]


# ---------------------------------------------------------------- Monero, Solana, Cardano, ENS
XMR = "4ADT1BtbxqEWeMKp9GgPr2NeyJXXtNxvoDawpyA4WpzFcGcoHUvXeijE66DNfohE9r1bQYaBiQjEtKE7CtkTdLwiDznFzra"


def test_monero():
    r = classify(XMR)
    assert (r["chain"], r["type"], r["valid"]) == ("monero", "standard", True)
    integ = classify("4DrvGduF3ynBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVPkQywN5o4wNU3C4oBH")
    assert integ["type"] == "integrated" and "0123456789abcdef" in integ["note"]


def test_solana_is_format_only():
    r = classify("EPjFWdd5AufqSSqeM2qN1xxybapC8G4wEGGkZwyTDt1v")
    assert r["chain"] == "solana" and r["valid"] and r["status"] == "ok: no checksum"
    assert r["confidence"] <= 0.5
    # last character dropped: still 32 bytes, still only format-valid -> low confidence
    assert classify("7aXrw7nxSKijdToRuWUGG3gZ1qB3M59xTxAEn879fD6")["confidence"] <= 0.5


def test_cardano_cip19():
    base = classify("addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3x")
    assert (base["chain"], base["type"], base["valid"]) == ("cardano", "shelley_base", True)
    assert classify("stake1uyehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gh6ffgw")["type"] == "stake"
    assert classify("addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs68faae")["chain"] == "cardano_testnet"
    wrong = classify("addr1vpu5vlrf4xkxv2qpwngf6cjhtw542ayty80v8dyr49rf5eg0yu80w")
    assert not wrong["valid"] and wrong["status"].startswith("wrong network")
    byron = classify("Ae2tdPwUPEZFRbyhz3cpfC2CumGzNkFBN2L42rcUc2yjQpEkxDbkPodpMAi")
    assert byron["valid"] and byron["type"] == "byron"


def test_ens_is_a_name_not_an_address():
    r = classify("Vitalik.ETH")
    assert r["chain"] == "ens" and r["type"] == "ens_name" and r["normalised"] == "vitalik.eth"
    assert r["status"] == "ens name"


# ---------------------------------------------------------------- traps
def test_keys_are_not_addresses():
    wif = classify("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ")
    assert not wif["valid"] and wif["type"] == "wif_private_key" and wif["status"].startswith("key material")
    wifc = classify("KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617")
    assert wifc["type"] == "wif_private_key"
    xpub = classify("xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8")
    assert not xpub["valid"] and xpub["type"] == "extended_public_key" and "xpub" in xpub["status"]


@pytest.mark.parametrize("decoy", [
    "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
    "d41d8cd98f00b204e9800998ecf8427e", "4F2A 9C1D 7B3E 0A55 D1C8  6E2F 9A07 31B4 C5D8 E6F1",
    "447700900789", "3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F", "rechtsanwaltskanzleien2024x",
    "supercalifragilisticexpialidocious", "", "   ",
])
def test_decoys_are_not_valid(decoy):
    r = classify(decoy)
    assert not r["valid"] and r["chain"] in ("", "ethereum")


# ---------------------------------------------------------------- one changed character per chain
ONE_PER_CHAIN = [
    "12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX", "342ftSRCvFHfCeFFBuz4xwbeqnDw6BGUey",
    "bc1q34aq5drpuwy3wgl9lhup9892qp6svr8ldzyy7c",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    "mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "LM2WMpR1Rp6j3Sa59cMXMs1SPzj9eXpGc1",
    "DANHz6EQVoWyZ9rER56DwTXHWUxfkv9k2o", "A37YDYSwz3438rFtm1SLVcQHyD7JeueC9H",
    "XpESxaUmonkq8RaLLp46Brx2K39ggQe226", "7d5vJtfDixGnEFRNcVSRarmaCBZeScHACn",
    "t1Hsc1LR8yKnbbe3twRp88p6vFfC5t7DLbs", "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    "rrrrrrrrrrrrrrrrrrrrBZbvji", XMR,
    "addr1w8phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gtcyjy7wx",
    "Ae2tdPwUPEZFRbyhz3cpfC2CumGzNkFBN2L42rcUc2yjQpEkxDbkPodpMAi",
]


@pytest.mark.parametrize("addr", ONE_PER_CHAIN)
def test_one_changed_character_fails(addr):
    assert classify(addr)["valid"], addr
    i = len(addr) // 2
    c = addr[i]
    alphabet = "0123456789abcdef" if addr.startswith("0x") else (
        "qpzry9x8gf2tvdw0s3jn54khce6mua7l" if addr.islower() else B58_BTC)
    repl = alphabet[(alphabet.index(c.lower() if addr.startswith("0x") else c) + 1) % len(alphabet)]
    if addr.startswith("0x") and c.isupper():
        repl = repl.upper()
    changed = addr[:i] + repl + addr[i + 1:]
    assert changed != addr
    r = classify(changed)
    assert not r["valid"], (changed, r)


# ---------------------------------------------------------------- --recover-case
def test_recover_case_lowercased_address():
    low = "12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX".lower()
    assert not classify(low)["valid"]
    r = classify(low, recover_case=True)
    assert r["valid"] and r["normalised"] == "12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX"
    assert r["status"] == "ok: case recovered" and low in r["note"]


def test_recover_case_tron_with_lost_L_and_budget_note():
    r = classify("tr7nhqjekqxgtci8q8zy4pl8otszgjlj6t", recover_case=True)
    assert r["normalised"] == "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t" and r["status"] == "ok: case recovered"
    over = classify("1HVDCg2KrPBH1Mg5SK9fGjAR9KVqyMMdBC".lower(), recover_case=True, recover_budget=1 << 10)
    assert not over["valid"] and "case not recovered" in over["note"]
    assert recover_base58_case("Not An Address At All Here") is None


def test_ed25519_curve_check_agrees_with_euler_criterion():
    import random

    from toexcli.crypto.address import on_ed25519_curve

    p = 2 ** 255 - 19
    d = -121665 * pow(121666, p - 2, p) % p
    # RFC 8032 test 1 public key is a point
    assert on_ed25519_curve(bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
    rng = random.Random(5)
    seen = set()
    for _ in range(300):
        key = rng.randbytes(32)
        y = int.from_bytes(key, "little") & ((1 << 255) - 1)
        if y >= p:
            continue
        x2 = (y * y - 1) * pow(d * y * y + 1, p - 2, p) % p
        square = x2 == 0 or pow(x2, (p - 1) // 2, p) == 1
        assert on_ed25519_curve(key) == (square and not (x2 == 0 and key[31] >> 7)), key.hex()
        seen.add(square)
    assert seen == {True, False}


def test_lightning_invoice_is_not_an_address():
    r = classify("lnbc20m1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfppqw508d6qejxtdg4y5r3zarvary0c5xw7kepvrhrm9s57hejg0p662ur5j5cr03890fa7k2pypgttmh4897d3raaq85a293e9jpuqwl0rnfuwzam7yr8e690nd2ypcq9hlkdwdvycqa0qza8")
    assert not r["valid"] and "Lightning" in r["status"]


def test_huge_values_are_rejected_quickly():
    import time

    t0 = time.perf_counter()
    assert classify("A" * 2_000_000)["status"].startswith("not an address: too long")
    assert classify("Ab3" * 100)["status"].startswith("not an address: too long")
    assert time.perf_counter() - t0 < 2


def test_recover_case_refuses_to_choose_between_two_matches(monkeypatch):
    from toexcli.crypto import address

    two = ["12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX", "1HVDCg2KrPBH1Mg5SK9fGjAR9KVqyMMdBC"]
    monkeypatch.setattr(address, "_search_case", lambda *a, **k: iter(two))
    r = classify("12c6dsiu4rq3p4zxzikxzrl5lmmbrzjrjx", recover_case=True)
    assert not r["valid"] and "2 case variants pass the checksum" in r["note"]
