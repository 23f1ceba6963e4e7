import Crypto
import CryptoExtras
import Foundation

/// Signing and checking the image signature TLVs (§9 of the notes).
///
/// RSA-2048/3072: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a salt of exactly 32 bytes, over the region (so over its
/// SHA-256 digest). ECDSA P-256/P-384: DER `SEQUENCE{r, s}` over the region hashed with SHA-256/SHA-384. Ed25519:
/// PureEdDSA over the hash TLV's bytes, or over the region itself for a pure image (SIG_PURE).
extension ImagePrivateKey {
    /// The signature TLV payload for an image whose hashed region is `region` and digest `digest`.
    public func sign(region: ArraySlice<UInt8>, digest: ImageDigest, pure: Bool) throws(ImageError) -> [UInt8] {
        do {
            switch self {
            case .rsa(let k):
                guard case .sha256(let d) = digest else {
                    throw ImageError(.unsupported, "RSA images are signed over SHA-256 only")
                }
                return Array(try k.signature(for: d, padding: .PSS).rawRepresentation)
            case .p256(let k):
                guard case .sha256(let d) = digest else {
                    throw ImageError(.unsupported, "ECDSA P-256 images are signed over SHA-256 only")
                }
                return Array(try k.signature(for: d).derRepresentation)
            case .p384(let k):
                guard case .sha384(let d) = digest else {
                    throw ImageError(.unsupported, "ECDSA P-384 images are signed over SHA-384 only")
                }
                return Array(try k.signature(for: d).derRepresentation)
            case .ed25519(let k):
                return pure ? Array(try k.signature(for: Data(region))) : Array(try k.signature(for: digest.bytes))
            case .x25519:
                throw ImageError(.badKey, "an X25519 key encrypts images; it cannot sign them")
            }
        } catch let e as ImageError {
            throw e
        } catch {
            throw ImageError(.badKey, "signing failed: \(error)")
        }
    }
}

extension ImagePublicKey {
    /// Whether the bootloader's check of a signature TLV of this key's type would fail on its length alone (N15):
    /// RSA exactly the modulus length, Ed25519 64 bytes, ECDSA at most 128 bytes.
    func signatureLengthError(_ length: Int) -> String? {
        switch self {
        case .rsa(let k):
            let n = k.keySizeInBits / 8
            return length == n ? nil : "RSA signature is \(length) bytes, the modulus is \(n)"
        case .p256, .p384:
            return length <= 128 ? nil : "ECDSA signature of \(length) bytes exceeds 128"
        case .ed25519:
            return length == 64 ? nil : "Ed25519 signature is \(length) bytes, not 64"
        case .x25519:
            return "an X25519 key cannot verify signatures"
        }
    }

    /// Checks a signature against the computed digest (or the region itself for a pure image).
    public func isValidSignature(
        _ signature: ArraySlice<UInt8>,
        region: ArraySlice<UInt8>,
        digest: ImageDigest,
        pure: Bool
    )
        -> Bool
    {
        switch self {
        case .rsa(let k):
            guard case .sha256(let d) = digest else { return false }
            return k.isValidSignature(.init(rawRepresentation: Data(signature)), for: d, padding: .PSS)
        case .p256(let k):
            guard case .sha256(let d) = digest,
                let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature)
            else { return false }
            return k.isValidSignature(sig, for: d)
        case .p384(let k):
            guard case .sha384(let d) = digest,
                let sig = try? P384.Signing.ECDSASignature(derRepresentation: signature)
            else { return false }
            return k.isValidSignature(sig, for: d)
        case .ed25519(let k):
            return pure
                ? k.isValidSignature(signature, for: Data(region)) : k.isValidSignature(signature, for: digest.bytes)
        case .x25519:
            return false
        }
    }
}
