import B2CHex
import B2CImage
import B2CVectors
import B2CWire
import Crypto
import Foundation

/// Pinned signatures for randomized schemes (ECDSA, RSA-PSS), and RSA-OAEP key payloads, so a vector generator reproduces its files byte for
/// byte: the signature over a region by a key is looked up by (key, SHA-256 of the region); a pin that does not
/// verify is never used. Ed25519 is deterministic and never pinned.
///
/// `vectors generate` records new pins; `vectors check` reports any it had to make (the files would then not be
/// reproducible). Stored as canonical JSON in `vectors/<area>/pins.json`.
package final class SignaturePins: ImageSigner, @unchecked Sendable {
    package static let schema = "b2c-signature-pins_v1"
    private let lock = NSLock()
    private var pins: [String: [UInt8]]
    /// Pins made during this run (not found in the file).
    package private(set) var added = 0

    package init(pins: [String: [UInt8]] = [:]) { self.pins = pins }

    /// Reads a pins file; a missing file is an empty set, a malformed one an error.
    package convenience init(path: String) throws(VectorError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            self.init()
            return
        }
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: data), let o = root.objectValue,
            o["schema"]?.stringValue == Self.schema, let entries = o["pins"]?.objectValue
        else { throw VectorError(file: path, reason: "not a \(Self.schema) file") }
        var pins: [String: [UInt8]] = [:]
        for (k, v) in entries {
            guard let sig = v.stringValue.flatMap(Hex.decode) else {
                throw VectorError(file: path, location: k, reason: "a pin must be hex")
            }
            pins[k] = sig
        }
        self.init(pins: pins)
    }

    package var canonicalText: String {
        lock.lock()
        defer { lock.unlock() }
        return CanonicalJSON.render(
            .object(["schema": .string(Self.schema), "pins": .object(pins.mapValues { .string(Hex.encode($0)) })])
        )
    }

    /// The RSA-OAEP payload carrying `imageKey` to `recipient`'s key, pinned like a signature (it is randomized).
    package func oaep(_ recipient: ImagePrivateKey, imageKey: [UInt8]) throws(ImageError) -> [UInt8] {
        let id =
            "oaep:" + Hex.encode(SHA256.hash(data: recipient.publicKey.embeddedBytes).prefix(8)) + ":"
            + Hex.encode(SHA256.hash(data: imageKey))
        let device = try DecryptionKey(recipient)
        lock.lock()
        let pinned = pins[id]
        lock.unlock()
        if let pinned, (try? ImageKeyTransport.unwrap(pinned, key: device, keyLength: imageKey.count)) == imageKey {
            return pinned
        }
        let fresh = try ImageKeyTransport.wrap(
            imageKey,
            options: ImageEncryptionOptions(recipient: try EncryptionRecipient(recipient.publicKey))
        )
        lock.lock()
        pins[id] = fresh
        added += 1
        lock.unlock()
        return fresh
    }

    package func sign(_ key: ImagePrivateKey, _ region: ArraySlice<UInt8>, _ digest: ImageDigest, _ pure: Bool)
        throws(ImageError) -> [UInt8]
    {
        if case .ed25519 = key { return try key.sign(region: region, digest: digest, pure: pure) }
        let id =
            Hex.encode(SHA256.hash(data: key.publicKey.embeddedBytes).prefix(8)) + ":"
            + Hex.encode(SHA256.hash(data: Array(region)))
        lock.lock()
        let pinned = pins[id]
        lock.unlock()
        if let pinned, key.publicKey.isValidSignature(pinned[...], region: region, digest: digest, pure: pure) {
            return pinned
        }
        let fresh = try key.sign(region: region, digest: digest, pure: pure)
        lock.lock()
        pins[id] = fresh
        added += 1
        lock.unlock()
        return fresh
    }
}
