import B2CGenerators
import B2CImage
import Testing

/// The verifier with its policies: which rejection wins when an image breaks several rules (notes §10: the walk is
/// in media order and the first failing TLV decides; the end-of-walk checks come after, in a fixed order).
@Suite("Verifier: policy and integrity failures keep bootutil's precedence")
struct VerifierPolicyOrderTests {
    let plain = fixtures[0].fixture  // ed25519: unprotected SHA256, KEYHASH, ED25519; no protected area

    func error(_ c: ImageVerifier.Configuration, _ bytes: [UInt8]) -> ImageError? {
        do throws(ImageError) {
            _ = try ImageVerifier(c).verify(bytes)
            return nil
        } catch {
            return error
        }
    }

    func withBadHash(_ p: ImageParts) throws -> ImageParts {
        var p = p
        let i = try #require(p.unprotected.firstIndex { $0.type == .sha256 })
        p.unprotected[i].value[0] ^= 0xff
        return p
    }

    @Test("An unprotected SEC_CNT before a bad hash TLV is the allow list's; after it, the hash's")
    func allowListBeforeHash() throws {
        var before = try withBadHash(ImageParts(plain.bytes))
        before.unprotected.insert((.securityCounter, [1, 0, 0, 0]), at: 0)
        let first = try #require(try MCUbootImage(parsing: before.bytes).tlvs.first)
        let e = error(plain.configuration, before.bytes)
        #expect(e?.code == .tlvNotAllowed && e?.offset == first.offset, "\(String(describing: e))")

        var after = try withBadHash(ImageParts(plain.bytes))
        after.unprotected.append((.securityCounter, [1, 0, 0, 0]))
        #expect(error(plain.configuration, after.bytes)?.code == .hashMismatch)
        var off = plain.configuration
        off.allowList = false
        #expect(error(off, before.bytes)?.code == .hashMismatch)
    }

    @Test("A protected SEC_CNT below the floor comes before the unprotected hash TLV in media order")
    func counterBeforeHash() throws {
        let f = try #require(fixtures.first { $0.name == "ed25519-protected" }?.fixture)  // SEC_CNT 7
        let bad = try withBadHash(ImageParts(f.bytes))
        var c = f.configuration
        c.securityCounterFloor = 8
        #expect(error(c, bad.bytes)?.code == .securityCounter)
        c.securityCounterFloor = 7
        #expect(error(c, bad.bytes)?.code == .hashMismatch)
    }

    @Test("A failing TLV wins over every end-of-walk check: a UUID mismatch over a bad signature")
    func tlvBeforeEnd() throws {
        var p = try ImageParts(plain.bytes)
        p.protected = [(.uuidVID, [UInt8](repeating: 1, count: 16))]
        try p.reseal(key: plain.options.key, hash: plain.hash)
        let i = try #require(p.unprotected.firstIndex { $0.type == .ed25519 })
        p.unprotected[i].value[0] ^= 1
        var c = plain.configuration
        #expect(error(c, p.bytes)?.code == .signatureInvalid)
        c.vendorID = [UInt8](repeating: 2, count: 16)
        let uuid = try #require(try MCUbootImage(parsing: p.bytes).tlvs.first { $0.type == .uuidVID })
        let e = error(c, p.bytes)
        #expect(e?.code == .uuidMismatch && e?.offset == uuid.offset, "\(String(describing: e))")
    }

    @Test("After the walk: hash, signature, SEC_CNT, UUIDs, then downgrade")
    func endOrder() throws {
        var c = plain.configuration
        c.securityCounterFloor = 0
        c.vendorID = [UInt8](repeating: 3, count: 16)
        c.runningVersion = ImageVersion(major: 9)  // the fixture is 1.2.3+4
        var noHash = try ImageParts(plain.bytes)
        noHash.unprotected.removeAll { $0.type == .sha256 }
        var noSignature = try ImageParts(plain.bytes)
        noSignature.unprotected.removeAll { $0.type == .ed25519 }
        #expect(error(c, noHash.bytes)?.code == .hashMissing)
        #expect(error(c, noSignature.bytes)?.code == .noValidSignature)
        #expect(error(c, plain.bytes)?.code == .securityCounter)
        c.securityCounterFloor = nil
        #expect(error(c, plain.bytes)?.code == .uuidMismatch)
        c.vendorID = nil
        let e = error(c, plain.bytes)
        #expect(e?.code == .downgrade && e?.offset == 20, "\(String(describing: e))")
        c.runningVersion = ImageVersion(major: 1, minor: 2, revision: 3)
        #expect(error(c, plain.bytes) == nil)
    }

    @Test("The configuration's policies: the allow list, counter, UUIDs and downgrade, in that order, when enabled")
    func policyList() throws {
        var c = ImageVerifier.Configuration(signature: .ed25519)
        #expect(c.policies.map { "\(type(of: $0))" } == ["ImageAllowListPolicy"])
        c.allowList = false
        #expect(c.policies.isEmpty)
        c.allowList = true
        c.securityCounterFloor = 1
        c.classID = [UInt8](repeating: 4, count: 16)
        c.runningVersion = ImageVersion(major: 1)
        #expect(
            c.policies.map { "\(type(of: $0))" }
                == ["ImageAllowListPolicy", "SecurityCounterPolicy", "ImageUUIDPolicy", "DowngradePolicy"]
        )
        c.decryptionKey = try DecryptionKey(Keys.x25519, hmacSHA512: true)
        let list = try #require(c.policies.first as? ImageAllowListPolicy)
        #expect(list.allowed.contains(.encX25519SHA512) && !list.allowed.contains(.encX25519))
    }
}
