#!/usr/bin/env python3
"""check_boot_vectors.py [--verbose]

Checks the boot vectors (vectors/boot/*_test.json) with code this project did not write:
imgtool 2.5.0's trailer writer and verifier. Nothing here reads b2c's sources or output.

BootSwapType cases, for each slot's trailer bytes (the slot's last bytes, the rest erased)
  magic     imgtool pads a --confirm image for the group's --max-align (Image.pad_to): the 16
            bytes it writes at the slot's end are the GOOD magic; all erased bytes are UNSET;
            anything else is BAD. The case's decoded state must say the same.
  image_ok  the byte imgtool's --confirm writes 0x01 to (its image_ok index) must decode as the
            case says: erased UNSET, 0x01 SET, anything else BAD.
  copy_done, swap_info and the swap type itself are not written or read by imgtool; they are
  facts typed in from bootutil (docs/rules/boot.md), checked against the boot model by the tests.
BootUpgrade cases
  imgtool   Image.verify (hash only, no key) must answer OK for the primary image and for every
            candidate except the InvalidCandidate ones, where it must answer INVALID_HASH.
  versions  from imgtool's verify: a Downgrade case by version has the candidate below the
            primary (tuple order without the build number); the version booted is the primary's
            when the swap type is none, the candidate's otherwise.
  counters  a Downgrade case by security counter has a lower protected SEC_CNT (TLV 0x50 in the
            0x6908 area, read with struct) in the candidate than in the primary.
"""
import json
import os
import struct
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

try:
    from imgtool.image import Image, VerifyResult
except ImportError:
    sys.exit("check_boot_vectors: imgtool not importable; run scripts/test (it makes .venv)")


def imgtool_trailer(max_align, slot_size):
    """The last bytes imgtool writes for a --confirm --pad image: (magic, image_ok index from the end)."""
    img = Image(slot_size=slot_size, pad=True, confirm=True, align=1, max_align=max_align)
    img.payload = bytearray()
    img.pad_to(slot_size)
    padded = bytes(img.payload)
    assert len(padded) == slot_size
    magic = padded[-16:]
    ok = [i for i in range(1, len(padded) + 1) if padded[-i] == 0x01]
    assert len(ok) == 1, "imgtool wrote more than one 0x01"
    return magic, ok[0]


def flag(byte, erased):
    return "unset" if byte == erased else ("set" if byte == 0x01 else "bad")


def state_fields(text):
    return dict(kv.split("=", 1) for kv in text.split())


def protected_counter(b):
    _, _, header_size, protect_size, img_size = struct.unpack("<IIHHI", b[:16])
    off = header_size + img_size
    magic, total = struct.unpack("<HH", b[off:off + 4])
    if magic != 0x6908:
        return None
    end, off = off + total, off + 4
    while off < end:
        t, l = struct.unpack("<HH", b[off:off + 4])
        if t == 0x50 and l == 4:
            return struct.unpack("<I", b[off + 4:off + 8])[0]
        off += 4 + l
    return None


def ver(b):
    return "%d.%d.%d+%d" % struct.unpack("<BBHI", b[20:28])


def verify(image):
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as f:
        f.write(image)
        path = f.name
    try:
        result, version, _, _ = Image.verify(path, None)
    finally:
        os.unlink(path)
    return result, version


def main(argv):
    verbose = "--verbose" in argv
    problems, checked = [], 0
    directory = os.path.join(ROOT, "vectors", "boot")
    for name in sorted(os.listdir(directory)):
        if not name.endswith("_test.json"):
            continue
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            doc = json.load(f)
        for group in doc["testGroups"]:
            p = group["parameters"] if "parameters" in group else group
            for t in group["tests"]:
                where = f"{name} tc{t['tcId']}"
                if group["type"] == "BootSwapType":
                    size, erased = p["slotSize"], p["erasedValue"]
                    magic, ok_index = imgtool_trailer(p["maxAlign"], size)
                    for slot in ("primary", "secondary"):
                        tail = bytes.fromhex(t[slot])
                        want = state_fields(t[slot + "State"])
                        m = tail[-16:]
                        got = "unset" if all(b == erased for b in m) else ("good" if m == magic else "bad")
                        if got != want["magic"]:
                            problems.append(f"{where} {slot}: magic reads {got} by imgtool's, the case says {want['magic']}")
                        if ok_index <= len(tail):
                            got = flag(tail[-ok_index], erased)
                            if got != want["image_ok"]:
                                problems.append(f"{where} {slot}: image_ok is {got}, the case says {want['image_ok']}")
                        else:
                            problems.append(f"{where} {slot}: the bytes do not reach imgtool's image_ok")
                elif group["type"] == "BootUpgrade":
                    primary, secondary = bytes.fromhex(t["primary"]), bytes.fromhex(t["secondary"])
                    rp, vp = verify(primary)
                    rs, vs = verify(secondary)
                    if rp != VerifyResult.OK:
                        problems.append(f"{where}: imgtool: primary {rp}")
                    invalid = "InvalidCandidate" in t["flags"]
                    if invalid and rs != VerifyResult.INVALID_HASH:
                        problems.append(f"{where}: imgtool finds the invalid candidate {rs}")
                    if not invalid and rs != VerifyResult.OK:
                        problems.append(f"{where}: imgtool: candidate {rs}")
                    if vp is not None and vs is not None:
                        if "Downgrade" in t["flags"] and t["downgradePrevention"] == "version" and not vs[:3] < vp[:3]:
                            problems.append(f"{where}: the candidate {vs} is not older than {vp}")
                    if "Downgrade" in t["flags"] and t["downgradePrevention"] == "security-counter":
                        cp, cs = protected_counter(primary), protected_counter(secondary)
                        if cp is None or cs is None or not cs < cp:
                            problems.append(f"{where}: protected counters {cs} (candidate), {cp} (primary)")
                    booted = ver(primary) if t["swapType"] == "none" else ver(secondary)
                    if booted != t["booted"]:
                        problems.append(f"{where}: boots {booted}, the case says {t['booted']}")
                else:
                    problems.append(f"{where}: unknown group type {group['type']}")
                checked += 1
                if verbose:
                    print(f"{where}: ok")
    for p in problems:
        print(f"check_boot_vectors: {p}")
    print(f"boot vectors: {checked} cases checked with imgtool, {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
