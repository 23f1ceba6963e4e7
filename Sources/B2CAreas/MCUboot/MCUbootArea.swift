import B2CArea
import B2CGenerators
import B2CVectors
import B2CWire

/// The `mcuboot` area: `mcuboot_verify_test_schema_v1` files, verified like bootutil (`image.verify`), and from the
/// same files the `mcuboot_parse` and `mcuboot_decrypt` suites.
package struct MCUbootArea: Area {
    package static let schema = "mcuboot_verify_test_schema_v1"
    /// The signature pins the generator reads and extends, relative to the vectors directory.
    package static let pinsPath = "mcuboot/pins.json"

    package init() {}

    package var name: String { "mcuboot" }
    package var schemas: [String] { [Self.schema] }

    package func cases(from file: LoadedVectorFile, store: VectorStore) throws(VectorError) -> [ConformanceCase] {
        try MCUbootSuite.cases(from: file, store: store)
    }

    package func generate(inputs: GeneratorInputs) throws(VectorError) -> GeneratedVectors {
        let pins = try SignaturePins(path: inputs.path(Self.pinsPath))
        let made = try MCUbootVectorGenerator.files(pins: pins)
        return GeneratedVectors(
            files: made.files.map { LoadedVectorFile(path: $0.path, file: $0.file) },
            blobs: made.blobs,
            inputs: [.init(path: Self.pinsPath, canonicalText: pins.canonicalText, added: pins.added)]
        )
    }

    package var generatorInputPaths: [String] { [Self.pinsPath] }

    package var operations: [DeviceOperation] {
        let features: [String: JSONValue] = ["features": .array(ImageOperations.features.map { .string($0) })]
        var verify = features
        verify[MCUbootSuite.checksParameter] = .array(MCUbootSuite.buildChecks.values.sorted().map { .string($0) })
        return [
            DeviceOperation(op: ImageOperations.verifyOp, capability: verify, handle: ImageOperations.verify),
            DeviceOperation(op: ImageOperations.parseOp, handle: ImageOperations.parse),
            DeviceOperation(op: ImageOperations.decryptOp, capability: features, handle: ImageOperations.decrypt),
        ]
    }

    package var violations: [ViolationRule] {
        MCUbootViolation.allCases.map { ViolationRule(id: $0.rawValue, summary: $0.summary) }
    }
}

/// The MCUboot rules the reference device can break on purpose.
package enum MCUbootViolation: String, CaseIterable, Sendable {
    case noAllowList = "image.no-allow-list"
    case ignoreProtectSize = "image.ignore-protect-size"
    case bootNonBootable = "image.boot-non-bootable"
    case noTrailerReservation = "image.no-trailer-reservation"
    case aesKeyBitsFromHeader = "image.aes-keylen-from-header"

    package var summary: String {
        switch self {
        case .bootNonBootable:
            "verify images flagged IMAGE_F_NON_BOOTABLE as if they could boot"
        case .noTrailerReservation:
            "let the TLV area run up to the slot's end, into the trailer the build reserves"
        case .aesKeyBitsFromHeader:
            "decrypt with the AES key size the header flag names rather than the build's"
        case .noAllowList:
            "verify images as if built without the unprotected-TLV allow list (CVE-2024-32883 class)"
        case .ignoreProtectSize:
            "accept an ih_protect_tlv_size that differs from the protected area (as imgtool's verify does)"
        }
    }
}
