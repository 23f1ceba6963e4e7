import B2CHex
import B2CReport
import B2CVectors
import B2CWire

extension CaseInput {
    /// The input of a request whose argument `field` holds the bytes in hex: inline when at most ``inlineLimit``
    /// bytes long, else named by the vector blob it came from (`blob`, its SHA-256) or by its own digest. The other
    /// arguments are kept as compact JSON. nil when `field` is not a hex string.
    public static func request(field: String, of args: [String: JSONValue], blob: String? = nil) -> CaseInput? {
        guard let hex = args[field]?.stringValue, hex.count % 2 == 0 else { return nil }
        var others = args
        others[field] = nil
        let length = hex.utf8.count / 2
        var input = CaseInput(
            field: field,
            length: length,
            blob: blob.map { VectorStore.blobsFolder + "/" + $0 + ".bin" },
            arguments: others.isEmpty ? nil : CanonicalJSON.compact(.object(others))
        )
        if length <= inlineLimit {
            input.hex = hex.lowercased()
        } else {
            input.sha256 = blob ?? Hex.decode(hex).map(Digest.sha256Hex)
        }
        return input
    }
}
