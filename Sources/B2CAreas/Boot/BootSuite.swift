import B2CArea
import B2CHex
import B2CReport
import B2CVectors
import B2CWire

/// The cases of a `boot_swap_test_schema_v1` file: `BootSwapType` groups sent as `boot.swap-type` (the two trailers,
/// answered with the swap type and each slot's decoded fields), `BootUpgrade` groups as `boot.upgrade` (two images
/// and a pending request, answered with the swap type the boot took and the version it started).
enum BootSuite {
    static let maxAlignParameter = "maxAligns"
    static let strategyParameter = "strategies"
    static let swapGroup = "BootSwapType"
    static let upgradeGroup = "BootUpgrade"

    static func cases(from loaded: LoadedVectorFile) throws(VectorError) -> [ConformanceCase] {
        let suite = VectorStore.suiteName(loaded.path)
        var out: [ConformanceCase] = []
        for (gi, group) in loaded.file.testGroups.enumerated() {
            func bad(_ where_: String, _ why: String) -> VectorError {
                VectorError(file: loaded.path, location: where_, reason: why)
            }
            switch group.type {
            case swapGroup:
                let layout = try parameters(group, ["maxAlign", "slotSize", "erasedValue"], gi: gi, loaded: loaded)
                for t in group.tests {
                    var args = layout
                    var output: [String: String] = [:]
                    for field in ["primary", "secondary"] {
                        guard let hex = t.fields[field]?.stringValue, Hex.decode(hex) != nil else {
                            throw bad("tcId \(t.tcId)", "\"\(field)\" must be hex")
                        }
                        args[field] = .string(hex)
                    }
                    for field in ["swapType", "primaryState", "secondaryState"] {
                        guard let v = t.fields[field]?.stringValue else {
                            throw bad("tcId \(t.tcId)", "missing \"\(field)\"")
                        }
                        output[field] = v
                    }
                    let align = layout["maxAlign"]?.intValue ?? 0
                    out.append(
                        make(
                            t,
                            loaded,
                            suite,
                            group,
                            op: BootOperations.swapTypeOp,
                            args: args,
                            input: "secondary",
                            parameter: (maxAlignParameter, "\(align)"),
                            output: output
                        )
                    )
                }
            case upgradeGroup:
                let build = try parameters(
                    group,
                    ["strategy", "maxAlign", "sectorSize", "slotSectors", "writeSize", "signature", "hash"],
                    gi: gi,
                    loaded: loaded
                )
                for t in group.tests {
                    var args = build
                    for field in ["primary", "secondary"] {
                        guard let hex = t.fields[field]?.stringValue, Hex.decode(hex) != nil else {
                            throw bad("tcId \(t.tcId)", "\"\(field)\" must be hex")
                        }
                        args[field] = .string(hex)
                    }
                    for field in ["pending", "downgradePrevention"] {
                        guard let v = t.fields[field]?.stringValue else {
                            throw bad("tcId \(t.tcId)", "missing \"\(field)\"")
                        }
                        args[field] = .string(v)
                    }
                    var output: [String: String] = [:]
                    for field in ["swapType", "booted"] {
                        guard let v = t.fields[field]?.stringValue else {
                            throw bad("tcId \(t.tcId)", "missing \"\(field)\"")
                        }
                        output[field] = v
                    }
                    if let after = t.fields["secondaryAfter"]?.stringValue { output["secondaryAfter"] = after }
                    let strategy = build["strategy"]?.stringValue ?? ""
                    out.append(
                        make(
                            t,
                            loaded,
                            suite,
                            group,
                            op: BootOperations.upgradeOp,
                            args: args,
                            input: "secondary",
                            parameter: (strategyParameter, strategy),
                            output: output
                        )
                    )
                }
            default:
                throw bad("testGroups[\(gi)]", "unknown group type \(group.type)")
            }
        }
        return out
    }

    /// The group's parameters named in `names`, all required, as request arguments.
    static func parameters(
        _ group: VectorFile.TestGroup,
        _ names: [String],
        gi: Int,
        loaded: LoadedVectorFile
    ) throws(VectorError) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for n in names {
            guard let v = group.parameters[n] else {
                throw VectorError(file: loaded.path, location: "testGroups[\(gi)]", reason: "missing \"\(n)\"")
            }
            out[n] = v
        }
        return out
    }

    static func make(
        _ t: VectorFile.TestCase,
        _ loaded: LoadedVectorFile,
        _ suite: String,
        _ group: VectorFile.TestGroup,
        op: String,
        args: [String: JSONValue],
        input: String,
        parameter: (key: String, value: String),
        output: [String: String]
    ) -> ConformanceCase {
        var info = Catalogue.info(t, of: loaded, suite: suite, level: group.level)
        info.input = CaseInput.request(field: input, of: args)
        return ConformanceCase(
            info: info,
            op: op,
            args: args,
            parameter: parameter,
            expected: Expectation(result: ExpectedResult(t.result), error: t.expectedError, output: output)
        )
    }
}
