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
  image.non_bootable      flag 0x10 (IMAGE_F_NON_BOOTABLE) is set, and imgtool, which does
                          not look at it, finds the image otherwise valid
  image.tlv_beyond_max_size  the walk's TLV end passes the maximum image size: the config's
                          "maxImageSize", else the slot less boot_trailer_sz (below)
  image.tlv_out_of_bounds the walk (below) fails on an entry's bounds
  image.bad_tlv_info      the walk fails at its start: no 0x6907 info where it must be
  image.hash_missing      the walk succeeds and meets no hash TLV of the build's type
  image.tlv_not_allowed   (allow list on) the walk meets an unprotected TLV outside
                          image_validate.c's allowed_unprot_tlvs (SIG_PURE only on pure builds,
                          ENC_X25519_SHA512 instead of ENC_X25519 with HMAC-SHA512)
  image.enc_tlv_length    the build's key TLV is not BOOT_ENC_TLV_SIZE for its AES size
  image.enc_key           (RSA-OAEP) the TLV has the right size, but cryptography's OAEP
                          decryption gives a key of the other AES size
  image.hash_mismatch     (encrypted, secondary slot) the body decrypted by cryptography does
                          not hash to the hash TLV (an imgtool --clear image there)
every valid and acceptable case with a slot size: the walk's TLV end is within the maximum
image size. Primary-slot cases of an encryption build (imgtool --clear images) are plain
images to imgtool: its verify hashes the body as stored, as the loader does there.
Acceptable N7 cases (a protected TLV running past the protected end): the walk succeeds and
imgtool verifies the image.

The walk is bootutil's TLV iterator as tlv.c has it after the bounds fix (commit 90f4e7c3,
PR #2733), written here from its description: bootutil_tlv_iter_begin reads the info at
hdr+img; 0x6908 needs it_tlv_tot == ih_protect_tlv_size and moves to the 0x6907 info after it;
prot_end = start + ih_protect_tlv_size, tlv_end = prot_end + the unprotected total; entries
start after the first info. bootutil_tlv_iter_next, over both areas: at tlv_off == prot_end
(with a protected area) skip 4 bytes; the 4-byte header and the payload must fit before
tlv_end; an entry is protected when its payload offset is below prot_end.
boot_trailer_sz (bootutil_area.c): maxImageSectors x 3 states x writeSize of swap status, two
key slots of align_up(AES key bytes, maxAlign) on an encryption build, 4 x maxAlign, and
align_up(16, maxAlign) for the magic; defaults 128, 8 and 8.
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


class WalkError(Exception):
    def __init__(self, where, why):
        super().__init__(why)
        self.where = where  # "begin" (the info headers) or "entry" (an entry's bounds)


def bootutil_walk(img):
    """(entries, prot_end, tlv_end): entries as (type, payload offset, length, protected)."""
    if len(img) < 32:
        raise WalkError("begin", "no header")
    hdr, prot_size, size = le(img[8:10]), le(img[10:12]), le(img[12:16])
    start = hdr + size
    if start + 4 > len(img):
        raise WalkError("begin", "no TLV info")
    magic, tot = le(img[start:start + 2]), le(img[start + 2:start + 4])
    info_at = start
    if magic == 0x6908:
        if tot != prot_size:
            raise WalkError("begin", "protected total differs from ih_protect_tlv_size")
        info_at = start + tot
        if info_at + 4 > len(img):
            raise WalkError("begin", "no unprotected info")
        magic, tot = le(img[info_at:info_at + 2]), le(img[info_at + 2:info_at + 4])
    elif prot_size != 0:
        raise WalkError("begin", "ih_protect_tlv_size without a protected info")
    if magic != 0x6907:
        raise WalkError("begin", "no unprotected info magic")
    prot_end = start + prot_size
    tlv_end = prot_end + tot
    off, entries = start + 4, []
    while off < tlv_end:
        if prot_size > 0 and off == prot_end:
            off += 4
            continue
        if tlv_end - off < 4:
            raise WalkError("entry", "TLV header at %d overruns %d" % (off, tlv_end))
        t, n = le(img[off:off + 2]), le(img[off + 2:off + 4])
        if n > tlv_end - off - 4:
            raise WalkError("entry", "TLV at %d of length %d overruns %d" % (off, n, tlv_end))
        entries.append((t, off + 4, n, off + 4 < prot_end))
        off += 4 + n
    return entries, prot_end, tlv_end


def align_up(v, a):
    return (v + a - 1) // a * a


def max_image_size(config):
    """The config's maxImageSize, else the slot size less boot_trailer_sz; None without a slot size."""
    if "maxImageSize" in config:
        return config["maxImageSize"]
    if "slotSize" not in config:
        return None
    a, write, sectors = config.get("maxAlign", 8), config.get("writeSize", 8), config.get("maxImageSectors", 128)
    trailer = sectors * 3 * write + 4 * a + align_up(16, a)
    if config.get("decryption"):
        trailer += 2 * align_up(config.get("aesKeyBits", 128) // 8, a)
    return config["slotSize"] - trailer


def enc_tlv(config):
    """(TLV type, BOOT_ENC_TLV_SIZE) of the build (enc_key_public.h)."""
    dec, k = config["decryption"], config.get("aesKeyBits", 128) // 8
    if dec["type"] == "aes-kw":
        return 0x31, k + 8
    if dec["type"].startswith("rsa"):
        return 0x30, 256
    priv = serialization.load_der_private_key(bytes.fromhex(dec["pkcs8"]), None)
    if isinstance(priv, x25519.X25519PrivateKey):
        return (0x34, 32 + 64 + k) if dec.get("hmacSha") == 512 else (0x33, 32 + 32 + k)
    return 0x32, 65 + 32 + k


def imgtool_verify(img, config, work):
    """imgtool's verdict with the configuration's keys: (True, digest) or (False, reason)."""
    p = os.path.join(work, "image.bin")
    open(p, "wb").write(img)
    r = None
    for i, k in enumerate(config.get("keys") or [None]):
        key = None
        if k:
            kp = os.path.join(work, "k%d.pem" % i)
            open(kp, "wb").write(pem(k["spki"]).public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
            key = imgtool_keys.load(kp)
        r, _v, digest, _s = Image.verify(p, key)
        if r == VerifyResult.OK:
            return True, digest
    return False, "imgtool says %s" % (r.name if r else "nothing")


def pem(spki_hex):
    return serialization.load_der_public_key(bytes.fromhex(spki_hex))


def decrypt_body(img, config):
    hdr, size, _, tlvs = layout(img)
    dec = config["decryption"]
    bits = config.get("aesKeyBits", 128)  # the build's AES size; MCUboot's default build is AES-128
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
    # The loader decrypts only what sits in the secondary slot (an imgtool --clear image is for the primary one).
    decrypts = bool(config.get("decryption")) and config.get("secondarySlot", True)
    if result in ("valid", "acceptable"):
        limit = max_image_size(config)
        if limit is not None:
            _, _, tlv_end = bootutil_walk(img)
            if tlv_end > limit:
                return "the TLV end %d passes the maximum image size %d" % (tlv_end, limit)
    if result in ("valid", "acceptable") and not decrypts:
        if result == "acceptable":
            if "N7" not in t.get("flags", []):
                return None  # bootutil tolerates it; imgtool is not the judge of tolerances
            entries, prot_end, _ = bootutil_walk(img)
            if not any(prot and off + n > prot_end for _, off, n, prot in entries):
                return "no protected TLV runs past the protected end"
        ok, digest = imgtool_verify(img, config, work)
        if not ok:
            return digest
        if config.get("decryption") and "plaintext" in t:
            plain = open(os.path.join(ROOT, "vectors", "blobs", t["plaintext"] + ".bin"), "rb").read()
            if plain != img:
                return "a primary-slot image is not decrypted, but the plaintext blob differs from it"
        if config.get("pure") or digest.hex() == t.get("hash"):
            return True
        return "imgtool's digest %s differs from %s" % (digest.hex(), t.get("hash"))
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
    if error == "image.hash_mismatch" and decrypts:
        plain = decrypt_body(img, config)
        for t_, v in tlvs:
            if t_ in HASHES and HASHES[t_](plain[:region_end]).digest() != v:
                return True
        return "every hash TLV matches the decrypted region"
    if error == "image.non_bootable":
        if not le(img[16:20]) & 0x10:
            return "IMAGE_F_NON_BOOTABLE is not set"
        ok, why = imgtool_verify(img, config, work)
        return True if ok else "not only the flag: %s" % why
    if error == "image.tlv_beyond_max_size":
        _, _, tlv_end = bootutil_walk(img)
        limit = max_image_size(config)
        return True if limit is not None and tlv_end > limit else "the TLV end %d is within %s" % (tlv_end, limit)
    if error in ("image.tlv_out_of_bounds", "image.bad_tlv_info"):
        try:
            bootutil_walk(img)
        except WalkError as e:
            want = "entry" if error == "image.tlv_out_of_bounds" else "begin"
            return True if e.where == want else "the walk fails at its %s (%s)" % (e.where, e)
        return "the walk succeeds"
    if error == "image.hash_missing":
        entries, _, _ = bootutil_walk(img)
        want = {"sha256": 0x10, "sha384": 0x11, "sha512": 0x12}[config["hash"]]
        return True if all(t_ != want for t_, _, _, _ in entries) else "the walk meets a hash TLV"
    if error == "image.tlv_not_allowed" and config.get("allowList", True):
        entries, _, _ = bootutil_walk(img)
        allowed = {0x01, 0x02, 0x10, 0x11, 0x12, 0x20, 0x21, 0x22, 0x23, 0x24, 0x30, 0x31, 0x32}
        allowed.add(0x34 if (config.get("decryption") or {}).get("hmacSha") == 512 else 0x33)
        if config.get("pure"):
            allowed.add(0x25)
        bad = [t_ for t_, _, _, prot in entries if not prot and t_ not in allowed]
        return True if bad else "every unprotected TLV is on the allow list"
    if error == "image.enc_tlv_length":
        entries, _, _ = bootutil_walk(img)
        want, size = enc_tlv(config)
        found = [n for t_, _, n, _ in entries if t_ == want]
        return True if found and found[0] != size else "the key TLV is %s bytes, BOOT_ENC_TLV_SIZE %d" % (found, size)
    if error == "image.enc_key" and config["decryption"]["type"].startswith("rsa"):
        entries, _, _ = bootutil_walk(img)
        payload = next(img[off:off + n] for t_, off, n, _ in entries if t_ == 0x30)
        if len(payload) != 256:
            return "the RSA-OAEP TLV is %d bytes" % len(payload)
        priv = serialization.load_der_private_key(bytes.fromhex(config["decryption"]["pkcs8"]), None)
        key = priv.decrypt(payload, asym_padding.OAEP(mgf=asym_padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
        bits = config.get("aesKeyBits", 128)
        return True if len(key) * 8 != bits else "OAEP gives a %d-bit key, the build's size" % (len(key) * 8)
    return None


if __name__ == "__main__":
    main()
