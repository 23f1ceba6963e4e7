#!/usr/bin/env python3
"""check_cbor_vectors.py [--verbose] [FILE...]

Checks every case of vectors/cbor/*_test.json (or the FILEs given) against CBOR
implementations this project did not write: libcbor (the system library, called
through ctypes), cbor2 and cbor-diag (both pinned in scripts/requirements.txt).
Nothing here reads b2c's sources or output.

Oracles
  libcbor    cbor_load(data, len) must succeed and read every byte ("well-formed").
             Its error codes do not separate the classes, so only accept/reject counts.
  cbor2      CBORDecoder on a BytesIO (read_size=1) + fp.tell() == len ("strict"):
             cbor2.loads would ignore trailing bytes. Tags are kept raw
             (semantic_decoders overridden to return CBORTag), so tag 0/1 do not
             become datetimes, 2/3 do not become ints and 55799 is not dropped.
  cbor-diag  cbor2diag(data, pretty=False): its error messages name the
             well-formedness class, and its encoding indicators (_0.._3, _ for
             indefinite, float widths _1.._3) show every non-preferred head.

Per class
  well-formedness (truncated, reserved_*, indefinite_*, break_*, trailing_bytes):
             libcbor rejects, strict cbor2 rejects with a message of that class,
             cbor-diag rejects with a message of that class.
  duplicate_key: well-formed (libcbor, cbor2 with duplicates allowed); cbor2 with
             allow_duplicate_keys=False rejects it; and two keys of one map (their
             spans found by a head walker, each decoded by cbor2 on its own) have
             the same deterministic encoding, i.e. are equal in the data model.
  invalid_utf8: a copy with every text-string head turned into a byte-string head
             (Appendix C treats them alike) is well-formed for libcbor and cbor2;
             some text payload (each chunk on its own) fails bytes.decode('utf-8');
             strict cbor2 rejects the original.
  invalid_tag_content: well-formed (libcbor) and decodable with raw tags (cbor2);
             some tag breaks its rule (RFC 8949 §3.4), checked on cbor2's raw value:
               0      text, and cbor2's own tag-0 decoder rejects it or it is not
                      RFC 3339 with upper-case T/Z (RFC 4287 §3.3); both must agree
               1      integer or float (bool is not a number)
               2, 3   byte string
               4, 5   array of two: integer exponent (major type 0/1, no bignum),
                      integer or tag 2/3 bignum mantissa
               24     byte string holding one item that libcbor and cbor2 both accept
               32-36  text string
               21-23 and all other tags: any content
  determinism (non_shortest_*, non_preferred_float, indefinite_length, unsorted_keys):
             valid for libcbor and strict cbor2; differs from its §4.2.1 re-encoding;
             and the first encoding indicator cbor-diag shows is of that class (none
             at all for unsorted_keys).
  valid:     input and encoded decode (strict cbor2) to values with the same §4.2.1
             encoding, which is `encoded`; cbor-diag shows no indicator in `encoded`
             (floats at their shortest exact width); libcbor accepts both; profile
             deterministic: input == encoded.
  acceptable: reported only.

§4.2.1 re-encoding: cbor2's encoder for every leaf (ints, strings, simple values,
non-NaN floats with canonical=True) and for container/tag heads (encode_length),
map entries sorted bytewise by their encoded keys here (cbor2's canonical mode
sorts length-first). NaN: shortest width whose zero-padded payload gives the
value back, computed from the bits (cbor2 collapses NaN payloads). Float width
checks use Python's struct. Data-model equality = equal re-encodings.

Known oracle faults are accounted for by name and printed as "oracle gap" lines.

Output: one "FAIL file tcId: reason" line per failing case, "oracle gap" lines,
skip counts by reason, then "oracle: N passed, N failed, N skipped". Exit 1 if
any case failed, 2 on a usage or setup error.
"""

import argparse
import ctypes
import ctypes.util
import glob
import io
import json
import math
import os
import re
import struct
import sys

os.environ.setdefault("RUST_BACKTRACE", "0")

try:
    import cbor2
    from cbor2 import CBORSimpleValue, CBORTag
    import cbor_diag
except ImportError as e:  # pragma: no cover
    sys.exit("check_cbor_vectors: %s (install scripts/requirements.txt into .venv)" % e)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

WELLFORMEDNESS = {
    "cbor.truncated", "cbor.reserved_additional_info", "cbor.reserved_simple_encoding",
    "cbor.indefinite_chunk_type", "cbor.indefinite_major_type", "cbor.break_outside_indefinite",
    "cbor.break_in_map_value", "cbor.trailing_bytes",
}
DETERMINISM = {
    "cbor.non_shortest_integer", "cbor.non_shortest_argument", "cbor.non_preferred_float",
    "cbor.indefinite_length", "cbor.unsorted_keys",
}

# The message each oracle gives for a class (measured on cbor2 6.3.0 and cbor-diag 1.2.0).
CBOR2_CLASS = {
    "cbor.truncated": r"premature end of stream",
    "cbor.reserved_additional_info": r"unknown unsigned integer subtype|undefined reserved major type 7 subtype",
    "cbor.reserved_simple_encoding": r"invalid two-byte sequence for simple value",
    "cbor.indefinite_chunk_type": r"(byte|text) string: (non-(byte|text) string .* found in indefinite length|indefinite length not allowed here)",
    "cbor.indefinite_major_type": r"(unsigned integer|negative integer|semantic tag): indefinite length not allowed here",
    "cbor.break_outside_indefinite": r"break code encountered where a data item was expected",
    "cbor.break_in_map_value": r"missing value for key in indefinite-length map",
    "cbor.trailing_bytes": r"^trailing bytes",
}
DIAG_CLASS = {
    "cbor.truncated": r"^Out of data",
    "cbor.reserved_additional_info": r"Reserved header byte",
    "cbor.reserved_simple_encoding": r"erroneous representation of simple value",
    "cbor.indefinite_chunk_type": r"Indefinite length strings can only contain",
    "cbor.indefinite_major_type": r"Integer/Tag with indefinite length encoding",
    "cbor.break_outside_indefinite": r"Break code only expected at end",
    "cbor.break_in_map_value": r"Break code only expected at end",
    # cbor-diag reads the input as a sequence: a trailing item is "a sequence", a
    # trailing lone break is a stray break.
    "cbor.trailing_bytes": r"found sequence|Break code only expected at end",
}

# Known oracle faults, measured on the pinned versions and printed as "oracle gap":
#   cbor-diag 1.2.0  accepts the two inputs below; panics ("not yet implemented") on empty
#                    indefinite-length strings; SIGSEGV on 100000-deep arrays (not called there).
#   libcbor 0.8.0    rejects unassigned simple values (e0-f3, f820-f8ff) and tags 6-20 in the
#                    initial byte (c6-d4); MEMERROR on nesting > 2048 and on declared counts it
#                    cannot allocate (no verdict either way).
DIAG_ACCEPTS_NOT_WELL_FORMED = {"9f81ff", "9f829f819f9fffffffff"}  # break inside a definite array nested in [_ ...]
DEEP = 400  # cbor2's max_depth; cbor-diag overflows its stack (SIGSEGV) on 100000-deep arrays
LIBCBOR_MAX_STACK = 2048

# Every tag cbor2 6.3.0 converts semantically (measured over 0-299 and the registered extras).
CBOR2_SEMANTIC_TAGS = [0, 1, 2, 3, 4, 5, 25, 28, 29, 30, 35, 36, 37, 52, 54, 100, 256, 258, 260, 261, 1004, 55799]


def _raw_tag(number):
    return lambda value, immutable: CBORTag(number, value)


RAW_TAGS = {t: _raw_tag(t) for t in CBOR2_SEMANTIC_TAGS}


class Unchecked(Exception):
    """The value holds something the oracles cannot express (skip, with the reason)."""


# ---------------------------------------------------------------- libcbor (ctypes)

class _CborError(ctypes.Structure):
    _fields_ = [("position", ctypes.c_size_t), ("code", ctypes.c_int)]


class _CborLoadResult(ctypes.Structure):
    _fields_ = [("error", _CborError), ("read", ctypes.c_size_t)]


LIBCBOR_ERRORS = {1: "NOTENOUGHDATA", 2: "NODATA", 3: "MALFORMATED", 4: "MEMERROR", 5: "SYNTAXERROR"}


def _open_libcbor():
    name = ctypes.util.find_library("cbor")
    if not name:
        sys.exit("check_cbor_vectors: libcbor not found (install libcbor-dev)")
    lib = ctypes.CDLL(name)
    lib.cbor_load.restype = ctypes.c_void_p
    lib.cbor_load.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_CborLoadResult)]
    lib.cbor_decref.restype = None
    lib.cbor_decref.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
    return name, lib


LIBCBOR_NAME, LIBCBOR = _open_libcbor()


def libcbor(data):
    """'ok', 'trailing' or the libcbor error name."""
    res = _CborLoadResult()
    item = LIBCBOR.cbor_load(data, len(data), ctypes.byref(res))
    if item:
        ptr = ctypes.c_void_p(item)
        LIBCBOR.cbor_decref(ctypes.byref(ptr))
    if res.error.code != 0:
        return LIBCBOR_ERRORS.get(res.error.code, "error %d" % res.error.code)
    return "ok" if res.read == len(data) else "trailing"


# ---------------------------------------------------------------- cbor2

def cbor2_decode(data, *, raw=True, duplicates=False):
    """Strict decode of exactly one item; raises on any error (trailing bytes included)."""
    fp = io.BytesIO(data)
    kw = {"read_size": 1, "allow_duplicate_keys": duplicates}
    if raw:
        kw["semantic_decoders"] = RAW_TAGS
    value = cbor2.CBORDecoder(fp, **kw).decode()
    if fp.tell() != len(data):
        raise ValueError("trailing bytes: %d after the item" % (len(data) - fp.tell()))
    return value


def cbor2_error(data, **kw):
    """None if cbor2 accepts, else the error text with its causes."""
    try:
        cbor2_decode(data, **kw)
        return None
    except Exception as e:  # noqa: BLE001
        return exception_text(e)


def exception_text(e):
    parts = []
    while e is not None and len(parts) < 5 and not isinstance(e, (Fail, Skip, Unchecked)):
        parts.append("%s: %s" % (type(e).__name__, e) if not isinstance(e, (ValueError, cbor2.CBORError)) else str(e))
        e = e.__cause__ or (None if e.__suppress_context__ else e.__context__)
    return " <- ".join(parts)


# ---------------------------------------------------------------- cbor-diag

def diag(data):
    """('ok', text) or ('error', message) or ('panic', message). Rust panics print to fd 2: muted."""
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        return "ok", cbor_diag.cbor2diag(data, pretty=False)
    except Exception as e:  # noqa: BLE001
        return "error", str(e)
    except BaseException as e:  # pyo3 PanicException derives from BaseException
        if type(e).__name__ != "PanicException":
            raise
        return "panic", str(e)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|[a-z0-9]*\'(?:[^\'\\]|\\.)*\'')
_TOKENS = re.compile(r"""
    (?P<indef>[\[{(]_(?![0-3i]))
  | (?P<cont>[\[{]_(?P<cw>[0-3]))
  | (?P<str>(?:"S"|'S')_(?P<sw>[0-3i]))
  | (?P<float>-?(?:\d+\.\d+(?:[eE][+-]?\d+)?|Infinity|NaN)_(?P<fw>[1-3]))
  | (?P<tag>(?<![\w.+])\d+_(?P<tw>[0-3])\()
  | (?P<int>(?<![\w.+])-?\d+_(?P<iw>[0-3i]))
""", re.X)


def diag_markers(text, floats):
    """Non-preferred encodings cbor-diag shows, in text order, as determinism classes.

    `floats` are the float leaves of cbor2's value in the same order (cbor-diag prints
    the decimal value, cbor2 gives the bits: NaN payloads and the width test use them).
    """
    text = _STRINGS.sub(lambda m: "'S'" if m.group(0).endswith("'") else '"S"', text)
    out = []
    fi = 0
    for m in _TOKENS.finditer(text):
        if m.group("indef"):
            out.append("cbor.indefinite_length")
        elif m.group("cont") or m.group("tag"):
            out.append("cbor.non_shortest_argument")
        elif m.group("str"):
            if m.group("sw") != "i":
                out.append("cbor.non_shortest_argument")
        elif m.group("float"):
            if fi >= len(floats):
                raise Unchecked("cbor-diag shows more floats than cbor2 decoded")
            width = int(m.group("fw"))
            if width > shortest_float_width(floats[fi]):
                out.append("cbor.non_preferred_float")
            fi += 1
        elif m.group("int"):
            if m.group("iw") != "i":
                out.append("cbor.non_shortest_integer")
    if fi != len(floats):
        raise Unchecked("cbor-diag shows fewer floats than cbor2 decoded")
    return out


# ---------------------------------------------------------------- §4.2.1 re-encoding

def _bits(x):
    return struct.unpack(">Q", struct.pack(">d", x))[0]


def shortest_float_width(x):
    """1 (half), 2 (single) or 3 (double): the shortest width that holds x exactly."""
    if math.isnan(x):
        payload = _bits(x) & ((1 << 52) - 1)
        if payload & ((1 << 42) - 1) == 0:
            return 1
        if payload & ((1 << 29) - 1) == 0:
            return 2
        return 3
    for width, fmt in ((1, ">e"), (2, ">f")):
        try:
            back = struct.unpack(fmt, struct.pack(fmt, x))[0]
        except (OverflowError, struct.error):
            continue
        if back == x and math.copysign(1.0, back) == math.copysign(1.0, x):
            return width
    return 3


def nan_encoding(x):
    bits = _bits(x)
    sign, payload = bits >> 63, bits & ((1 << 52) - 1)
    width = shortest_float_width(x)
    if width == 1:
        return bytes([0xF9]) + struct.pack(">H", (sign << 15) | 0x7C00 | (payload >> 42))
    if width == 2:
        return bytes([0xFA]) + struct.pack(">I", (sign << 31) | 0x7F800000 | (payload >> 29))
    return bytes([0xFB]) + struct.pack(">Q", bits)


def head(major, n):
    fp = io.BytesIO()
    cbor2.CBOREncoder(fp).encode_length(major, n)
    return fp.getvalue()


def canon(v, depth=0):
    """§4.2.1 deterministic encoding of a value decoded by cbor2 with raw tags."""
    if depth > 10000:
        raise Unchecked("nesting too deep to re-encode")
    if v is True or v is False or v is None or v is cbor2.undefined or isinstance(v, CBORSimpleValue):
        return cbor2.dumps(v)
    if isinstance(v, int):
        if not -(1 << 64) <= v < (1 << 64):
            raise Unchecked("integer beyond 64 bits without its bignum tag")
        return cbor2.dumps(v)
    if isinstance(v, float):
        if math.isnan(v):
            return nan_encoding(v)
        enc = cbor2.dumps(v, canonical=True)
        if {3: 1, 5: 2, 9: 3}.get(len(enc)) != shortest_float_width(v):
            raise AssertionError("cbor2 canonical float %s is %s; struct says width %d" % (v, enc.hex(), shortest_float_width(v)))
        return enc
    if isinstance(v, (bytes, bytearray, str)):
        return cbor2.dumps(bytes(v) if not isinstance(v, str) else v)
    if isinstance(v, (list, tuple)):
        return head(4, len(v)) + b"".join(canon(x, depth + 1) for x in v)
    if isinstance(v, CBORTag):
        return head(6, v.tag) + canon(v.value, depth + 1)
    if hasattr(v, "items") and hasattr(v, "keys"):
        pairs = sorted((canon(k, depth + 1), canon(x, depth + 1)) for k, x in v.items())
        for a, b in zip(pairs, pairs[1:]):
            if a[0] == b[0]:
                raise Unchecked("two keys with the same encoding after decoding")
        return head(5, len(pairs)) + b"".join(k + x for k, x in pairs)
    raise Unchecked("cbor2 produced a %s (semantic conversion)" % type(v).__name__)


def walk_values(v, depth=0, stats=None):
    """Float leaves in order, unassigned simple values, tags 6-20, maximum depth."""
    if stats is None:
        stats = {"floats": [], "simples": 0, "depth": 0, "small_tags": 0}
    stats["depth"] = max(stats["depth"], depth)
    if isinstance(v, float):
        stats["floats"].append(v)
    elif isinstance(v, CBORSimpleValue):
        stats["simples"] += 1
    elif isinstance(v, (list, tuple)):
        for x in v:
            walk_values(x, depth=depth + 1, stats=stats)
    elif isinstance(v, CBORTag):
        if 6 <= v.tag <= 20:
            stats["small_tags"] += 1
        walk_values(v.value, depth=depth + 1, stats=stats)
    elif hasattr(v, "items") and hasattr(v, "keys"):
        for k, x in v.items():
            walk_values(k, depth=depth + 1, stats=stats)
            walk_values(x, depth=depth + 1, stats=stats)
    return stats


# ---------------------------------------------------------------- head walker
# Only locates things for the oracles (map key spans, text payloads, text heads);
# every verdict comes from libcbor, cbor2 or Python's UTF-8 decoder.

def _head(b, pos):
    ib = b[pos]
    major, ai = ib >> 5, ib & 31
    if ai < 24:
        return major, ai, 1
    if ai <= 27:
        size = 1 << (ai - 24)
        if pos + 1 + size > len(b):
            raise ValueError("truncated head")
        return major, int.from_bytes(b[pos + 1:pos + 1 + size], "big"), 1 + size
    if ai == 31 and major in (2, 3, 4, 5):
        return major, None, 1
    raise ValueError("head %02x at %d" % (ib, pos))


class Walk:
    def __init__(self, data):
        self.b = data
        self.maps = []        # list of [(start, end) of each key]
        self.texts = []       # text payloads (each chunk on its own)
        self.text_heads = []  # offsets of major-type-3 heads
        self.end = self.item(0)

    def item(self, pos):
        b = self.b
        major, arg, n = _head(b, pos)
        if major in (0, 1):
            return pos + n
        if major in (2, 3):
            if major == 3:
                self.text_heads.append(pos)
            if arg is None:
                p = pos + 1
                while b[p] != 0xFF:
                    cm, clen, cn = _head(b, p)
                    if cm != major or clen is None:
                        raise ValueError("bad chunk at %d" % p)
                    if major == 3:
                        self.text_heads.append(p)
                        self.texts.append(bytes(b[p + cn:p + cn + clen]))
                    p += cn + clen
                return p + 1
            if major == 3:
                self.texts.append(bytes(b[pos + n:pos + n + arg]))
            return pos + n + arg
        if major == 4:
            p = pos + n
            if arg is None:
                while b[p] != 0xFF:
                    p = self.item(p)
                return p + 1
            for _ in range(arg):
                p = self.item(p)
            return p
        if major == 5:
            keys = []
            self.maps.append(keys)
            p = pos + n
            while (b[p] != 0xFF) if arg is None else (len(keys) < arg):
                k = self.item(p)
                keys.append((p, k))
                p = self.item(k)
            return p + 1 if arg is None else p
        if major == 6:
            return self.item(pos + n)
        # major 7
        return pos + {24: 2, 25: 3, 26: 5, 27: 9}.get(b[pos] & 31, 1)


# ---------------------------------------------------------------- checks

class Case:
    def __init__(self, fname, group, test):
        self.file, self.group, self.t = fname, group, test
        self.tc = test["tcId"]
        self.data = bytes.fromhex(test["input"])
        self.gaps = []

    def gap(self, oracle, why):
        self.gaps.append("%s: %s" % (oracle, why))


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def require_wellformed_libcbor(case, data, what="input", stats=None):
    r = libcbor(data)
    if r == "ok":
        return
    if stats is not None and stats["simples"]:
        case.gap("libcbor", "%s: rejects unassigned simple values (e0-f3, f820-f8ff), which are valid" % r)
        return
    if stats is not None and stats["small_tags"]:
        case.gap("libcbor", "%s: rejects tags 6-20 written in the initial byte (c6-d4), which are valid" % r)
        return
    if stats is not None and stats["depth"] > LIBCBOR_MAX_STACK and r == "MEMERROR":
        case.gap("libcbor", "MEMERROR: nesting beyond its %d-level stack" % LIBCBOR_MAX_STACK)
        return
    raise Fail("libcbor rejects the %s as not well-formed (%s)" % (what, r))


def check_wellformedness(case, code):
    b = case.data
    hexed = b.hex()
    r = libcbor(b)
    if r == "ok":
        raise Fail("libcbor accepts it as one well-formed item")
    if r == "MEMERROR":
        case.gap("libcbor", "MEMERROR: it tried to allocate for the declared count; no well-formedness verdict")
    err = cbor2_error(b, duplicates=True)  # a duplicate key is not a well-formedness matter
    if err is None:
        raise Fail("cbor2 (strict) accepts it")
    if "maximum container nesting depth" in err:
        raise Skip("cbor2 stops at its depth limit before the malformation")
    if not re.search(CBOR2_CLASS[code], err):
        raise Fail("cbor2 rejects it as another class: %s" % err)
    status, msg = diag(b)
    if status == "ok":
        if hexed in DIAG_ACCEPTS_NOT_WELL_FORMED:
            case.gap("cbor-diag", "accepts this not-well-formed input (known fault)")
        else:
            raise Fail("cbor-diag accepts it: %s" % msg[:80])
    elif status == "panic":
        case.gap("cbor-diag", "panics (%s), as it does on empty indefinite-length strings; no verdict" % msg)
    elif not re.search(DIAG_CLASS[code], msg):
        raise Fail("cbor-diag rejects it as another class: %s" % msg)


def check_duplicate_key(case):
    b = case.data
    require_wellformed_libcbor(case, b)
    err = cbor2_error(b, duplicates=True)
    if err is not None:
        raise Fail("cbor2 rejects it even with duplicates allowed: %s" % err)
    err = cbor2_error(b, duplicates=False)
    if err is None or "uplicate" not in err:
        raise Fail("cbor2 with allow_duplicate_keys=False does not report a duplicate (%s)" % (err or "accepts it"))
    w = Walk(b)
    for keys in w.maps:
        seen = {}
        for start, end in keys:
            enc = canon(cbor2_decode(b[start:end], duplicates=False))
            if enc in seen:
                return
            seen[enc] = start
    raise Fail("no map has two keys with the same deterministic encoding (cbor2 may conflate 1, 1.0 and true)")


def check_invalid_utf8(case):
    b = case.data
    w = Walk(b)
    copy = bytearray(b)
    for pos in w.text_heads:
        copy[pos] -= 0x20  # major type 3 -> 2, same argument
    copy = bytes(copy)
    require_wellformed_libcbor(case, copy, "copy with byte-string heads")
    err = cbor2_error(copy, duplicates=True)
    if err is not None:
        raise Fail("cbor2 rejects the copy with byte-string heads: %s" % err)
    bad = []
    for payload in w.texts:
        try:
            payload.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(payload)
    if not bad:
        raise Fail("every text payload is valid UTF-8 (Python)")
    err = cbor2_error(b, duplicates=True)
    if err is None:
        raise Fail("cbor2 (strict UTF-8) accepts it")


RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})\Z")


def tag_violations(v, out):
    if isinstance(v, CBORTag):
        t, c = v.tag, v.value
        if t == 0:
            if not isinstance(c, str):
                out.append("tag 0 content is %s, not text" % type(c).__name__)
            else:
                ours = RFC3339.match(c) is not None
                try:
                    cbor2.loads(cbor2.dumps(CBORTag(0, c)))
                    theirs = True
                except Exception:  # noqa: BLE001
                    theirs = False
                if ours != theirs:
                    raise Fail("tag 0 %r: cbor2's date-time decoder says %s, RFC 3339/4287 pattern says %s"
                               % (c, theirs, ours))
                if not theirs:
                    out.append("tag 0 text %r is not an RFC 3339 date-time (cbor2 and pattern agree)" % c)
        elif t == 1:
            if isinstance(c, bool) or not isinstance(c, (int, float)):
                out.append("tag 1 content is %s, not a number" % type(c).__name__)
        elif t in (2, 3):
            if not isinstance(c, bytes):
                out.append("tag %d content is %s, not bytes" % (t, type(c).__name__))
        elif t in (4, 5):
            if not isinstance(c, (list, tuple)) or len(c) != 2:
                out.append("tag %d content is not an array of two" % t)
            else:
                e, m = c
                if isinstance(e, bool) or not isinstance(e, int):
                    out.append("tag %d exponent is %s" % (t, type(e).__name__ if not isinstance(e, CBORTag) else "tag %d" % e.tag))
                if not ((isinstance(m, int) and not isinstance(m, bool))
                        or (isinstance(m, CBORTag) and m.tag in (2, 3) and isinstance(m.value, bytes))):
                    out.append("tag %d mantissa is %s" % (t, type(m).__name__))
        elif t == 24:
            if not isinstance(c, bytes):
                out.append("tag 24 content is %s, not bytes" % type(c).__name__)
            else:
                lib_ok = libcbor(c) == "ok"
                c2_ok = cbor2_error(c, duplicates=True) is None
                if lib_ok != c2_ok:
                    raise Fail("tag 24 content %s: libcbor says %s, cbor2 says %s" % (c.hex(), lib_ok, c2_ok))
                if not lib_ok:
                    out.append("tag 24 bytes %s are not one item (libcbor and cbor2 agree)" % c.hex())
        elif 32 <= t <= 36:
            if not isinstance(c, str):
                out.append("tag %d content is %s, not text" % (t, type(c).__name__))
        tag_violations(c, out)
    elif isinstance(v, (list, tuple)):
        for x in v:
            tag_violations(x, out)
    elif hasattr(v, "items") and hasattr(v, "keys"):
        for k, x in v.items():
            tag_violations(k, out)
            tag_violations(x, out)


def check_invalid_tag_content(case):
    b = case.data
    require_wellformed_libcbor(case, b)
    try:
        v = cbor2_decode(b, duplicates=True)
    except Exception as e:  # noqa: BLE001
        raise Fail("cbor2 cannot decode it with raw tags: %s" % exception_text(e))
    found = []
    tag_violations(v, found)
    if not found:
        raise Fail("no tag breaks its rule")


def check_determinism(case, code):
    b = case.data
    try:
        v = cbor2_decode(b)
    except Exception as e:  # noqa: BLE001
        raise Fail("not valid for strict cbor2: %s" % exception_text(e))
    stats = walk_values(v)
    require_wellformed_libcbor(case, b, stats=stats)
    det = canon(v)
    if det == b:
        raise Fail("input is already its §4.2.1 encoding")
    status, text = diag(b)
    if status == "panic":
        case.gap("cbor-diag", "panics (%s), as it does on empty indefinite-length strings; class not corroborated" % text)
        return
    if status != "ok":
        raise Fail("cbor-diag rejects it: %s" % text)
    marks = diag_markers(text, stats["floats"])
    if code == "cbor.unsorted_keys":
        if marks:
            raise Fail("cbor-diag shows %s in %s; expected only a key-order violation" % (marks[0], text))
    elif not marks:
        raise Fail("cbor-diag shows no non-preferred encoding in %s" % text)
    elif marks[0] != code:
        raise Fail("first non-preferred encoding cbor-diag shows is %s (%s)" % (marks[0], text))


def check_valid(case):
    t = case.t
    b = case.data
    enc = bytes.fromhex(t["encoded"])
    values = []
    for what, data in (("input", b), ("encoded", enc)):
        try:
            values.append(cbor2_decode(data))
        except Exception as e:  # noqa: BLE001
            msg = exception_text(e)
            if "uplicate" in msg and not _real_duplicate(data):
                raise Skip("cbor2 compares keys with Python equality (1 == 1.0 == True)")
            if "maximum container nesting depth" in msg:
                raise Skip("nesting beyond cbor2's depth limit (%d)" % DEEP)
            raise Fail("%s not valid for strict cbor2: %s" % (what, msg))
    vi, ve = values
    si, se = walk_values(vi), walk_values(ve)
    gaps = len(case.gaps)
    require_wellformed_libcbor(case, b, "input", si)
    require_wellformed_libcbor(case, enc, "encoded", se)
    if len(case.gaps) > gaps:
        # libcbor gave no verdict: cbor-diag must then accept the input as well-formed.
        status, text = diag(b)
        if status == "error":
            raise Fail("libcbor has a known gap here and cbor-diag rejects the input: %s" % text)
        if status == "panic":
            case.gap("cbor-diag", "panics (%s) on the input, as it does on empty indefinite-length strings; "
                                 "only cbor2 judged its well-formedness" % text)
    ci, ce = canon(vi), canon(ve)
    if ci != ce:
        raise Fail("input and encoded differ in the data model: %s vs %s" % (ci.hex()[:80], ce.hex()[:80]))
    if ce != enc:
        raise Fail("encoded is not §4.2.1 deterministic; expected %s" % ce.hex()[:160])
    status, text = diag(enc)
    if status == "panic":
        case.gap("cbor-diag", "panics (%s) on encoded; preferred form not corroborated" % text)
    elif status != "ok":
        raise Fail("cbor-diag rejects encoded: %s" % text)
    else:
        marks = diag_markers(text, se["floats"])
        if marks:
            raise Fail("cbor-diag shows %s in encoded: %s" % (marks[0], text[:120]))
    if case.group.get("profile") == "deterministic" and b != enc:
        raise Fail("deterministic profile but input != encoded")


def _real_duplicate(data):
    for keys in Walk(data).maps:
        seen = set()
        for start, end in keys:
            e = canon(cbor2_decode(data[start:end], duplicates=True))
            if e in seen:
                return True
            seen.add(e)
    return False


def describe_acceptable(case):
    b = case.data
    parts = ["libcbor %s" % libcbor(b)]
    err = cbor2_error(b)
    parts.append("cbor2 %s" % ("ok" if err is None else err[:70]))
    if err is not None and "maximum container nesting depth" in err:
        parts.append("cbor-diag not run (it overflows its stack on deep nesting)")
    else:
        status, text = diag(b)
        parts.append("cbor-diag %s" % (status if status != "error" else text[:60]))
    return "; ".join(parts)


def check(case):
    t = case.t
    result, code = t["result"], t.get("expectedError")
    if result == "valid":
        check_valid(case)
    elif result == "invalid":
        if code in WELLFORMEDNESS:
            check_wellformedness(case, code)
        elif code == "cbor.duplicate_key":
            check_duplicate_key(case)
        elif code == "cbor.invalid_utf8":
            check_invalid_utf8(case)
        elif code == "cbor.invalid_tag_content":
            check_invalid_tag_content(case)
        elif code in DETERMINISM:
            check_determinism(case, code)
        else:
            raise Skip("no oracle for %s" % code)
    else:
        raise Skip("result %s: reported, not judged" % result)


def main(argv):
    ap = argparse.ArgumentParser(description="Check the CBOR vectors against libcbor, cbor2 and cbor-diag.")
    ap.add_argument("files", nargs="*", help="vector files (default: vectors/cbor/*_test.json)")
    ap.add_argument("--verbose", action="store_true", help="also print one line per passing case")
    args = ap.parse_args(argv)
    files = args.files or sorted(glob.glob(os.path.join(ROOT, "vectors", "cbor", "*_test.json")))
    if not files:
        print("check_cbor_vectors: no vector files found", file=sys.stderr)
        return 2
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    passed = failed = 0
    skipped = {}
    gaps = []
    gap_kinds = {}
    accept_lines = []
    for path in files:
        fname = os.path.basename(path)
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("check_cbor_vectors: %s: %s" % (path, e), file=sys.stderr)
            return 2
        for group in doc.get("testGroups", []):
            for test in group.get("tests", []):
                try:
                    case = Case(fname, group, test)
                except (KeyError, TypeError, ValueError) as e:
                    failed += 1
                    print("FAIL %s %s: malformed case: %s" % (fname, test.get("tcId"), e))
                    continue
                try:
                    check(case)
                    passed += 1
                    if args.verbose:
                        print("ok %s %s" % (fname, case.tc))
                except Fail as e:
                    failed += 1
                    print("FAIL %s %s: %s (input %s)" % (fname, case.tc, e, test["input"][:80]))
                except (Skip, Unchecked) as e:
                    skipped[str(e)] = skipped.get(str(e), 0) + 1
                except Exception as e:  # noqa: BLE001  an oracle misbehaved: show it, count it
                    failed += 1
                    print("FAIL %s %s: checker error %s: %s" % (fname, case.tc, type(e).__name__, e))
                if test["result"] == "acceptable":
                    accept_lines.append("acceptable %s %s (%s): %s" % (
                        fname, case.tc, test.get("expectedError"), describe_acceptable(case)))
                for g in dict.fromkeys(case.gaps):
                    gaps.append("oracle gap %s %s: %s" % (fname, case.tc, g))
                    kind = re.sub(r"^(\w[\w-]*): (input |encoded )?", r"\1: ", g)
                    gap_kinds[kind] = gap_kinds.get(kind, 0) + 1
    for line in gaps + accept_lines:
        print(line)
    for kind, n in sorted(gap_kinds.items()):
        print("oracle gaps (%s): %d" % (kind, n))
    for reason, n in sorted(skipped.items()):
        print("skipped (%s): %d" % (reason, n))
    print("oracle: %d passed, %d failed, %d skipped" % (passed, failed, sum(skipped.values())))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
