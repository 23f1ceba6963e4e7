import B2CHex
import B2CWire
import Crypto
import Foundation

/// `vectors/MANIFEST.json`: every vector file with its SHA-256, schema and case count. Reports carry the hash of
/// the manifest, which ties a result to an exact vector set.
public struct VectorManifest: Sendable, Equatable {
    public static let schemaName = "b2c-vectors-manifest_v1"

    public struct Entry: Sendable, Equatable {
        /// Relative to the vectors directory, with `/` separators.
        public var path: String
        public var sha256: String
        public var schema: String
        public var numberOfTests: Int
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries.sorted { $0.path < $1.path } }

    /// The manifest of a set of files given as (relative path, canonical text).
    public init(files: [(path: String, file: VectorFile, text: String)]) {
        self.init(
            entries: files.map {
                Entry(
                    path: $0.path,
                    sha256: Digest.sha256Hex(Array($0.text.utf8)),
                    schema: $0.file.schema,
                    numberOfTests: $0.file.numberOfTests
                )
            }
        )
    }

    public var json: JSONValue {
        .object([
            "schema": .string(Self.schemaName),
            "files": .array(
                entries.map {
                    .object([
                        "path": .string($0.path), "sha256": .string($0.sha256), "schema": .string($0.schema),
                        "numberOfTests": .int(Int64($0.numberOfTests)),
                    ])
                }
            ),
        ])
    }

    public var canonicalText: String { CanonicalJSON.render(json) }
}

/// SHA-256 as lowercase hex.
public enum Digest {
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }
}

extension VectorManifest {
    /// Reads `MANIFEST.json` strictly.
    public static func load(path: String) throws(VectorError) -> VectorManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VectorError(.unreadable, file: path, reason: "cannot read the manifest")
        }
        return try parse(Array(data), path: path)
    }

    /// Parses the bytes of a `MANIFEST.json` read from `path`.
    public static func parse(_ bytes: [UInt8], path: String) throws(VectorError) -> VectorManifest {
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)), let o = root.objectValue else {
            throw VectorError(file: path, reason: "not a JSON object")
        }
        guard o["schema"]?.stringValue == schemaName else {
            throw VectorError(file: path, location: "schema", reason: "must be \"\(schemaName)\"")
        }
        guard let files = o["files"]?.arrayValue else {
            throw VectorError(file: path, location: "files", reason: "missing array")
        }
        var entries: [Entry] = []
        for (i, f) in files.enumerated() {
            guard let e = f.objectValue, let p = e["path"]?.stringValue, let sha = e["sha256"]?.stringValue,
                let schema = e["schema"]?.stringValue, let n = e["numberOfTests"]?.intValue
            else {
                throw VectorError(
                    file: path,
                    location: "files[\(i)]",
                    reason: "needs path, sha256, schema, numberOfTests"
                )
            }
            guard !p.hasPrefix("/"), !p.split(separator: "/").contains("..") else {
                throw VectorError(
                    file: path,
                    location: "files[\(i)]",
                    reason: "path must stay inside the vectors directory"
                )
            }
            entries.append(Entry(path: p, sha256: sha, schema: schema, numberOfTests: Int(n)))
        }
        return VectorManifest(entries: entries)
    }
}
