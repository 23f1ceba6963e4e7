import B2CReport
import Foundation
import Testing

@Suite("results.json")
struct ResultsJSONTests {
    /// The error `decode` throws for `bytes`, or nil when it succeeds.
    private func decodeError(_ bytes: [UInt8]) -> ResultsError? {
        do {
            _ = try ResultsJSON.decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// A valid encoded run, edited as a JSON object by `edit` and re-serialised.
    private func edited(_ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        let bytes = try ResultsJSON.encode(Fixture.run(Fixture.everyOutcome, stale: ["x"]))
        var object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        edit(&object)
        return [UInt8](try JSONSerialization.data(withJSONObject: object))
    }

    @Test("A run round-trips unchanged, hostile text included")
    func roundTrip() throws {
        var cases = Fixture.everyOutcome
        cases.append(Fixture.make("h", outcome: .fail, reason: Fixture.hostile, flags: ["é", "\u{0}"]))
        cases[0].vector = VectorRef(file: "vectors/cbor/a.json", tcId: 7)
        cases[0].comment = "comment"
        let original = Fixture.run(cases, stale: ["cbor/decode/gone"])
        let decoded = try ResultsJSON.decode(try ResultsJSON.encode(original))
        #expect(decoded == original)
        #expect(decoded.schema == "b2c-results_v1")
    }

    @Test("Encoding is pretty printed with sorted keys and a trailing newline")
    func encodingForm() throws {
        let bytes = try ResultsJSON.encode(Fixture.run([Fixture.make("p", outcome: .pass)]))
        let text = try #require(String(bytes: bytes, encoding: .utf8))
        #expect(text.hasSuffix("}\n"))
        #expect(text.hasPrefix("{\n  \"cases\""))
        let topKeys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(topKeys == ["cases", "run", "schema", "summary", "target"])
        #expect(text.contains("\"schema\" : \"b2c-results_v1\""))
    }

    @Test("A wrong schema is refused before anything else is read")
    func wrongSchema() throws {
        let error = decodeError(Array(#"{"schema": "b2c-results_v2"}"#.utf8))
        #expect(error?.code == .unknownSchema)
        #expect(
            error?.description == #"results: unknown schema "b2c-results_v2"; this reader understands b2c-results_v1"#
        )

        let full = try edited { $0["schema"] = "junit" }
        #expect(decodeError(full)?.code == .unknownSchema)
    }

    @Test("Bytes that are not JSON are refused as such")
    func notJSON() {
        for input in ["<testsuites/>", "", "{\"schema\": "] {
            let error = decodeError(Array(input.utf8))
            #expect(error?.code == .notJSON, "for \(input)")
            #expect(error?.description.hasPrefix("results: not JSON") == true, "for \(input)")
        }
    }

    @Test("A missing schema or field is named")
    func missingField() throws {
        #expect(decodeError(Array("{}".utf8))?.description == "results: missing field schema (expected b2c-results_v1)")
        let noSeed = try edited { object in
            var run = object["run"] as? [String: Any] ?? [:]
            run["seed"] = nil
            object["run"] = run
        }
        #expect(decodeError(noSeed)?.code == .missingField)
        #expect(decodeError(noSeed)?.description == "results: missing field run.seed")
    }

    @Test("A field of the wrong type is named with its path")
    func wrongType() throws {
        let bytes = try edited { object in
            var cases = object["cases"] as? [[String: Any]] ?? []
            cases[2]["durationMs"] = "slow"
            object["cases"] = cases
        }
        let error = decodeError(bytes)
        #expect(error?.code == .invalidField)
        #expect(error?.description == "results: field cases[2].durationMs is not a number")
        #expect(decodeError(Array("[1]".utf8))?.description == "results: field top level is not an object")
    }

    @Test("An expected result or answer kind outside its closed set is refused, never read as valid")
    func closedSets() throws {
        for (key, field, typo) in [("expected", "result", "vaild"), ("actual", "kind", "okay")] {
            let bytes = try edited { object in
                var cases = object["cases"] as? [[String: Any]] ?? []
                var inner = cases[0][key] as? [String: Any] ?? [:]
                inner[field] = typo
                cases[0][key] = inner
                object["cases"] = cases
            }
            let error = decodeError(bytes)
            #expect(error?.code == .invalidField, "\(key).\(field)")
            #expect(error?.description.hasPrefix("results: field cases[0].\(key).\(field) is invalid") == true)
        }
    }

    @Test("Error descriptions stay on one line")
    func oneLine() {
        let long = "{\"schema\": \"v\\n2\(String(repeating: "x", count: 200))\"}"
        for input in [long, "nope\n\n", "{\"schema\": 3}"] {
            let description = decodeError(Array(input.utf8))?.description ?? "decoded"
            #expect(!description.contains("\n"), "\(description)")
            #expect(description.count < 200, "\(description)")
        }
    }
}
