import B2CHarness
import B2CReport
import B2CVectors
import B2CWire
import Foundation

/// The catalogue of conformance cases: every vector file listed in `vectors/MANIFEST.json`, turned into cases by
/// the suite of its area. Adding vectors never touches the engine.
public enum Catalogue {
    /// Loads every case. Each file must match its manifest hash, so a report is tied to an exact vector set.
    public static func load(vectorsDir: String) throws(HarnessError) -> (cases: [ConformanceCase], manifestSha256: String) {
        let manifestPath = vectorsDir + "/MANIFEST.json"
        let manifest: VectorManifest
        do {
            manifest = try VectorManifest.load(path: manifestPath)
        } catch {
            throw HarnessError(error.description)
        }
        guard let manifestBytes = FileManager.default.contents(atPath: manifestPath) else {
            throw HarnessError("\(manifestPath): cannot read")
        }
        var cases: [ConformanceCase] = []
        for entry in manifest.entries {
            let path = vectorsDir + "/" + entry.path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw HarnessError("\(path): listed in MANIFEST.json but cannot be read")
            }
            let bytes = Array(data)
            guard Digest.sha256Hex(bytes) == entry.sha256 else {
                throw HarnessError("\(path): sha256 differs from MANIFEST.json (run `b2c vectors check`)")
            }
            let file: VectorFile
            do {
                file = try VectorFile.parse(bytes, file: path)
            } catch {
                throw HarnessError(error.description)
            }
            cases += try Self.cases(from: file, path: entry.path, vectorsDir: vectorsDir)
        }
        return (cases, Digest.sha256Hex(Array(manifestBytes)))
    }

    static func cases(from file: VectorFile, path: String, vectorsDir: String) throws(HarnessError) -> [ConformanceCase] {
        switch file.schema {
        case CBORSuite.schema: return try CBORSuite.cases(from: file, path: path)
        case MCUbootSuite.schema: return try MCUbootSuite.cases(from: file, path: path, vectorsDir: vectorsDir)
        default: throw HarnessError("\(path): no suite reads schema \(file.schema)")
        }
    }

    /// A file's suite: its name without `_test.json` (`vectors/cbor/cbor_validity_test.json` → `cbor_validity`).
    static func suiteName(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent.replacingOccurrences(of: "_test", with: "")
    }

    /// The file's groups with their index, all of the one type its suite reads.
    static func groups(_ file: VectorFile, _ path: String, type: String) throws(HarnessError)
        -> [(Int, VectorFile.TestGroup)]
    {
        for (gi, group) in file.testGroups.enumerated() where group.type != type {
            throw HarnessError("\(path): testGroups[\(gi)]: unknown group type \(group.type)")
        }
        return Array(file.testGroups.enumerated())
    }

    /// The case a vector case becomes: id `area/suite/tcN`, the flags' spec references, the expected verdict.
    static func vectorCase(
        _ t: VectorFile.TestCase, file: VectorFile, path: String, suite: String, level: String, op: String,
        args: [String: JSONValue], requires: (key: String, value: String)?, output: [String: String]?
    ) -> ConformanceCase {
        ConformanceCase(
            id: "\(file.area)/\(suite)/tc\(t.tcId)", area: file.area, suite: suite, level: level, flags: t.flags,
            comment: t.comment, specRefs: Array(Set(t.flags.flatMap { file.notes[$0]?.specRefs ?? [] })).sorted(),
            vector: VectorRef(file: path, tcId: t.tcId), op: op, args: args, requires: requires,
            expected: Expectation(result: t.result.rawValue, error: t.expectedError, output: output))
    }

    /// The cases whose area or suite is in `suites` (all if empty) and whose id matches one of `filters` (all if
    /// empty).
    public static func select(_ cases: [ConformanceCase], suites: [String], filters: [String]) -> [ConformanceCase] {
        cases.filter { c in
            (suites.isEmpty || suites.contains(c.area) || suites.contains(c.suite))
                && (filters.isEmpty || filters.contains { Glob.matches($0, c.id) })
        }
    }
}

/// The `cbor` area: `cbor_decode_test_schema_v1` files, sent as `cbor.decode`.
enum CBORSuite {
    static let schema = "cbor_decode_test_schema_v1"

    static func cases(from file: VectorFile, path: String) throws(HarnessError) -> [ConformanceCase] {
        let suite = Catalogue.suiteName(path)
        var out: [ConformanceCase] = []
        for (gi, group) in try Catalogue.groups(file, path, type: "CborDecode") {
            guard let profile = group.parameters["profile"]?.stringValue else {
                throw HarnessError("\(path): testGroups[\(gi)]: missing \"profile\"")
            }
            for t in group.tests {
                guard let input = t.fields["input"]?.stringValue, Hex.decode(input) != nil else {
                    throw HarnessError("\(path): tcId \(t.tcId): \"input\" must be hex")
                }
                var output: [String: String]? = nil
                if t.result == .valid {
                    guard let encoded = t.fields["encoded"]?.stringValue else {
                        throw HarnessError("\(path): tcId \(t.tcId): a valid case needs \"encoded\"")
                    }
                    output = ["encoded": encoded]
                }
                out.append(
                    Catalogue.vectorCase(
                        t, file: file, path: path, suite: suite, level: group.level, op: "cbor.decode",
                        args: ["data": .string(input), "profile": .string(profile)],
                        requires: (key: "profiles", value: profile), output: output))
            }
        }
        return out
    }
}
