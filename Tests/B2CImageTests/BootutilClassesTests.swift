import B2CGenerators
import B2CImage
import Testing

/// Issue 8's four bootutil classes and imgtool `--clear` images, each against the bootutil code that decides it (the
/// citations are in each test); the vectors of the same classes are checked again by
/// scripts/oracles/check_image_vectors.py, which shares no code with these.
@Suite("Verifier: NON_BOOTABLE, the trailer, protected overruns, the build's AES size, --clear")
struct BootutilClassesTests {
    func fixture(_ name: String) throws -> ImageFixture {
        try #require(fixtures.first { $0.name == name }).fixture
    }

    /// `loader.c` `boot_validate_slot` treats an erased header and one with `IMAGE_F_NON_BOOTABLE` as no bootable
    /// image: an otherwise valid image with the flag is refused for it. A header without the image magic (the legacy
    /// one, erased flash) is named as no image (N1) whatever its flags; bootutil refuses it either way.
    @Test("IMAGE_F_NON_BOOTABLE (0x10) is rejected with its own code; a header without the magic is N1")
    func nonBootable() throws {
        let f = fixtures[0].fixture
        var p = try ImageParts(f.bytes)
        p.header.flags.insert(ImageFlags(rawValue: 0x10))
        try p.reseal(key: f.options.key, hash: f.hash)
        #expect(verdict(f.configuration, p.bytes) == .nonBootable)
        var c = f.configuration
        c.bootNonBootable = true
        #expect(verdict(c, p.bytes) == nil)  // the flag is the image's only fault
        p.header.magic = ImageHeader.legacyMagic
        #expect(verdict(f.configuration, p.bytes) == .badMagic)
        p.header.magic = 0xffff_ffff
        #expect(verdict(f.configuration, p.bytes) == .badMagic)
    }

    /// `boot_trailer_sz` against imgtool 2.5.0's measured trailer sizes (notes §13.3's table, observed with imgtool,
    /// not computed by b2c): imgtool's formula agrees with bootutil's for plain builds and AES-128 (a 16-byte key per
    /// slot); for AES-256 bootutil reserves `ALIGN_UP(32, BOOT_MAX_ALIGN)` per slot, 32 bytes more than imgtool.
    @Test("The trailer a build reserves: boot_trailer_sz at imgtool's measured (align, max-align) points")
    func trailerSize() {
        let measured: [(write: Int, maxAlign: Int, plain: Int, encrypted: Int)] = [
            (1, 8, 432, 464), (4, 8, 1584, 1616), (8, 8, 3120, 3152), (8, 16, 3152, 3184), (8, 32, 3232, 3296),
            (16, 16, 6224, 6256), (32, 32, 12448, 12512),
        ]
        for m in measured {
            let g = ImageTrailer.Geometry(maxAlign: m.maxAlign, writeSize: m.write)
            #expect(g.size(encryptionKeyBytes: nil) == m.plain, "\(m)")
            #expect(g.size(encryptionKeyBytes: 16) == m.encrypted, "\(m)")
        }
        // AES-256, BOOT_MAX_ALIGN 8: two ALIGN_UP(32, 8) key slots on 3120.
        #expect(ImageTrailer.Geometry().size(encryptionKeyBytes: 32) == 3120 + 64)
    }

    /// `image_validate.c` `bootutil_img_validate`: `if (img_sz > bootutil_max_image_size(...))` "TLV beyond image
    /// size", with `img_sz = it.tlv_end`; the bound is the slot less the trailer, so ending exactly there passes.
    @Test("With a slot size, the TLV end must not pass the slot less the trailer (3120 bytes by default)")
    func tlvIntoTrailer() throws {
        let f = fixtures[0].fixture
        let end = try MCUbootImage(parsing: f.bytes).tlvEnd
        var c = f.configuration
        c.slotSize = end + 3120
        #expect(verdict(c, f.bytes) == nil)
        c.slotSize = end + 3119
        #expect(verdict(c, f.bytes) == .tlvBeyondMaxSize)
        c.trailer.maxImageSectors = 127  // 24 bytes less status: the same slot holds the image again
        #expect(verdict(c, f.bytes) == nil)
        c.maxImageSize = end - 1  // an explicit bootutil_max_image_size wins over the trailer
        #expect(verdict(c, f.bytes) == .tlvBeyondMaxSize)
        // An encryption build also reserves the two key slots.
        let e = try fixture("ed25519-x25519")
        let encEnd = try MCUbootImage(parsing: e.bytes).tlvEnd
        var ce = e.configuration
        ce.slotSize = encEnd + 3120 + 31
        #expect(verdict(ce, e.bytes) == .tlvBeyondMaxSize)
        ce.slotSize = encEnd + 3120 + 32
        #expect(verdict(ce, e.bytes) == nil)
    }

    /// An image whose last protected TLV claims `overrun` bytes more than it holds, re-signed.
    func overrun(_ f: ImageFixture, by overrun: (ImageParts) -> Int) throws -> [UInt8] {
        var p = try ImageParts(f.bytes)
        p.protected = (p.protected ?? []) + [(TLVType(0x00a0), [1, 2, 3, 4])]
        p.protectedOverrun = overrun(p)
        try p.reseal(key: f.options.key, hash: f.hash)
        return p.bytes
    }

    /// `tlv.c` `bootutil_tlv_iter_next` (after PR #2733), for the whole-area walk `bootutil_img_validate` makes
    /// (`prot == false`): the bound is `tlv_end`, and the unprotected info is skipped only when `tlv_off == prot_end`.
    @Test("A protected TLV running past the protected end is walked as bootutil's iterator walks it")
    func protectedOverrun() throws {
        let f = fixtures[0].fixture
        // 4 bytes too long: the unprotected info becomes its payload and the walk lands on the first unprotected TLV.
        let swallowInfo = try overrun(f) { _ in 4 }
        let v = try ImageVerifier(f.configuration).verify(swallowInfo)
        #expect(v.tolerated.contains { $0.rule == CatalogueRule.protectedTLVOverrun })
        #expect(v.image.tlvs.filter(\.isProtected).map(\.type) == [TLVType(0x00a0)])
        // Up to tlv_end exactly: in bounds, every unprotected TLV swallowed, so no hash TLV is met.
        let swallowAll = try overrun(f) { ImageParts.areaSize($0.unprotected) }
        #expect(verdict(f.configuration, swallowAll) == .hashMissing)
        // One byte past tlv_end: it_len > end - tlv_off - sizeof(tlv) fails the iteration.
        let past = try overrun(f) { ImageParts.areaSize($0.unprotected) + 1 }
        #expect(verdict(f.configuration, past) == .tlvOutOfBounds)
        // 2 bytes too long: the walk reads a header from the unprotected total and the first type (0x0010, SHA256):
        // type = total, length 16; it then lands inside the hash value and reads garbage lengths until one passes
        // tlv_end (the hash bytes of this fixture decide where; here it runs out of bounds).
        let misaligned = try overrun(f) { _ in 2 }
        #expect(verdict(f.configuration, misaligned) != nil)
    }

    /// `bootutil_tlv_iter_is_prot(it, off)` is `off < it->prot_end` with `off` the payload offset.
    @Test("An empty TLV closing the protected area counts as unprotected (the allow list rejects an unknown type)")
    func emptyProtectedAtEnd() throws {
        let f = fixtures[0].fixture
        var p = try ImageParts(f.bytes)
        p.protected = [(TLVType(0x00a0), [])]
        try p.reseal(key: f.options.key, hash: f.hash)
        #expect(verdict(f.configuration, p.bytes) == .tlvNotAllowed)
        var c = f.configuration
        c.allowList = false
        #expect(verdict(c, p.bytes) == nil)
        var q = try ImageParts(f.bytes)
        q.protected = [(TLVType(0x00a0), [0])]  // one byte of payload: inside the protected area
        try q.reseal(key: f.options.key, hash: f.hash)
        #expect(verdict(f.configuration, q.bytes) == nil)
    }

    /// `enc_key_public.h`: `BOOT_ENC_KEY_SIZE` is 32 only with `MCUBOOT_AES_256`; `encrypted.c` `boot_enc_load`
    /// compares the TLV length with `BOOT_ENC_TLV_SIZE` (ECIES: 65 + 32 + key size for EC256), and never the flag.
    @Test("The AES size is the build's (128 by default): an AES-256 image fails at key load on a default build")
    func aesKeySizeIsTheBuilds() throws {
        #expect(ImageVerifier.Configuration(signature: .none).aesKeyBits == 128)
        let f = try fixture("p256-ec256")  // AES-256, ECIES-P256: a 129-byte ENC_EC256
        var c = f.configuration
        #expect(verdict(c, f.bytes) == nil)
        c.aesKeyBits = 128
        #expect(verdict(c, f.bytes) == .encTLVLength)
        c.aesKeyBitsFromHeader = true
        #expect(verdict(c, f.bytes) == nil)
        let g = try fixture("ed25519-x25519")  // AES-128 on an AES-256 build: 80 bytes, not 96
        var d = g.configuration
        d.aesKeyBits = 256
        #expect(verdict(d, g.bytes) == .encTLVLength)
    }

    /// `image.h` `MUST_DECRYPT`: only the secondary slot's encrypted images are decrypted (`bootutil_img_hash.c`);
    /// an imgtool `--clear` image carries the flag and the key TLV over a plaintext body.
    @Test("A --clear image verifies as a primary-slot image and fails the hash in the secondary slot")
    func clearImage() throws {
        var enc = ImageEncryptionOptions(recipient: try EncryptionRecipient(Keys.x25519.publicKey))
        enc.imageKey = [UInt8](repeating: 0x42, count: 16)
        enc.clear = true
        let f = try ImageFixture(
            payload: payload,
            options: options(key: Keys.ed25519) { $0.encryption = enc },
            decryptionKey: try DecryptionKey(Keys.x25519)
        )
        let image = try MCUbootImage(parsing: f.bytes)
        #expect(image.header.flags.contains(.encryptedAES128))
        #expect(!image.entries(.encX25519).isEmpty)
        #expect(Array(f.bytes[image.body]) == payload + [UInt8](repeating: 0, count: image.body.count - payload.count))
        var c = f.configuration
        c.secondarySlot = false
        #expect(verdict(c, f.bytes) == nil)
        c.secondarySlot = true
        #expect(verdict(c, f.bytes) == .hashMismatch)
        c.secondarySlot = false
        c.decryptionKey = nil  // a build without encryption support rejects the flag (N3) in either slot
        #expect(verdict(c, f.bytes) == .badFlags)
    }
}
