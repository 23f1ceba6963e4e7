import B2CArea
import B2CAreas
import B2CDevice
import B2CHarness
import B2CHex
import B2CReport
import B2CTestSupport
import B2CVectors
import B2CWire
import Foundation
import Testing

/// A small area declared entirely in this test target: `echo.reverse` answers its input reversed. It goes through
/// the same registry as the built-in areas: its generator writes the vector file, the catalogue turns it into cases,
/// the reference device serves its operation, and its violation rule is caught.
struct EchoArea: Area {
    static let schema = "echo_reverse_test_schema_v1"
    var name: String { "echo" }
    var schemas: [String] { [Self.schema] }

    func generate(inputs: GeneratorInputs) throws(VectorError) -> GeneratedVectors {
        let inputs = ["", "01", "0102", "a1b2c3"]
        let tests = inputs.enumerated().map { i, hex in
            VectorFile.TestCase(
                tcId: i + 1,
                comment: "reverse \(hex.isEmpty ? "nothing" : hex)",
                flags: i == 0 ? ["Empty"] : [],
                result: .valid,
                fields: ["input": .string(hex), "reversed": .string(Hex.encode((Hex.decode(hex) ?? []).reversed()))]
            )
        }
        let file = VectorFile(
            schema: Self.schema,
            area: name,
            algorithm: "reverse",
            notes: ["Empty": .init(bugType: "EDGE_CASE", description: "no bytes", specRefs: ["echo §1"])],
            testGroups: [.init(type: "EchoReverse", source: .init(name: "echo-test", version: "1"), tests: tests)]
        )
        return GeneratedVectors(files: [LoadedVectorFile(path: "echo/echo_reverse_test.json", file: file)])
    }

    func cases(from file: LoadedVectorFile, store: VectorStore) throws(VectorError) -> [ConformanceCase] {
        var out: [ConformanceCase] = []
        let suite = VectorStore.suiteName(file.path)
        try VectorStore.forEachGroup(of: file, type: "EchoReverse") { (_, group) throws(VectorError) in
            for t in group.tests {
                guard let input = t.fields["input"], let reversed = t.fields["reversed"]?.stringValue else {
                    throw VectorError(file: file.path, location: "tcId \(t.tcId)", reason: "needs input and reversed")
                }
                out.append(
                    ConformanceCase(
                        info: Catalogue.info(t, of: file, suite: suite, level: group.level),
                        op: "echo.reverse",
                        args: ["data": input],
                        expected: Expectation(result: .valid, output: ["reversed": reversed])
                    )
                )
            }
        }
        return out
    }

    var operations: [DeviceOperation] {
        [
            DeviceOperation(op: "echo.reverse") { args, violations in
                guard let bytes = args["data"]?.stringValue.flatMap(Hex.decode) else {
                    return .err(code: "wire.bad_request", detail: "args.data must be hex", offset: nil)
                }
                let out = violations.contains("echo.no-reverse") ? bytes : bytes.reversed()
                return .ok(["reversed": .string(Hex.encode(out))])
            }
        ]
    }

    var violations: [ViolationRule] { [ViolationRule(id: "echo.no-reverse", summary: "answer the input as it came")] }
}

@Suite("An area added from outside the engine, through the registry alone")
struct AreaRegistryTests {
    let registry = AreaRegistry(BuiltInAreas.registry.areas + [EchoArea()])

    /// A vectors directory holding only the echo area's files, written by its generator.
    func echoVectors() throws -> VectorStore {
        let dir = tempDir("echo-vectors")
        try AreaRegistry([EchoArea()]).generate(inputs: GeneratorInputs(directory: dir)).write(to: dir)
        return try VectorStore(directory: dir)
    }

    @Test("Generated, loaded, served by the reference device and scored, with no engine file touched")
    func endToEnd() throws {
        #expect(registry.conflicts.isEmpty)
        let store = try echoVectors()
        let cases = try Catalogue.load(store: store, registry: registry)
        #expect(
            cases.map(\.id) == [
                "echo/echo_reverse/tc1", "echo/echo_reverse/tc2", "echo/echo_reverse/tc3", "echo/echo_reverse/tc4",
            ]
        )
        #expect(cases[0].info.specRefs == ["echo §1"])
        let r = try runInMemory(cases, connector: inMemoryDevice(registry: registry))
        #expect(r.cases.count == 4)
        #expect(
            r.cases.allSatisfy { $0.outcome == .pass },
            "\(r.cases.map { "\($0.id) \($0.outcome) \($0.reason ?? "")" })"
        )
        #expect(r.cases[3].actual?.output?["reversed"] == "c3b2a1")
    }

    @Test("The area's violation rule is known to the device and caught by its suite")
    func teeth() throws {
        let cases = try Catalogue.load(store: try echoVectors(), registry: registry)
        let r = try runInMemory(cases, connector: inMemoryDevice(registry: registry, violations: ["echo.no-reverse"]))
        // Reversing nothing or one byte changes nothing: only the longer inputs catch the violation.
        #expect(r.cases.filter { $0.outcome == .fail }.map(\.id) == ["echo/echo_reverse/tc3", "echo/echo_reverse/tc4"])
        #expect(registry.violationRules.map(\.id).contains("echo.no-reverse"))
        #expect(registry.capabilities["echo.reverse"] == .object([:]))
    }

    @Test("The built-in registry is consistent, and a second claim on a schema or an operation is a conflict")
    func conflicts() {
        #expect(BuiltInAreas.registry.conflicts.isEmpty)
        #expect(BuiltInAreas.registry.areas.map(\.name) == ["cbor", "mcuboot", "boot"])
        let twice = AreaRegistry([EchoArea(), EchoArea()])
        #expect(twice.conflicts.contains("area echo is registered twice"))
        #expect(twice.conflicts.contains("schema \(EchoArea.schema) is claimed by two areas"))
        #expect(twice.conflicts.contains("operation echo.reverse is served by two areas"))
        #expect(twice.conflicts.contains("violation rule echo.no-reverse is declared twice"))
    }

    @Test("A vector file whose schema no area reads is refused by name")
    func unknownSchema() throws {
        let store = try echoVectors()
        #expect(throws: VectorError.self) { try Catalogue.load(store: store, registry: BuiltInAreas.registry) }
        do {
            _ = try Catalogue.load(store: store, registry: BuiltInAreas.registry)
        } catch {
            #expect(error.description == "echo/echo_reverse_test.json: no area reads schema \(EchoArea.schema)")
        }
    }
}
