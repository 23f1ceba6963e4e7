#!/usr/bin/env python3
"""b2c wire-protocol shim (protocol version 1) around imgtool's verifier.

`image.verify` writes the image to a temporary file and calls imgtool's own
`Image.verify(path, key)` -- the function behind `imgtool verify` -- with each
accepted key of the configuration in turn (no key: hash only).  imgtool knows
nothing of the rest of the bootloader configuration (slot size, allow list,
security counter, UUIDs, downgrade prevention) and cannot verify encrypted
images, so it declares no encryption feature; the run is meant to show where
that falls short of bootutil.  `image.parse` reads the image with the function
behind `imgtool dumpinfo` (dumpinfo._read_imginfo) and answers b2c's layout
summary.  One JSON object per line on stdin and stdout;
logs go to stderr.  See docs/wire-protocol.md.
"""

import base64
import json
import os
import sys
import tempfile
from importlib import metadata

from imgtool import dumpinfo as imgtool_dumpinfo
from imgtool import keys as imgtool_keys
from imgtool.image import Image, VerifyResult

PROTOCOL = 1
OUT = sys.stdout.buffer
sys.stdout = sys.stderr  # protocol lines only on the real stdout

FEATURES = ["sig-none", "sig-ed25519", "sig-ecdsa-p256", "sig-ecdsa-p384", "sig-rsa-2048",
            "sig-rsa-3072", "sig-pure"]

# imgtool's verdicts, named with the codes of docs/error-codes.md.
CODES = {
    VerifyResult.INVALID_MAGIC: "image.bad_magic",
    VerifyResult.INVALID_TLV_INFO_MAGIC: "image.bad_tlv_info",
    VerifyResult.INVALID_HASH: "image.hash_mismatch",
    VerifyResult.INVALID_SIGNATURE: "image.signature_invalid",
    VerifyResult.KEY_MISMATCH: "image.no_valid_signature",
}


def emit(rid, kind, body):
    OUT.write(json.dumps({"v": PROTOCOL, "id": rid, kind: body}, separators=(",", ":")).encode() + b"\n")
    OUT.flush()


def pem_key(spki_hex):
    body = base64.encodebytes(bytes.fromhex(spki_hex)).decode().replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----\n"


def verify(args, workdir):
    image_hex, config = args.get("image"), args.get("config")
    if not isinstance(image_hex, str) or not isinstance(config, dict):
        return "err", {"code": "wire.bad_request", "detail": "args.image (hex) and args.config are required"}
    if config.get("decryption"):
        return "unsupported", {"reason": "imgtool cannot verify encrypted images"}
    path = os.path.join(workdir, "image.bin")
    with open(path, "wb") as f:
        f.write(bytes.fromhex(image_hex))
    keys = []
    for i, k in enumerate(config.get("keys", [])):
        key_path = os.path.join(workdir, "key%d.pem" % i)
        with open(key_path, "w") as f:
            f.write(pem_key(k["spki"]))
        keys.append(imgtool_keys.load(key_path))
    verdict = None
    for key in keys or [None]:
        try:
            result, _version, digest, _sig = Image.verify(path, key)
        except Exception as e:  # imgtool raises on some malformed images (struct.error, IndexError, ...)
            verdict = ("err", {"code": "imgtool.exception", "detail": "%s: %s" % (type(e).__name__, e)})
            continue
        if result == VerifyResult.OK:
            # imgtool reports no digest when it accepted a pure signature; the hash TLV is what it checked then.
            return "ok", {"hash": digest.hex() if digest else ""}
        verdict = ("err", {"code": CODES.get(result, "imgtool.unknown"), "detail": "imgtool: %s" % result.name})
    return verdict


def parse(args, workdir):
    """image.parse through the reader behind `imgtool dumpinfo` (dumpinfo._read_imginfo), as b2c's layout summary."""
    image_hex = args.get("image")
    if not isinstance(image_hex, str):
        return "err", {"code": "wire.bad_request", "detail": "args.image (hex) is required"}
    path = os.path.join(workdir, "parse.bin")
    with open(path, "wb") as f:
        f.write(bytes.fromhex(image_hex))
    try:
        info = imgtool_dumpinfo._read_imginfo(path)
    except Exception as e:  # dumpinfo raises struct.error and friends on malformed images
        return "err", {"code": "imgtool.exception", "detail": "%s: %s" % (type(e).__name__, e)}
    h, area = info["header"], info["tlv_area"]
    tlvs = ["0x%x:%dp" % (t["type"], t["len"]) for t in area["tlvs_prot"]]
    tlvs += ["0x%x:%d" % (t["type"], t["len"]) for t in area["tlvs"]]
    layout = "hdr=%d img=%d prot=%d flags=0x%x ver=%s tlvs=%s" % (
        h["hdr_size"], h["img_size"], h["protected_tlv_size"], h["flags"], h["version"], ",".join(tlvs))
    return "ok", {"layout": layout}


def main():
    version = metadata.version("imgtool")
    with tempfile.TemporaryDirectory(prefix="b2c-imgtool-shim-") as workdir:
        for raw in sys.stdin.buffer:
            if not raw.strip():
                continue
            try:
                req = json.loads(raw)
                rid, op, args = req["id"], req.get("op"), req.get("args", {})
            except (ValueError, KeyError, TypeError) as e:
                sys.stderr.write("imgtool-shim: bad request line: %s\n" % e)
                continue
            if op == "hello":
                emit(rid, "ok", {"protocol": PROTOCOL, "implementation": {"name": "imgtool", "version": version},
                                 "capabilities": {"image.verify": {"features": FEATURES}, "image.parse": {}},
                                 "limits": {"maxInFlight": 1}})
            elif op in ("image.verify", "image.parse"):
                try:
                    kind, body = (verify if op == "image.verify" else parse)(args, workdir)
                except Exception as e:  # a bug here must not look like imgtool's answer
                    kind, body = "err", {"code": "shim.error", "detail": "%s: %s" % (type(e).__name__, e)}
                emit(rid, kind, body)
            elif op == "bye":
                emit(rid, "ok", {})
                return 0
            else:
                emit(rid, "unsupported", {"reason": "op %s not implemented" % op})
    return 0


if __name__ == "__main__":
    sys.exit(main())
