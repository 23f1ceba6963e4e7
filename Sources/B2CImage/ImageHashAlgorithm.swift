import Crypto
import Foundation

/// The image hash (§7 of the notes): SHA-256 by default, SHA-384 for P-384 builds, SHA-512 optional and for pure
/// Ed25519. The bootloader expects exactly one hash TLV type per build.
public enum ImageHashAlgorithm: String, CaseIterable, Sendable {
    case sha256, sha384, sha512

    public var tlvType: TLVType {
        switch self {
        case .sha256: .sha256
        case .sha384: .sha384
        case .sha512: .sha512
        }
    }

    public var byteCount: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    public init?(tlvType: TLVType) {
        guard let a = Self.allCases.first(where: { $0.tlvType == tlvType }) else { return nil }
        self = a
    }

    /// imgtool's `--sha` spelling: 256, 384, 512.
    public init?(bits: String) {
        switch bits {
        case "256": self = .sha256
        case "384": self = .sha384
        case "512": self = .sha512
        default: return nil
        }
    }

    public func digest(_ bytes: some DataProtocol) -> ImageDigest {
        switch self {
        case .sha256: .sha256(SHA256.hash(data: bytes))
        case .sha384: .sha384(SHA384.hash(data: bytes))
        case .sha512: .sha512(SHA512.hash(data: bytes))
        }
    }
}

/// A computed image digest, kept typed so signature checks reuse it instead of hashing the region again.
public enum ImageDigest: Sendable {
    case sha256(SHA256.Digest)
    case sha384(SHA384.Digest)
    case sha512(SHA512.Digest)

    public var algorithm: ImageHashAlgorithm {
        switch self {
        case .sha256: .sha256
        case .sha384: .sha384
        case .sha512: .sha512
        }
    }

    public var bytes: [UInt8] {
        switch self {
        case .sha256(let d): Array(d)
        case .sha384(let d): Array(d)
        case .sha512(let d): Array(d)
        }
    }
}
