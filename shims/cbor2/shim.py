#!/usr/bin/env python3
"""b2c wire-protocol shim (protocol version 1) around the cbor2 library.

Reads one JSON request per line on stdin and writes exactly one JSON response per
request on stdout.  stdout carries protocol lines only; everything else goes to
stderr.  See docs/wire-protocol.md and shims/README.md.

Decoding policy: `cbor.decode` calls `cbor2.loads(data)` with its default options,
because that is cbor2's public one-item API and the thing a user of the library
calls.  `loads` silently ignores bytes after the first item, so this shim does
NOT report `cbor.trailing_bytes`; the conformance run is meant to show that.
"""

import binascii
import json
import re
import sys

try:
    from importlib import metadata as _metadata
except ImportError:  # pragma: no cover - Python < 3.8
    _metadata = None

import cbor2

PROTOCOL = 1
MAX_LINE_BYTES = 16 * 1024 * 1024
DETAIL_MAX = 500
DIAG_MAX = 65536

# The real stdout is reserved for protocol lines; anything that prints by
# accident (a library, a stray debug print) ends up on stderr instead.
_OUT = sys.stdout.buffer
sys.stdout = sys.stderr


def log(msg):
    sys.stderr.write("cbor2-shim: %s\n" % msg)
    sys.stderr.flush()


def cbor2_version():
    if _metadata is not None:
        try:
            return _metadata.version("cbor2")
        except Exception:  # noqa: BLE001 - any lookup failure falls through
            pass
    return str(getattr(cbor2, "__version__", "unknown"))


def one_line(text, limit=DETAIL_MAX):
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def send(obj):
    line = json.dumps(obj, separators=(",", ":"), ensure_ascii=True)
    _OUT.write(line.encode("ascii") + b"\n")
    _OUT.flush()


def reply_ok(rid, body):
    send({"v": PROTOCOL, "id": rid, "ok": body})


def reply_err(rid, code, detail):
    send({"v": PROTOCOL, "id": rid, "err": {"code": code, "detail": one_line(detail)}})


def reply_unsupported(rid, reason):
    send({"v": PROTOCOL, "id": rid, "unsupported": {"reason": one_line(reason)}})


# --------------------------------------------------------------------------
# Mapping cbor2 exceptions onto docs/error-codes.md
# --------------------------------------------------------------------------

# Names cbor2 uses in "error decoding <name>" for the major types themselves.
# Any other name there is a semantic-tag decoder (datetime, bignum, UUID, ...),
# which means the tag content had the wrong type or shape.
_MAJOR_TYPE_NAMES = (
    "unsigned integer",
    "negative integer",
    "byte string",
    "text string",
    "array",
    "map",
    "semantic tag",
    "special value",
)

_RESERVED_AI = re.compile(r"subtype 0x1[cde]\b", re.IGNORECASE)


def _exception_chain(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _detail(exc):
    parts = []
    for e in _exception_chain(exc):
        text = str(e) or type(e).__name__
        if e is not exc:
            text = "%s: %s" % (type(e).__name__, text)
        parts.append(text)
    return " <- ".join(parts)


def map_decode_error(exc):
    """Return the closest canonical error code for a cbor2 decode exception."""
    chain = list(_exception_chain(exc))
    msg = str(exc)
    low = msg.lower()

    if isinstance(exc, getattr(cbor2, "CBORDecodeEOF", ())) or "premature end of stream" in low:
        return "cbor.truncated"
    if any(isinstance(e, UnicodeDecodeError) for e in chain) or "utf-8" in low:
        return "cbor.invalid_utf8"
    if "nesting depth" in low:
        return "cbor.depth_exceeded"
    if "duplicate map key" in low:
        return "cbor.duplicate_key"
    if _RESERVED_AI.search(msg) or "undefined reserved major type 7" in low:
        return "cbor.reserved_additional_info"
    if "two-byte sequence for simple value" in low:
        return "cbor.reserved_simple_encoding"
    if "found in indefinite length" in low:
        return "cbor.indefinite_chunk_type"
    if "indefinite length not allowed" in low:
        if low.startswith("error decoding byte string") or low.startswith("error decoding text string"):
            # an indefinite-length chunk inside an indefinite-length string
            return "cbor.indefinite_chunk_type"
        return "cbor.indefinite_major_type"
    if "break code" in low:
        return "cbor.break_outside_indefinite"
    if "missing value for key" in low:
        return "cbor.break_in_map_value"
    if "shared reference" in low or "string reference" in low:
        return "cbor.invalid_tag_content"
    if low.startswith("error decoding "):
        name = low[len("error decoding "):].split(":", 1)[0].strip()
        if name and name not in _MAJOR_TYPE_NAMES:
            return "cbor.invalid_tag_content"
    if isinstance(exc, (MemoryError, OverflowError)):
        return "cbor.limit_exceeded"
    if isinstance(exc, RecursionError):
        return "cbor.depth_exceeded"
    return "cbor.malformed"


# --------------------------------------------------------------------------
# Operations
# --------------------------------------------------------------------------

def diag_of(value):
    try:
        text = repr(value)
    except Exception as e:  # noqa: BLE001 - e.g. int too large for str()
        text = "<%s; repr failed: %s>" % (type(value).__name__, one_line(e, 200))
    if len(text) > DIAG_MAX:
        text = text[: DIAG_MAX - 3] + "..."
    return text


def op_hello(rid, args):
    reply_ok(rid, {
        "protocol": PROTOCOL,
        "implementation": {"name": "cbor2", "version": cbor2_version()},
        "capabilities": {"cbor.decode": {"profiles": ["valid"]}},
        "limits": {"maxLineBytes": MAX_LINE_BYTES, "maxInFlight": 1},
    })


def op_decode(rid, args):
    if not isinstance(args, dict):
        reply_err(rid, "wire.bad_request", "args must be an object")
        return
    profile = args.get("profile", "valid")
    if not isinstance(profile, str):
        reply_err(rid, "wire.bad_request", "args.profile must be a string")
        return
    if profile != "valid":
        reply_unsupported(rid, "profile %s not implemented (cbor2 has no deterministic-decoding mode)" % profile)
        return
    data_hex = args.get("data")
    if not isinstance(data_hex, str):
        reply_err(rid, "wire.bad_request", "args.data must be a hex string")
        return
    if len(data_hex) % 2 != 0 or not all(c in "0123456789abcdefABCDEF" for c in data_hex):
        reply_err(rid, "wire.bad_request", "args.data is not an even-length hex string")
        return
    data = binascii.unhexlify(data_hex)

    try:
        value = cbor2.loads(data)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - pyo3 panics derive from BaseException
        reply_err(rid, map_decode_error(exc), _detail(exc))
        return

    body = {}
    try:
        body["encoded"] = cbor2.dumps(value, canonical=True).hex()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001
        body["encoded"] = None
        body["note"] = one_line("decoded, but cbor2.dumps(canonical=True) failed: %s: %s"
                                % (type(exc).__name__, exc))
    body["diag"] = diag_of(value)
    reply_ok(rid, body)


# --------------------------------------------------------------------------
# Request loop
# --------------------------------------------------------------------------

_ID_SALVAGE = re.compile(rb'"id"\s*:\s*(-?[0-9]{1,18})\s*[,}]')


def salvage_id(raw):
    """Best-effort id from a line that is not valid JSON (first "id": <int>)."""
    m = _ID_SALVAGE.search(raw)
    if m is None:
        return None
    try:
        return int(m.group(1))
    except ValueError:
        return None


class _JsonObject(dict):
    """A decoded JSON object that remembers whether a member name repeated."""

    has_duplicates = False


def _object_pairs(pairs):
    obj = _JsonObject(pairs)
    if len(obj) != len(pairs):
        obj.has_duplicates = True
    return obj


def handle_line(raw):
    """Handle one request line (bytes, newline stripped). Returns False on bye."""
    try:
        req = json.loads(raw.decode("utf-8"), object_pairs_hook=_object_pairs)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        rid = salvage_id(raw)
        log("malformed request line (%d bytes): %s" % (len(raw), one_line(e, 200)))
        if rid is not None:
            reply_err(rid, "wire.bad_request", "request is not valid JSON: %s" % e)
        return True

    if not isinstance(req, dict) or "id" not in req:
        log("request without an id ignored: %s" % one_line(raw[:200].decode("utf-8", "replace"), 200))
        return True
    rid = req["id"]
    args = req.get("args", {})
    if req.has_duplicates or getattr(args, "has_duplicates", False):
        reply_err(rid, "wire.bad_request", "duplicate member in request")
        return True
    v = req.get("v")
    if not (isinstance(v, int) and not isinstance(v, bool) and v == PROTOCOL):
        reply_err(rid, "wire.bad_request", "unsupported or missing protocol version v=%r" % (req.get("v"),))
        return True
    op = req.get("op")
    if not isinstance(op, str):
        reply_err(rid, "wire.bad_request", "op must be a string")
        return True

    if op == "hello":
        op_hello(rid, args)
    elif op == "cbor.decode":
        op_decode(rid, args)
    elif op == "bye":
        reply_ok(rid, {})
        return False
    else:
        reply_unsupported(rid, "op %s not implemented" % op)
    return True


def main():
    stdin = sys.stdin.buffer
    while True:
        try:
            line = stdin.readline()
        except (KeyboardInterrupt, OSError) as e:
            log("stdin read failed: %s" % e)
            return 0
        if not line:
            return 0
        line = line.rstrip(b"\r\n")
        if not line.strip():
            continue
        try:
            if not handle_line(line):
                return 0
        except BrokenPipeError:
            return 0
        except Exception as e:  # noqa: BLE001 - keep serving; never crash on one request
            log("internal error while handling a request: %s: %s" % (type(e).__name__, one_line(e, 300)))


if __name__ == "__main__":
    sys.exit(main())
