#!/usr/bin/env python3
"""check_image_vectors.py [--verbose]

Checks the MCUboot vectors (vectors/mcuboot/*_test.json, images in vectors/blobs/)
with code this project did not write: imgtool 2.5.0's own verifier, hashlib, and
Python's cryptography (pinned by imgtool). Nothing here reads b2c's sources or output.

valid and acceptable cases, plain images
  imgtool   Image.verify(path, key) with each key of the configuration must answer OK,
            and (unless pure) its digest must equal the case's "hash".
valid cases, encrypted images
  cryptography decrypts the body itself: ECIES-X25519/P256 (X25519/ECDH, HKDF with no
            salt and info "MCUBoot_ECIES_v1", HMAC over the ciphered key checked,
            AES-CTR), RSA-OAEP-SHA256 or AES-KW; the result must equal the case's
            "plaintext" blob (what image.decrypt expects); hashlib over its region must equal
            "hash", and the signature must verify with cryptography (Ed25519 over the
            hash bytes, ECDSA and RSA-PSS (salt 32) over the region).
invalid cases, by class
  image.bad_magic         the first four bytes are not 3d b8 f3 96
  image.hash_mismatch     some hash TLV differs from hashlib over the region (plain images)
  image.truncated         the file is shorter than the 32-byte header or than its TLV area
  image.downgrade         the header's version (offset 20, <BBHI) ranks below the configured
                          running version, compared field by field as tuples (the build
                          number only when the configuration says so)
Other classes are structural facts of the mutators; the reference's own tests cover them.
"""

import glob
import hashlib
import json
import os
import struct
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_PY = os.path.join(ROOT, ".venv", "bin", "python3")
try:
    from cryptography.hazmat.primitives import hashes, hmac, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
    from cryptography.hazmat.primitives.asymmetric import padding as asym_padding
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.hazmat.primitives.keywrap import aes_key_unwrap
    from imgtool import keys as imgtool_keys
    from imgtool.image import Image, VerifyResult
except ImportError:
    if os.path.exists(VENV_PY) and os.path.realpath(sys.prefix) != os.path.realpath(os.path.join(ROOT, ".venv")):
        os.execv(VENV_PY, [VENV_PY] + sys.argv)
    sys.exit("check_image_vectors: imgtool/cryptography not importable; run scripts/test (it makes .venv)")

HASHES = {0x10: hashlib.sha256, 0x11: hashlib.sha384, 0x12: hashlib.sha512}
le = lambda b: int.from_bytes(b, "little")


def layout(img):
    hdr, prot, size = le(img[8:10]), le(img[10:12]), le(img[12:16])
    region_end = hdr + size + prot
    tlvs, off = [], hdr + size
    while off + 4 <= len(img):
        magic, tot = le(img[off:off + 2]), le(img[off + 2:off + 4])
        if magic not in (0x6907, 0x6908):
            break
        p = off + 4
        while p + 4 <= off + tot:
            t, n = le(img[p:p + 2]), le(img[p + 2:p + 4])
            tlvs.append((t, img[p + 4:p + 4 + n]))
            p += 4 + n
        off += tot
        if magic == 0x6907:
            break
    return hdr, size, region_end, tlvs


def pem(spki_hex):
    return serialization.load_der_public_key(bytes.fromhex(spki_hex))


def decrypt_body(img, config):
    hdr, size, _, tlvs = layout(img)
    dec = config["decryption"]
    bits = config.get("aesKeyBits") or (256 if le(img[16:20]) & 0x08 else 128)
    klen = bits // 8
    key = None
    if dec["type"] == "aes-kw":
        payload = next(v for t, v in tlvs if t == 0x31)
        key = aes_key_unwrap(bytes.fromhex(dec["kek"]), payload)
    elif dec["type"].startswith("rsa"):
        payload = next(v for t, v in tlvs if t == 0x30)
        priv = serialization.load_der_private_key(bytes.fromhex(dec["pkcs8"]), None)
        key = priv.decrypt(payload, asym_padding.OAEP(mgf=asym_padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
    else:
        priv = serialization.load_der_private_key(bytes.fromhex(dec["pkcs8"]), None)
        if isinstance(priv, x25519.X25519PrivateKey):
            sha512 = dec.get("hmacSha") == 512
            payload = next(v for t, v in tlvs if t == (0x34 if sha512 else 0x33))
            eph, rest = payload[:32], payload[32:]
            shared = priv.exchange(x25519.X25519PublicKey.from_public_bytes(eph))
        else:
            sha512 = False
            payload = next(v for t, v in tlvs if t == 0x32)
            eph, rest = payload[:65], payload[65:]
            shared = priv.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), eph))
        h = hashes.SHA512() if sha512 else hashes.SHA256()
        okm = HKDF(algorithm=h, length=klen + h.digest_size, salt=None, info=b"MCUBoot_ECIES_v1").derive(shared)
        tag, cipherkey = rest[:h.digest_size], rest[h.digest_size:]
        mac = hmac.HMAC(okm[klen:], h)
        mac.update(cipherkey)
        mac.verify(tag)
        d = Cipher(algorithms.AES(okm[:klen]), modes.CTR(bytes(16))).decryptor()
        key = d.update(cipherkey) + d.finalize()
    d = Cipher(algorithms.AES(key), modes.CTR(bytes(16))).decryptor()
    return img[:hdr] + d.update(img[hdr:hdr + size]) + d.finalize() + img[hdr + size:]


def check_signature(plain, config, digest, tlvs):
    key = config["keys"][0]
    pub = pem(key["spki"])
    sig = [v for t, v in tlvs if t in (0x20, 0x22, 0x23, 0x24)][-1]  # the last signature decides (bootutil)
    _, _, region_end, _ = layout(plain)
    if isinstance(pub, ed25519.Ed25519PublicKey):
        pub.verify(sig, digest)
    elif isinstance(pub, rsa.RSAPublicKey):
        pub.verify(sig, plain[:region_end], asym_padding.PSS(mgf=asym_padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
    else:
        pub.verify(sig, plain[:region_end], ec.ECDSA(hashes.SHA256() if config["hash"] == "sha256" else hashes.SHA384()))


def main():
    verbose = "--verbose" in sys.argv
    passed = failed = skipped = 0
    with tempfile.TemporaryDirectory() as work:
        for path in sorted(glob.glob(os.path.join(ROOT, "vectors", "mcuboot", "*_test.json"))):
            doc = json.load(open(path))
            for group in doc["testGroups"]:
                for t in group["tests"]:
                    where = "%s tc%d (%s)" % (os.path.basename(path), t["tcId"], t["comment"])
                    img = open(os.path.join(ROOT, "vectors", "blobs", t["image"] + ".bin"), "rb").read()
                    config = t["config"]
                    try:
                        ok = check_case(t, img, config, work)
                    except Exception as e:  # an oracle error is a failed check, named
                        ok = "%s: %s" % (type(e).__name__, e)
                    if ok is None:
                        skipped += 1
                    elif ok is True:
                        passed += 1
                        if verbose:
                            print("ok", where)
                    else:
                        failed += 1
                        print("FAIL %s: %s" % (where, ok))
    print("image oracle: %d passed, %d failed, %d not checked by an oracle (structural classes)" % (passed, failed, skipped))
    sys.exit(1 if failed else 0)


def check_case(t, img, config, work):
    result, error = t["result"], t.get("expectedError")
    _, _, region_end, tlvs = layout(img) if len(img) >= 32 else (0, 0, 0, [])
    if result in ("valid", "acceptable") and not config.get("decryption"):
        if result == "acceptable":
            return None  # bootutil tolerates it; imgtool is not the judge of tolerances
        p = os.path.join(work, "image.bin")
        open(p, "wb").write(img)
        for i, k in enumerate(config.get("keys") or [None]):
            key = None
            if k:
                kp = os.path.join(work, "k%d.pem" % i)
                open(kp, "wb").write(pem(k["spki"]).public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
                key = imgtool_keys.load(kp)
            r, _v, digest, _s = Image.verify(p, key)
            if r == VerifyResult.OK:
                if config.get("pure") or digest.hex() == t.get("hash"):
                    return True
                return "imgtool's digest %s differs from %s" % (digest.hex(), t.get("hash"))
        return "imgtool says %s" % r.name
    if result == "valid":
        plain = decrypt_body(img, config)
        if "plaintext" in t:
            expected = open(os.path.join(ROOT, "vectors", "blobs", t["plaintext"] + ".bin"), "rb").read()
            if expected != plain:
                return "the plaintext blob differs from the independently decrypted image"
        hash_type = {"sha256": 0x10, "sha384": 0x11, "sha512": 0x12}[config["hash"]]
        digest = HASHES[hash_type](plain[:region_end]).digest()
        if digest.hex() != t["hash"]:
            return "hash over the independently decrypted region is %s" % digest.hex()
        if config.get("signature") != "none":
            check_signature(plain, config, digest, tlvs)
        return True
    if error == "image.bad_magic":
        return True if img[:4] != bytes.fromhex("3db8f396") else "magic is 96f3b83d"
    if error == "image.truncated":
        hdr, size, _, _ = layout(img) if len(img) >= 32 else (0, 0, 0, [])
        return True if len(img) < 32 or len(img) < hdr + size + 4 or not tlvs else None
    if error == "image.downgrade":
        major, minor, revision, build = struct.unpack_from("<BBHI", img, 20)
        text, _, run_build = config["runningVersion"].partition("+")
        running = tuple(int(x) for x in text.split(".")) + (int(run_build or 0),)
        mine = (major, minor, revision, build)
        n = 4 if config.get("compareBuildNumber") else 3
        return True if mine[:n] < running[:n] else "version %d.%d.%d+%d does not rank below %s" % (mine + (config["runningVersion"],))
    if error == "image.hash_mismatch" and not config.get("decryption"):
        for t_, v in tlvs:
            if t_ in HASHES and HASHES[t_](img[:region_end]).digest() != v:
                return True
        return "every hash TLV matches the region"
    return None


if __name__ == "__main__":
    main()
