import B2CArea
import B2CAreas
import B2CCBOR
import B2CGenerators
import B2CHex
import B2CTestSupport
import B2CVectors
import B2CWire
import Foundation
import Testing

@Suite("Vector files")
struct VectorFileTests {
    @Test("Every committed vector file is exactly what its generator produces, and MANIFEST.json matches")
    func reproducible() throws {
        let set = try BuiltInAreas.registry.generate(inputs: GeneratorInputs(directory: repoRoot + "/vectors"))
        let generated = set.files
        #expect(generated.count >= 8)
        #expect(set.inputs.allSatisfy { $0.added == 0 }, "signatures missing from pins.json")
        for (sha, bytes) in set.blobs {
            #expect(
                FileManager.default.contents(atPath: repoRoot + "/vectors/blobs/\(sha).bin").map(Array.init) == bytes,
                "blob \(sha)"
            )
        }
        var files: [(path: String, file: VectorFile, text: String)] = []
        for g in generated {
            let path = repoRoot + "/vectors/" + g.path
            let onDisk = try #require(FileManager.default.contents(atPath: path), "missing \(path)")
            #expect(Array(onDisk) == Array(g.file.canonicalText.utf8), "\(g.path) differs from its generator")
            files.append((g.path, g.file, g.file.canonicalText))
        }
        let manifest = try #require(FileManager.default.contents(atPath: repoRoot + "/vectors/MANIFEST.json"))
        #expect(Array(manifest) == Array(VectorManifest(files: files).canonicalText.utf8))
    }

    @Test("Loading a file and writing it back gives the same bytes (canonical form is stable)")
    func canonicalRoundTrip() throws {
        for g in try BuiltInAreas.registry.generate(inputs: GeneratorInputs(directory: repoRoot + "/vectors")).files {
            let path = repoRoot + "/vectors/" + g.path
            let loaded = try VectorFile.load(path: path)
            #expect(loaded == g.file)
            #expect(
                loaded.canonicalText
                    == String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
            )
        }
    }

    @Test("The reference decoder agrees with every case of every CBOR vector file")
    func referenceAgrees() throws {
        var checked = 0
        for g in try BuiltInAreas.registry.generate(inputs: GeneratorInputs(directory: repoRoot + "/vectors")).files
        where g.file.area == "cbor" {
            for group in g.file.testGroups {
                let options: CBORDecoder.Options =
                    group.parameters["profile"]?.stringValue == "deterministic"
                    ? .deterministic : .valid
                for t in group.tests {
                    let input = try #require(t.bytes("input"))
                    let outcome: Result<CBOR, CBORError> = Result { () throws(CBORError) in
                        try CBORDecoder.decode(input, options: options)
                    }
                    switch (t.result, outcome) {
                    case (.valid, .success(let v)):
                        #expect(
                            Hex.encode(CBOREncoder.encodeDeterministic(v)) == t.fields["encoded"]?.stringValue,
                            "\(g.path) tc\(t.tcId)"
                        )
                    case (.invalid, .failure(let e)):
                        #expect(e.code.rawValue == t.expectedError, "\(g.path) tc\(t.tcId)")
                    case (.acceptable, _):
                        break
                    default:
                        Issue.record("\(g.path) tc\(t.tcId): expected \(t.result), decoder gave \(outcome)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 800)
    }

    static let base =
        #"{"schema":"x_test_schema_v1","area":"x","algorithm":"a","numberOfTests":1,"notes":{"F":{"bugType":"B","description":"d"}},"testGroups":[{"type":"T","source":{"name":"n","version":"1"},"tests":[TEST]}]}"#

    static func file(_ test: String, count: Int = 1) -> [UInt8] {
        Array(
            base.replacingOccurrences(of: "TEST", with: test)
                .replacingOccurrences(of: #""numberOfTests":1"#, with: #""numberOfTests":\#(count)"#).utf8
        )
    }

    @Test(
        "The loader refuses broken files with one line naming the file and the place",
        arguments: [
            (
                #"{"tcId":1,"result":"invalid","input":"00"}"#, 1,
                "x.json: testGroups[0].tests[0]: tcId 1 is invalid but names no \"expectedError\""
            ),
            (
                #"{"tcId":1,"result":"valid","input":"00"},{"tcId":1,"result":"valid","input":"00"}"#, 2,
                "x.json: testGroups[0].tests[1]: tcId 1 is used twice"
            ),
            (
                #"{"tcId":1,"result":"maybe"}"#, 1,
                "x.json: testGroups[0].tests[0]: \"result\" must be valid, invalid or acceptable, not \"maybe\""
            ),
            (
                #"{"tcId":1,"result":"valid","flags":["G"]}"#, 1,
                "x.json: testGroups[0].tests[0]: flag \"G\" has no entry in \"notes\""
            ),
            (#"{"tcId":0,"result":"valid"}"#, 1, "x.json: testGroups[0].tests[0]: \"tcId\" must be a positive integer"),
            (#"{"tcId":1,"result":"valid"}"#, 2, "x.json: numberOfTests: says 2 but the file has 1 cases"),
            (
                #"{"tcId":1,"result":"valid","expectedError":"x.y"}"#, 1,
                "x.json: testGroups[0].tests[0]: tcId 1 is valid but has an \"expectedError\""
            ),
        ]
    )
    func strictLoader(_ test: String, _ count: Int, _ message: String) {
        #expect(throws: VectorError.self) { try VectorFile.parse(Self.file(test, count: count), file: "x.json") }
        do {
            _ = try VectorFile.parse(Self.file(test, count: count), file: "x.json")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("The loader refuses other schema majors, unknown fields and non-JSON")
    func strictTopLevel() {
        let v2 = Array(
            Self.base.replacingOccurrences(of: "_v1", with: "_v2").replacingOccurrences(
                of: "TEST",
                with: #"{"tcId":1,"result":"valid"}"#
            ).utf8
        )
        func error(_ bytes: [UInt8]) -> VectorError? {
            do {
                _ = try VectorFile.parse(bytes, file: "x.json")
                return nil
            } catch {
                return error
            }
        }
        #expect(
            error(v2)?.description == "x.json: schema: \"x_test_schema_v2\" has major version 2; this build reads 1"
        )
        #expect(error(v2)?.code == .malformed)
        let extra = Array(
            Self.base.replacingOccurrences(of: #""area""#, with: #""bogus":1,"area""#).replacingOccurrences(
                of: "TEST",
                with: ""
            ).utf8
        )
        #expect(error(extra)?.description == "x.json: top level: unknown field \"bogus\"")
        #expect(error(Array("{".utf8))?.description == "x.json: not valid JSON (line 1, at the end)")
    }

    @Test("Canonical JSON: sorted keys, two-space indent, escapes, trailing newline")
    func canonicalJSON() {
        let v: JSONValue = .object([
            "b": .array([.int(1), .string("x\u{1}\"")]), "a": .object([:]), "c": .array([.object(["k": .null])]),
        ])
        #expect(
            CanonicalJSON.render(v)
                == "{\n  \"a\": {},\n  \"b\": [1, \"x\\u0001\\\"\"],\n  \"c\": [\n    {\n      \"k\": null\n    }\n  ]\n}\n"
        )
    }
}
