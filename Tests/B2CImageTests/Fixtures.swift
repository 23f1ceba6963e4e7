import B2CGenerators
import B2CImage
import B2CTestSupport
import Crypto
import Foundation

/// Fixed keys and fixtures. Keys are derived from fixed seeds where the type allows; RSA keys are generated once
/// per test process (they are only used for round trips, never for known answers).
enum Keys {
    static let ed25519 = fixture {
        ImagePrivateKey.ed25519(try .init(rawRepresentation: [UInt8](repeating: 7, count: 32)))
    }
    static let p256 = fixture {
        ImagePrivateKey.p256(try .init(rawRepresentation: [UInt8](repeating: 0, count: 31) + [9]))
    }
    static let p384 = fixture {
        ImagePrivateKey.p384(try .init(rawRepresentation: [UInt8](repeating: 0, count: 47) + [11]))
    }
    static let x25519 = fixture {
        ImagePrivateKey.x25519(try .init(rawRepresentation: [UInt8](repeating: 3, count: 32)))
    }
    static let rsa2048 = fixture { try ImagePrivateKey.generate(.rsa2048) }
    static let rsa3072 = fixture { try ImagePrivateKey.generate(.rsa3072) }

    static func signing(_ t: ImageKeyType) -> ImagePrivateKey {
        switch t {
        case .ed25519: ed25519
        case .ecdsaP256: p256
        case .ecdsaP384: p384
        case .rsa2048: rsa2048
        case .rsa3072: rsa3072
        case .x25519: x25519
        }
    }
}

let payload: [UInt8] = (0..<777).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

func options(key: ImagePrivateKey?, _ change: (inout ImageSignOptions) -> Void = { _ in }) -> ImageSignOptions {
    var o = ImageSignOptions(
        headerSize: 0x100,
        version: ImageVersion(major: 1, minor: 2, revision: 3, build: 4),
        slotSize: 0x8000
    )
    o.padHeader = true
    o.key = key
    change(&o)
    return o
}

/// The fixtures every mutator is tried on: one per signature type, pure, hash-only, with protected TLVs, encrypted.
let fixtures: [(name: String, fixture: ImageFixture)] = fixture {
    var out: [(String, ImageFixture)] = []
    for t in [ImageKeyType.ed25519, .ecdsaP256, .ecdsaP384, .rsa2048, .rsa3072] {
        out.append((t.rawValue, try ImageFixture(payload: payload, options: options(key: Keys.signing(t)))))
    }
    out.append(
        ("ed25519-pure", try ImageFixture(payload: payload, options: options(key: Keys.ed25519) { $0.pure = true }))
    )
    out.append(("hash-only", try ImageFixture(payload: payload, options: options(key: nil))))
    out.append(
        (
            "ed25519-protected",
            try ImageFixture(
                payload: payload,
                options: options(key: Keys.ed25519) {
                    $0.securityCounter = 7
                    $0.dependencies = [ImageDependency(imageID: 1, minimumVersion: ImageVersion(major: 1))]
                }
            )
        )
    )
    var enc = ImageEncryptionOptions(recipient: try EncryptionRecipient(Keys.x25519.publicKey))
    enc.imageKey = [UInt8](repeating: 0x42, count: 16)
    enc.ephemeralKey = [UInt8](repeating: 0x24, count: 32)
    out.append(
        (
            "ed25519-x25519",
            try ImageFixture(
                payload: payload,
                options: options(key: Keys.ed25519) { $0.encryption = enc },
                decryptionKey: try DecryptionKey(Keys.x25519)
            )
        )
    )
    var encP = ImageEncryptionOptions(recipient: try EncryptionRecipient(Keys.p256.publicKey))
    encP.keyBits = 256
    out.append(
        (
            "p256-ec256",
            try ImageFixture(
                payload: payload,
                options: options(key: Keys.p256) { $0.encryption = encP },
                decryptionKey: try DecryptionKey(Keys.p256)
            )
        )
    )
    var oaep = ImageEncryptionOptions(recipient: try EncryptionRecipient(Keys.rsa2048.publicKey))
    oaep.keyBits = 256
    out.append(
        (
            "rsa-2048-oaep-256",
            try ImageFixture(
                payload: payload,
                options: options(key: Keys.rsa2048) { $0.encryption = oaep },
                decryptionKey: try DecryptionKey(Keys.rsa2048)
            )
        )
    )
    var clear = ImageEncryptionOptions(recipient: try EncryptionRecipient(Keys.x25519.publicKey))
    clear.clear = true
    out.append(
        (
            "ed25519-x25519-clear",
            try ImageFixture(
                payload: payload,
                options: options(key: Keys.ed25519) { $0.encryption = clear },
                decryptionKey: try DecryptionKey(Keys.x25519)
            )
        )
    )
    return out
}
