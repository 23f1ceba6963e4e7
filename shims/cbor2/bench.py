#!/usr/bin/env python3
"""bench.py FILE...  -- the cbor2 half of the decode benchmark.

Loads every FILE (each one CBOR data item) into memory, checks that each decodes
completely, then decodes all of them with cbor2.loads in whole passes until at
least 1.0 s (time.perf_counter, a monotonic clock) has passed, and prints one
JSON line on stdout:

  {"impl":"cbor2","version":"6.3.0","items":N,"bytes":B,"seconds":S,
   "mbPerSec":X,"itemsPerSec":Y}

items/bytes count every decode performed (passes x inputs); mbPerSec uses
1 MB = 1e6 bytes.  Errors go to stderr with a non-zero exit status.
"""

import io
import json
import sys
import time

try:
    from importlib import metadata as _metadata
except ImportError:  # pragma: no cover
    _metadata = None

import cbor2

MIN_SECONDS = 1.0


def cbor2_version():
    if _metadata is not None:
        try:
            return _metadata.version("cbor2")
        except Exception:  # noqa: BLE001
            pass
    return str(getattr(cbor2, "__version__", "unknown"))


def load_inputs(paths):
    inputs = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise SystemExit("bench.py: %s: %s" % (path, e))
        # Each file must hold exactly one item that cbor2 decodes.
        fp = io.BytesIO(data)
        try:
            cbor2.CBORDecoder(fp).decode()
        except Exception as e:  # noqa: BLE001
            raise SystemExit("bench.py: %s: cbor2 cannot decode it: %s" % (path, e))
        if fp.tell() != len(data):
            raise SystemExit("bench.py: %s: %d trailing bytes after the item" % (path, len(data) - fp.tell()))
        inputs.append(data)
    return inputs


def main(argv):
    if not argv:
        sys.stderr.write("usage: bench.py FILE...\n")
        return 2
    inputs = load_inputs(argv)
    pass_bytes = sum(len(d) for d in inputs)
    loads = cbor2.loads

    passes = 0
    start = time.perf_counter()
    while True:
        for data in inputs:
            loads(data)
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_SECONDS:
            break

    items = passes * len(inputs)
    total = passes * pass_bytes
    result = {
        "impl": "cbor2",
        "version": cbor2_version(),
        "items": items,
        "bytes": total,
        "seconds": round(elapsed, 6),
        "mbPerSec": round(total / 1e6 / elapsed, 3),
        "itemsPerSec": round(items / elapsed, 1),
    }
    sys.stdout.write(json.dumps(result, separators=(",", ":")) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
