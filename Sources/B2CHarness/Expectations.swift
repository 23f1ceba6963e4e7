import B2CArea
import B2CWire
import Foundation

/// `expectations/<target>.json` (schema `b2c-expectations_v1`): cases disabled for a target and its known failures.
///
/// As in protobuf's conformance failure lists, the file cannot rot: an entry that matches no case, or a listed
/// failure that now passes, fails the run.
public struct Expectations: Sendable, Equatable {
    public static let schemaName = "b2c-expectations_v1"

    public struct Entry: Sendable, Equatable {
        /// A case id or a glob over case ids (`*` any run of characters, `?` one character).
        public var pattern: String
        public var reason: String
    }

    public var path: String
    public var disabled: [Entry]
    public var expectedFailures: [Entry]

    public init(path: String, disabled: [Entry] = [], expectedFailures: [Entry] = []) {
        self.path = path
        self.disabled = disabled
        self.expectedFailures = expectedFailures
    }

    public static func load(path: String, target: String) throws(HarnessError) -> Expectations {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HarnessError(.expectations, "\(path): cannot read the expectations file")
        }
        let root: JSONValue
        do {
            root = try JSONValue.parse(Array(data))
        } catch {
            throw HarnessError(.expectations, "\(path): \(error.reason)")
        }
        guard let o = root.objectValue else { throw HarnessError(.expectations, "\(path): not a JSON object") }
        func fail(_ what: String) -> HarnessError { HarnessError(.expectations, "\(path): \(what)") }
        if let extra = o.keys.sorted().first(where: {
            !["schema", "target", "disabled", "expectedFailures"].contains($0)
        }) {
            throw fail("unknown field \"\(extra)\"")
        }
        guard o["schema"]?.stringValue == schemaName else { throw fail("\"schema\" must be \"\(schemaName)\"") }
        guard o["target"]?.stringValue == target else { throw fail("\"target\" must be \"\(target)\"") }
        func entries(_ key: String) throws(HarnessError) -> [Entry] {
            guard let v = o[key] else { return [] }
            guard let object = v.objectValue else { throw fail("\"\(key)\" must map case ids to {\"reason\": …}") }
            var out: [Entry] = []
            for (pattern, value) in object.sorted(by: { $0.key < $1.key }) {
                guard let reason = value.objectValue?["reason"]?.stringValue, !reason.isEmpty else {
                    throw fail("\(key).\(pattern) needs a non-empty \"reason\"")
                }
                out.append(Entry(pattern: pattern, reason: reason))
            }
            return out
        }
        return Expectations(
            path: path,
            disabled: try entries("disabled"),
            expectedFailures: try entries("expectedFailures")
        )
    }

    public func disabledReason(_ id: String) -> String? { disabled.first { Glob.matches($0.pattern, id) }?.reason }
    public func expectedFailure(_ id: String) -> String? {
        expectedFailures.first { Glob.matches($0.pattern, id) }?.reason
    }

    /// Entries that match none of `ids` (the whole catalogue, not just the selection).
    public func unmatched(among ids: [String]) -> [String] {
        (disabled + expectedFailures).filter { e in !ids.contains { Glob.matches(e.pattern, $0) } }.map(\.pattern)
    }
}
