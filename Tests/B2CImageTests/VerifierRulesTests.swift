import B2CGenerators
import B2CImage
import Testing

/// The verifier's verdict: nil for valid, else the error code.
func verdict(_ c: ImageVerifier.Configuration, _ bytes: [UInt8]) -> ImageError.Code? {
    do throws(ImageError) {
        _ = try ImageVerifier(c).verify(bytes)
        return nil
    } catch {
        return error.code
    }
}

/// Rules read from bootutil's code (image_validate.c) that the mutators do not reach.
@Suite("Verifier: bootutil rules beyond the catalogue")
struct VerifierRulesTests {
    @Test(
        "HW-key builds copy PUBKEY into a buffer of the signature size + 24: a longer PUBKEY rejects, even after a good pair"
    )
    func pubkeyLimit() throws {
        let f = try ImageFixture(payload: payload, options: options(key: Keys.p256) { $0.publicKeyFormat = .full })
        var c = f.configuration
        c.hardwareKey = true
        #expect(verdict(c, f.bytes) == nil)
        var p = try ImageParts(f.bytes)
        p.unprotected.append((.publicKey, [UInt8](repeating: 0x30, count: 153)))  // ECDSA: 128 + 24 = 152
        #expect(verdict(c, p.bytes) == .keyLength)
        var q = try ImageParts(f.bytes)
        q.unprotected.append((.publicKey, [UInt8](repeating: 0x30, count: 152)))
        #expect(verdict(c, q.bytes) == nil)
    }

    @Test("An RSA build takes the signature length from its own modulus size, not from the key")
    func rsaBuildLength() throws {
        let f = try ImageFixture(payload: payload, options: options(key: Keys.rsa3072))
        var c = f.configuration
        c.signature = .rsa2048  // an RSA-2048 build that (wrongly) lists a 3072-bit key
        #expect(verdict(c, f.bytes) == .noValidSignature)  // the build ignores RSA3072_PSS TLVs altogether
        var p = try ImageParts(f.bytes)
        if let i = p.unprotected.firstIndex(where: { $0.type == .rsa3072PSS }) { p.unprotected[i].type = .rsa2048PSS }
        #expect(verdict(c, p.bytes) == .signatureLength)
    }

    /// imgtool 2.5.0 signs a pure image's plaintext; bootutil's pure check reads the slot as stored, so an encrypted
    /// pure image in the secondary slot does not validate (observed with imgtool's own output, see the interop notes).
    @Test("Pure builds verify the image as stored: an encrypted pure image signed over its plaintext is rejected")
    func pureEncrypted() throws {
        var enc = ImageEncryptionOptions(recipient: try EncryptionRecipient(Keys.x25519.publicKey))
        enc.imageKey = [UInt8](repeating: 1, count: 16)
        let f = try ImageFixture(
            payload: payload,
            options: options(key: Keys.ed25519) {
                $0.pure = true; $0.encryption = enc
            },
            decryptionKey: try DecryptionKey(Keys.x25519)
        )
        #expect(verdict(f.configuration, f.bytes) == .signatureInvalid)
        let plain = try ImageVerifier(f.configuration).decryptedImage(try MCUbootImage(parsing: f.bytes))
        #expect(verdict(f.configuration, plain) == nil)
    }

    @Test("The TLV end is bounded by the build's maximum image size (the trailer start), not only by the slot")
    func maxImageSize() throws {
        let f = fixtures[0].fixture
        let end = try MCUbootImage(parsing: f.bytes).tlvEnd
        var c = f.configuration
        c.maxImageSize = end
        #expect(verdict(c, f.bytes) == nil)
        c.maxImageSize = end - 1
        #expect(verdict(c, f.bytes) == .tlvBeyondMaxSize)
    }
}
