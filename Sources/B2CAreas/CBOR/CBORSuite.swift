import B2CArea
import B2CHex
import B2CReport
import B2CVectors
import B2CWire

/// The cases of a `cbor_decode_test_schema_v1` file: each input decoded under its group's profile.
enum CBORSuite {
    static func cases(from loaded: LoadedVectorFile) throws(VectorError) -> [ConformanceCase] {
        let suite = VectorStore.suiteName(loaded.path)
        var out: [ConformanceCase] = []
        try VectorStore.forEachGroup(of: loaded, type: "CborDecode") { (gi, group) throws(VectorError) in
            guard let profile = group.parameters["profile"]?.stringValue else {
                throw VectorError(file: loaded.path, location: "testGroups[\(gi)]", reason: "missing \"profile\"")
            }
            for t in group.tests {
                func bad(_ why: String) -> VectorError {
                    VectorError(file: loaded.path, location: "tcId \(t.tcId)", reason: why)
                }
                guard let input = t.fields["input"]?.stringValue, Hex.decode(input) != nil else {
                    throw bad("\"input\" must be hex")
                }
                var output: [String: String]? = nil
                if t.result == .valid {
                    guard let encoded = t.fields["encoded"]?.stringValue else {
                        throw bad("a valid case needs \"encoded\"")
                    }
                    output = ["encoded": encoded]
                }
                let args: [String: JSONValue] = ["data": .string(input), "profile": .string(profile)]
                var info = Catalogue.info(t, of: loaded, suite: suite, level: group.level)
                info.input = CaseInput.request(field: "data", of: args)
                out.append(
                    ConformanceCase(
                        info: info,
                        op: CBORDecodeOperation.op,
                        args: args,
                        parameter: (key: "profiles", value: profile),
                        expected: Expectation(result: ExpectedResult(t.result), error: t.expectedError, output: output)
                    )
                )
            }
        }
        return out
    }
}
