import B2CWire
import Foundation

/// Why vectors cannot be read, checked or written: one line naming the file, the place in it and the problem.
///
/// Shaped like swift-certificates' errors: an extensible ``Code`` says which kind of problem it is (and is what
/// equality compares), `file`, `location` and `reason` say exactly what, and the throw site is kept for debugging.
public struct VectorError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A file or blob cannot be read.
        public static let unreadable = Code(rawValue: "unreadable")
        /// A file is not what its schema says: bad JSON, a missing or mistyped field, an unknown group type.
        public static let malformed = Code(rawValue: "malformed")
        /// A file or blob does not hash to what the manifest or its name says.
        public static let integrity = Code(rawValue: "integrity")
        /// No area reads the file's schema.
        public static let unknownSchema = Code(rawValue: "unknown-schema")
        /// A generator cannot produce its files, or two produce the same one.
        public static let generator = Code(rawValue: "generator")
        /// A file cannot be written.
        public static let unwritable = Code(rawValue: "unwritable")
    }

    public let code: Code
    public var file: String
    public var location: String
    public var reason: String
    /// Where it was thrown.
    public let thrownAt: String

    public init(
        _ code: Code = .malformed,
        file: String,
        location: String = "",
        reason: String,
        thrownFrom: String = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.file = file
        self.location = location
        self.reason = reason
        self.thrownAt = "\(thrownFrom):\(line)"
    }

    public var description: String {
        location.isEmpty ? "\(file): \(reason)" : "\(file): \(location): \(reason)"
    }

    public static func == (lhs: VectorError, rhs: VectorError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension VectorFile {
    /// The schema major version this build reads.
    public static let supportedMajor = 1

    /// Reads and checks a vector file. Every problem is a ``VectorError`` naming the file and the place.
    public static func load(path: String) throws(VectorError) -> VectorFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VectorError(.unreadable, file: path, reason: "cannot read the file")
        }
        return try parse(Array(data), file: path)
    }

    /// Parses and checks vector-file bytes.
    public static func parse(_ bytes: [UInt8], file: String) throws(VectorError) -> VectorFile {
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw VectorError(file: file, reason: error.reason)
        }
        var reader = Reader(file: file)
        return try reader.file(root)
    }

    /// The file as a JSON value, with `numberOfTests` recomputed.
    public var json: JSONValue {
        var notesObject: [String: JSONValue] = [:]
        for (flag, note) in notes {
            notesObject[flag] = .object([
                "bugType": .string(note.bugType), "description": .string(note.description),
                "specRefs": .array(note.specRefs.map(JSONValue.string)),
            ])
        }
        let groups: [JSONValue] = testGroups.map { group in
            var g = group.parameters
            g["type"] = .string(group.type)
            g["source"] = .object(["name": .string(group.source.name), "version": .string(group.source.version)])
            g["level"] = .string(group.level)
            g["tests"] = .array(
                group.tests.map { t in
                    var o = t.fields
                    o["tcId"] = .int(Int64(t.tcId))
                    o["comment"] = .string(t.comment)
                    o["flags"] = .array(t.flags.map(JSONValue.string))
                    o["result"] = .string(t.result.rawValue)
                    if let e = t.expectedError { o["expectedError"] = .string(e) }
                    return .object(o)
                }
            )
            return .object(g)
        }
        return .object([
            "schema": .string(schema), "area": .string(area), "algorithm": .string(algorithm),
            "numberOfTests": .int(Int64(numberOfTests)), "header": .array(header.map(JSONValue.string)),
            "notes": .object(notesObject), "testGroups": .array(groups),
        ])
    }

    /// The canonical text of the file.
    public var canonicalText: String { CanonicalJSON.render(json) }
}

/// Walks the JSON of a vector file, keeping the location for errors.
private struct Reader {
    let file: String

    func fail(_ location: String, _ reason: String) -> VectorError {
        VectorError(file: file, location: location, reason: reason)
    }

    func object(_ v: JSONValue?, _ location: String) throws(VectorError) -> [String: JSONValue] {
        guard let o = v?.objectValue else { throw fail(location, v == nil ? "missing" : "must be an object") }
        return o
    }

    func string(_ o: [String: JSONValue], _ key: String, _ location: String) throws(VectorError) -> String {
        guard let v = o[key] else { throw fail(location, "missing \"\(key)\"") }
        guard let s = v.stringValue else { throw fail(location, "\"\(key)\" must be a string") }
        return s
    }

    func strings(_ o: [String: JSONValue], _ key: String, _ location: String) throws(VectorError) -> [String] {
        guard let v = o[key] else { return [] }
        guard let a = v.arrayValue else { throw fail(location, "\"\(key)\" must be an array of strings") }
        var out: [String] = []
        for item in a {
            guard let s = item.stringValue else { throw fail(location, "\"\(key)\" must be an array of strings") }
            out.append(s)
        }
        return out
    }

    mutating func file(_ root: JSONValue) throws(VectorError) -> VectorFile {
        let o = try object(root, "top level")
        let known: Set = ["schema", "area", "algorithm", "numberOfTests", "header", "notes", "testGroups"]
        if let extra = o.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("top level", "unknown field \"\(extra)\"")
        }
        let schema = try string(o, "schema", "top level")
        guard let major = Self.major(of: schema) else {
            throw fail("schema", "\"\(schema)\" does not end in _v<major>")
        }
        guard major == VectorFile.supportedMajor else {
            throw fail(
                "schema",
                "\"\(schema)\" has major version \(major); this build reads \(VectorFile.supportedMajor)"
            )
        }
        var notes: [String: VectorFile.Note] = [:]
        if let n = o["notes"] {
            for (flag, value) in try object(n, "notes") {
                let note = try object(value, "notes.\(flag)")
                notes[flag] = VectorFile.Note(
                    bugType: try string(note, "bugType", "notes.\(flag)"),
                    description: try string(note, "description", "notes.\(flag)"),
                    specRefs: try strings(note, "specRefs", "notes.\(flag)")
                )
            }
        }
        guard let groupValues = o["testGroups"]?.arrayValue else { throw fail("top level", "missing \"testGroups\"") }
        var seen = Set<Int>()
        var groups: [VectorFile.TestGroup] = []
        for (gi, gv) in groupValues.enumerated() {
            groups.append(try group(gv, "testGroups[\(gi)]", notes: notes, seen: &seen))
        }
        let file = VectorFile(
            schema: schema,
            area: try string(o, "area", "top level"),
            algorithm: try string(o, "algorithm", "top level"),
            header: try strings(o, "header", "top level"),
            notes: notes,
            testGroups: groups
        )
        guard let declared = o["numberOfTests"]?.intValue else {
            throw fail("top level", "missing integer \"numberOfTests\"")
        }
        guard declared == file.numberOfTests else {
            throw fail("numberOfTests", "says \(declared) but the file has \(file.numberOfTests) cases")
        }
        return file
    }

    func group(
        _ value: JSONValue,
        _ at: String,
        notes: [String: VectorFile.Note],
        seen: inout Set<Int>
    ) throws(VectorError) -> VectorFile.TestGroup {
        var g = try object(value, at)
        let type = try string(g, "type", at)
        let source = try object(g["source"], "\(at).source")
        let level = g["level"] == nil ? "required" : try string(g, "level", at)
        guard level == "required" || level == "recommended" else {
            throw fail(at, "\"level\" must be required or recommended, not \"\(level)\"")
        }
        guard let testValues = g["tests"]?.arrayValue else { throw fail(at, "missing \"tests\" array") }
        var tests: [VectorFile.TestCase] = []
        for (ti, tv) in testValues.enumerated() {
            tests.append(try testCase(tv, "\(at).tests[\(ti)]", notes: notes, seen: &seen))
        }
        for key in ["type", "source", "level", "tests"] { g[key] = nil }
        return VectorFile.TestGroup(
            type: type,
            source: VectorFile.Source(
                name: try string(source, "name", "\(at).source"),
                version: try string(source, "version", "\(at).source")
            ),
            level: level,
            parameters: g,
            tests: tests
        )
    }

    func testCase(
        _ value: JSONValue,
        _ at: String,
        notes: [String: VectorFile.Note],
        seen: inout Set<Int>
    ) throws(VectorError) -> VectorFile.TestCase {
        var t = try object(value, at)
        guard let id64 = t["tcId"]?.intValue, id64 > 0, id64 <= Int64(Int32.max) else {
            throw fail(at, "\"tcId\" must be a positive integer")
        }
        let tcId = Int(id64)
        guard seen.insert(tcId).inserted else { throw fail(at, "tcId \(tcId) is used twice") }
        let resultText = try string(t, "result", at)
        guard let result = VectorFile.Result(rawValue: resultText) else {
            throw fail(at, "\"result\" must be valid, invalid or acceptable, not \"\(resultText)\"")
        }
        let flags = try strings(t, "flags", at)
        if let unknown = flags.first(where: { notes[$0] == nil }) {
            throw fail(at, "flag \"\(unknown)\" has no entry in \"notes\"")
        }
        var expectedError: String? = nil
        if t["expectedError"] != nil { expectedError = try string(t, "expectedError", at) }
        if result == .invalid && (expectedError ?? "").isEmpty {
            throw fail(at, "tcId \(tcId) is invalid but names no \"expectedError\"")
        }
        if result == .valid && expectedError != nil {
            throw fail(at, "tcId \(tcId) is valid but has an \"expectedError\"")
        }
        let comment = t["comment"] == nil ? "" : try string(t, "comment", at)
        for key in ["tcId", "result", "flags", "expectedError", "comment"] { t[key] = nil }
        return VectorFile.TestCase(
            tcId: tcId,
            comment: comment,
            flags: flags,
            result: result,
            expectedError: expectedError,
            fields: t
        )
    }

    static func major(of schema: String) -> Int? {
        guard let r = schema.range(of: "_v", options: .backwards) else { return nil }
        return Int(schema[r.upperBound...])
    }
}
