import B2CArea
import B2CGenerators
import B2CVectors
import B2CWire

/// The `cbor` area (RFC 8949): `cbor_decode_test_schema_v1` files, sent as `cbor.decode`.
package struct CBORArea: Area {
    package static let schema = "cbor_decode_test_schema_v1"

    package init() {}

    package var name: String { "cbor" }
    package var schemas: [String] { [Self.schema] }

    package func cases(from file: LoadedVectorFile, store: VectorStore) throws(VectorError) -> [ConformanceCase] {
        try CBORSuite.cases(from: file)
    }

    package func generate(inputs: GeneratorInputs) throws(VectorError) -> GeneratedVectors {
        GeneratedVectors(files: CBORVectorGenerator.files().map { LoadedVectorFile(path: $0.path, file: $0.file) })
    }

    package var operations: [DeviceOperation] {
        [
            DeviceOperation(
                op: CBORDecodeOperation.op,
                capability: ["profiles": .array(CBORDecodeOperation.profiles.map { .string($0) })],
                handle: CBORDecodeOperation.handle
            )
        ]
    }

    /// The `encoded` output is CBOR: a wrong one is explained as items and encodings.
    package func explainMismatch(field: String, expected: [UInt8], got: [UInt8]) -> String? {
        field == "encoded" ? CBORMismatch.explain(expected: expected, got: got) : nil
    }

    package var violations: [ViolationRule] {
        CBORViolation.allCases.map { ViolationRule(id: $0.rawValue, summary: $0.summary) }
    }
}

/// The CBOR rules the reference device can break on purpose.
package enum CBORViolation: String, CaseIterable, Sendable {
    case acceptTrailingBytes = "cbor.accept-trailing-bytes"
    case acceptDuplicateKeys = "cbor.accept-duplicate-keys"
    case acceptTwoByteSimple = "cbor.accept-two-byte-simple"
    case lengthFirstKeys = "cbor.length-first-keys"
    case vagueErrors = "cbor.vague-errors"

    package var summary: String {
        switch self {
        case .acceptTrailingBytes: "accept bytes after the top-level item"
        case .acceptDuplicateKeys: "do not check for duplicate map keys"
        case .acceptTwoByteSimple: "accept a two-byte simple value below 32"
        case .lengthFirstKeys: "sort map keys length-first (RFC 7049 canonical) instead of bytewise (RFC 8949 §4.2.1)"
        case .vagueErrors: "report every rejection as cbor.malformed"
        }
    }
}
