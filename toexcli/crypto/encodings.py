"""The address encodings, exactly as their specifications define them (no third-party validator).

base58 / base58check (Bitcoin alphabet and XRP's own alphabet), Monero's block base58 with a
keccak-256 checksum, bech32 (BIP173) and bech32m (BIP350), CashAddr's 40-bit polymod, EIP-55
with keccak-256 (the original Keccak padding, NOT hashlib's SHA3-256), and a tiny CBOR reader for
Cardano Byron addresses.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

B58_BTC = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
B58_XRP = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
_B58_INDEX = {alpha: {c: i for i, c in enumerate(alpha)} for alpha in (B58_BTC, B58_XRP)}


class DecodeError(ValueError):
    """``reason`` is one of: bad character, bad length, bad checksum, mixed case, bad padding."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}{': ' + detail if detail else ''}")
        self.reason = reason
        self.detail = detail


# ------------------------------------------------------------------------------------ hashing
def sha256d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum and Monero use it (differs from SHA3-256 in its padding byte)."""
    from Crypto.Hash import keccak

    return keccak.new(digest_bits=256, data=data).digest()


# ------------------------------------------------------------------------------------ base58
def bad_chars(s: str, alphabet: str = B58_BTC) -> list[tuple[int, str]]:
    index = _B58_INDEX[alphabet]
    return [(i, c) for i, c in enumerate(s) if c not in index]


_B58_TRANS = {
    alpha: bytes(alpha.index(chr(c)) if chr(c) in alpha else 255 for c in range(256))
    for alpha in (B58_BTC, B58_XRP)
}
_P4 = 58 ** 4


def b58decode(s: str, alphabet: str = B58_BTC) -> bytes:
    if not s.isascii():
        raise DecodeError("bad character", "non-ASCII character")
    digits = s.encode("ascii").translate(_B58_TRANS[alphabet])
    if 255 in digits:
        pos, ch = bad_chars(s, alphabet)[0]
        raise DecodeError("bad character", f"'{ch}' at position {pos + 1} is not base58")
    n = 0
    k = len(digits)
    head = k % 4
    for d in digits[:head]:
        n = n * 58 + d
    for i in range(head, k, 4):
        n = n * _P4 + (((digits[i] * 58 + digits[i + 1]) * 58 + digits[i + 2]) * 58 + digits[i + 3])
    zero = alphabet[0]
    pad = len(s) - len(s.lstrip(zero))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * pad + body


def b58encode(data: bytes, alphabet: str = B58_BTC) -> str:
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(alphabet[r])
    pad = len(data) - len(data.lstrip(b"\0"))
    return alphabet[0] * pad + "".join(reversed(out))


def b58check_decode(s: str, alphabet: str = B58_BTC) -> bytes:
    """Return version+payload; raise DecodeError on a bad character, length or checksum."""
    raw = b58decode(s, alphabet)
    if len(raw) < 5:
        raise DecodeError("bad length", f"decodes to {len(raw)} bytes")
    if sha256d(raw[:-4])[:4] != raw[-4:]:
        raise DecodeError("bad checksum")
    return raw[:-4]


def b58check_encode(data: bytes, alphabet: str = B58_BTC) -> str:
    return b58encode(data + sha256d(data)[:4], alphabet)


# ------------------------------------------------------------------------ Monero block base58
_XMR_BLOCK_CHARS = [0, 2, 3, 5, 6, 7, 9, 10, 11]  # encoded length of a block of N bytes
_XMR_BLOCK_BYTES = {c: n for n, c in enumerate(_XMR_BLOCK_CHARS)}


def xmr_b58decode(s: str) -> bytes:
    index = _B58_INDEX[B58_BTC]
    if bad_chars(s):
        pos, ch = bad_chars(s)[0]
        raise DecodeError("bad character", f"'{ch}' at position {pos + 1} is not base58")
    full, rest = divmod(len(s), 11)
    if rest not in _XMR_BLOCK_BYTES:
        raise DecodeError("bad length", f"{len(s)} characters is not a whole number of blocks")
    out = bytearray()
    for i in range(full + (1 if rest else 0)):
        block = s[i * 11:(i + 1) * 11]
        size = 8 if len(block) == 11 else _XMR_BLOCK_BYTES[len(block)]
        n = 0
        for c in block:
            n = n * 58 + index[c]
        if n >> (8 * size):
            raise DecodeError("bad character", "a block overflows (not Monero base58)")
        out += n.to_bytes(size, "big")
    return bytes(out)


def xmr_b58encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data), 8):
        block = data[i:i + 8]
        n = int.from_bytes(block, "big")
        chars = []
        for _ in range(_XMR_BLOCK_CHARS[len(block)]):
            n, r = divmod(n, 58)
            chars.append(B58_BTC[r])
        out.append("".join(reversed(chars)))
    return "".join(out)


# ------------------------------------------------------------------------- bech32 / bech32m
BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {c: i for i, c in enumerate(BECH32_CHARSET)}
BECH32_CONST = 1
BECH32M_CONST = 0x2BC830A3


def _polymod_table(gens, shift: int) -> list[int]:
    table = []
    for top in range(32):
        x = 0
        for i in range(5):
            if (top >> i) & 1:
                x ^= gens[i]
        table.append(x)
    return table


_BECH32_TABLE = _polymod_table((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3), 25)


def _two_steps_table(table, width: int) -> list[int]:
    """Polymod of two zero symbols applied to (x << (width - 10)), for x in 0..1023."""
    top_shift = width - 5
    mask = (1 << top_shift) - 1
    out = []
    for x in range(1024):
        c = x << (width - 10)
        for _ in range(2):
            c = ((c & mask) << 5) ^ table[c >> top_shift]
        out.append(c)
    return out


_BECH32_TABLE2 = _two_steps_table(_BECH32_TABLE, 30)


def _bech32_polymod(values) -> int:
    """BIP173 polymod, two symbols per step (the polymod is linear, so a 1024-entry table of
    the high 10 bits' effect is exact)."""
    table, table2 = _BECH32_TABLE, _BECH32_TABLE2
    values = list(values)
    chk = 1
    if len(values) % 2:
        chk = ((chk & 0x1FFFFFF) << 5) ^ values[0] ^ table[chk >> 25]
        values = values[1:]
    it = iter(values)
    for a in it:
        chk = ((chk & 0xFFFFF) << 10) ^ (a << 5) ^ next(it) ^ table2[chk >> 20]
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]


def bech32_decode(s: str, max_len: int | None = 90) -> tuple[str, list[int], str]:
    """Return (hrp, data without checksum, 'bech32'|'bech32m'); raise DecodeError."""
    if not (s.isascii() and s.isprintable()) or " " in s:
        raise DecodeError("bad character", "non-printable or non-ASCII character")
    if s.lower() != s and s.upper() != s:
        raise DecodeError("mixed case", "bech32 must be all lower-case or all upper-case")
    s = s.lower()
    if max_len is not None and len(s) > max_len:
        raise DecodeError("bad length", f"{len(s)} characters (bech32 allows at most {max_len})")
    pos = s.rfind("1")
    if pos < 1:
        raise DecodeError("bad character", "no human-readable part before the separator '1'")
    if pos + 7 > len(s):
        raise DecodeError("bad length", "data part shorter than the 6-character checksum")
    hrp = s[:pos]
    try:
        data = [_BECH32_INDEX[c] for c in s[pos + 1:]]
    except KeyError:
        bad = next((i, c) for i, c in enumerate(s[pos + 1:]) if c not in _BECH32_INDEX)
        raise DecodeError("bad character", f"'{bad[1]}' at position {pos + 2 + bad[0]} is not bech32") from None
    const = _bech32_polymod(_hrp_expand(hrp) + data)
    if const == BECH32_CONST:
        variant = "bech32"
    elif const == BECH32M_CONST:
        variant = "bech32m"
    else:
        raise DecodeError("bad checksum")
    return hrp, data[:-6], variant


def bech32_create_checksum(hrp: str, data: list[int], variant: str) -> list[int]:
    const = BECH32M_CONST if variant == "bech32m" else BECH32_CONST
    values = _hrp_expand(hrp) + data
    polymod = _bech32_polymod(values + [0] * 6) ^ const
    return [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]


def bech32_encode(hrp: str, data: list[int], variant: str) -> str:
    combined = data + bech32_create_checksum(hrp, data, variant)
    return hrp + "1" + "".join(BECH32_CHARSET[d] for d in combined)


_B32_DIGITS = "0123456789abcdefghijklmnopqrstuv"


def five_to_bytes(data: list[int]) -> bytes:
    """5-bit groups -> bytes, with BIP173's padding rules (at most 4 zero bits); fast path."""
    if not data:
        return b""
    bits = 5 * len(data)
    pad = bits % 8
    if pad >= 5:
        raise DecodeError("bad padding", "more than 4 bits of padding")
    n = int("".join(_B32_DIGITS[d] for d in data), 32) if len(data) < 8 else \
        int(bytes(data).translate(_B32_TRANS).decode("ascii"), 32)
    if n & ((1 << pad) - 1):
        raise DecodeError("bad padding", "non-zero padding bits")
    return (n >> pad).to_bytes(bits // 8, "big")


_B32_TRANS = bytes(ord(_B32_DIGITS[i]) if i < 32 else 0 for i in range(256))


def convertbits(data, frombits: int, tobits: int, pad: bool = True) -> list[int]:
    """Regroup bits; raise DecodeError('bad padding') when the padding is not zero and short."""
    acc = bits = 0
    ret = []
    maxv = (1 << tobits) - 1
    for value in data:
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            ret.append((acc >> bits) & maxv)
    if pad:
        if bits:
            ret.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits:
        raise DecodeError("bad padding", "more than 4 bits of padding")
    elif (acc << (tobits - bits)) & maxv:
        raise DecodeError("bad padding", "non-zero padding bits")
    return ret


# ------------------------------------------------------------------------------- CashAddr
_CASH_GEN = (0x98F2BC8E61, 0x79B76D99E2, 0xF33E5FB3C4, 0xAE2EABE2A8, 0x1E4F43E470)


_CASH_TABLE = _polymod_table(_CASH_GEN, 35)


def cashaddr_polymod(values) -> int:
    table = _CASH_TABLE
    c = 1
    for d in values:
        c = ((c & 0x07FFFFFFFF) << 5) ^ d ^ table[c >> 35]
    return c ^ 1


def cashaddr_verify(prefix: str, payload: str) -> list[int]:
    """Return the data words (without the 8-word checksum); raise DecodeError."""
    try:
        data = [_BECH32_INDEX[c] for c in payload]
    except KeyError:
        bad = next((i, c) for i, c in enumerate(payload) if c not in _BECH32_INDEX)
        raise DecodeError("bad character", f"'{bad[1]}' at payload position {bad[0] + 1} is not base32") from None
    if len(data) < 9:
        raise DecodeError("bad length")
    if cashaddr_polymod([ord(c) & 31 for c in prefix] + [0] + data) != 0:
        raise DecodeError("bad checksum")
    return data[:-8]


# -------------------------------------------------------------------------------- EIP-55
_FLAG = bytes.maketrans(b"0123456789abcdef", b"\0\0\0\0\0\0\0\0" + b"\x20" * 8)
_LETTER = bytes.maketrans(b"0123456789abcdef", b"\0" * 10 + b"\x20" * 6)


@lru_cache(maxsize=65536)
def eip55(hex40: str) -> str:
    """The EIP-55 mixed-case form of 40 hex digits (without 0x): a letter is upper-case when
    the matching nibble of keccak-256(lower-case hex) is 8 or more."""
    low = hex40.lower().encode("ascii")
    digest = keccak256(low).hex().encode("ascii")[:40]
    flags = int.from_bytes(digest.translate(_FLAG), "big") & int.from_bytes(low.translate(_LETTER), "big")
    return (int.from_bytes(low, "big") ^ flags).to_bytes(40, "big").decode("ascii")


# --------------------------------------------------------------------------- tiny CBOR reader
def cbor_decode(buf: bytes, i: int = 0):
    """Decode one CBOR item at ``buf[i]``; return (value, next index). Enough for Byron."""
    ib = buf[i]
    major, info = ib >> 5, ib & 31
    i += 1
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(buf[i:i + size], "big")
        if len(buf) < i + size:
            raise ValueError("truncated")
        i += size
    else:
        raise ValueError("indefinite lengths not supported")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        if len(buf) < i + arg:
            raise ValueError("truncated")
        return bytes(buf[i:i + arg]), i + arg
    if major == 4:
        items = []
        for _ in range(arg):
            v, i = cbor_decode(buf, i)
            items.append(v)
        return items, i
    if major == 5:
        out = {}
        for _ in range(arg):
            k, i = cbor_decode(buf, i)
            v, i = cbor_decode(buf, i)
            out[k] = v
        return out, i
    if major == 6:
        v, i = cbor_decode(buf, i)
        return ("tag", arg, v), i
    raise ValueError("unsupported CBOR item")
