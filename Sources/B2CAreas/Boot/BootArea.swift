import B2CArea
import B2CGenerators
import B2CVectors
import B2CWire

/// The `boot` area (MCUboot's bootloader logic): `boot_swap_test_schema_v1` files, the swap type bootutil decides
/// from two trailers (`boot.swap-type`) and what a boot does with a candidate image (`boot.upgrade`).
package struct BootArea: Area {
    package static let schema = BootVectorGenerator.schema

    package init() {}

    package var name: String { "boot" }
    package var schemas: [String] { [Self.schema] }

    package func cases(from file: LoadedVectorFile, store: VectorStore) throws(VectorError) -> [ConformanceCase] {
        try BootSuite.cases(from: file)
    }

    package func generate(inputs: GeneratorInputs) throws(VectorError) -> GeneratedVectors {
        GeneratedVectors(files: try BootVectorGenerator.files().map { LoadedVectorFile(path: $0.path, file: $0.file) })
    }

    package var operations: [DeviceOperation] {
        [
            DeviceOperation(
                op: BootOperations.swapTypeOp,
                capability: [BootSuite.maxAlignParameter: .array(BootOperations.maxAligns.map { .string("\($0)") })],
                handle: BootOperations.swapType
            ),
            DeviceOperation(
                op: BootOperations.upgradeOp,
                capability: [
                    BootSuite.strategyParameter: .array(BootOperations.strategies.map { .string($0) })
                ],
                handle: BootOperations.upgrade
            ),
        ]
    }

    package var violations: [ViolationRule] {
        BootViolation.allCases.map { ViolationRule(id: $0.rawValue, summary: $0.summary) }
    }
}

/// The boot rules the reference device can break on purpose.
package enum BootViolation: String, CaseIterable, Sendable {
    case revertIgnored = "boot.revert-ignored"
    case badMagicIsGood = "boot.bad-magic-is-good"
    case downgradeAllowed = "boot.downgrade-allowed"

    package var summary: String {
        switch self {
        case .revertIgnored: "answer NONE where bootutil's table gives REVERT (an unconfirmed test image stays)"
        case .badMagicIsGood: "read a trailer magic that is neither erased nor the build's as GOOD"
        case .downgradeAllowed: "install an older candidate although the build prevents downgrades"
        }
    }
}
