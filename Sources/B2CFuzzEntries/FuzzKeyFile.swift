import B2CImage

extension ImageFuzzChecks {
    /// Reading a key file (`-k`, `-E`: PEM or DER, PKCS#8, SubjectPublicKeyInfo, SEC1, PKCS#1) is total: any bytes
    /// give a key or an `ImageError`. A key that loads has a public key whose embedded form (what KEYHASH hashes)
    /// reads back as the same key.
    public static func keyFile(_ bytes: [UInt8]) -> String? {
        let material: ImageKeyMaterial
        do {
            material = try ImageKeyFile.load(bytes)
        } catch {
            return error.reason.isEmpty ? "a refusal without a reason" : nil
        }
        let key: ImagePublicKey
        switch material {
        case .privateKey(let k): key = k.publicKey
        case .publicKey(let k): key = k
        }
        let embedded = key.embeddedBytes
        guard let again = try? ImagePublicKey(embeddedBytes: embedded) else {
            return "the embedded form of a loaded \(key.type) key does not read back"
        }
        return again.embeddedBytes == embedded ? nil : "the embedded form of a \(key.type) key changes on reading"
    }
}

public func fuzzKeyFile(_ data: UnsafeRawBufferPointer) {
    let bytes = Array(data)
    if let finding = ImageFuzzChecks.keyFile(bytes) { fuzzFailure("FuzzKeyFile", finding, bytes) }
}
