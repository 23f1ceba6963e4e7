import B2CHex
import Foundation

/// A vector file as the store read it: its path relative to the vectors directory, and its contents.
public struct LoadedVectorFile: Sendable, Equatable {
    public var path: String
    public var file: VectorFile
    public init(path: String, file: VectorFile) {
        self.path = path
        self.file = file
    }
}

/// A vectors directory: `MANIFEST.json`, the vector files it lists, and `blobs/<sha256>.bin`.
///
/// Every read is checked: a file must hash to its manifest entry, a blob to its name, so a report is tied to one
/// exact vector set. Suites get their inputs from here and do no file I/O of their own.
public struct VectorStore: Sendable {
    public let directory: String
    public let manifest: VectorManifest
    /// SHA-256 of `MANIFEST.json` as stored, which every report carries.
    public let manifestSha256: String

    public static let manifestName = "MANIFEST.json"
    public static let blobsFolder = "blobs"

    /// Opens `directory` and reads its manifest.
    public init(directory: String) throws(VectorError) {
        let path = directory + "/" + Self.manifestName
        guard let bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw VectorError(.unreadable, file: path, reason: "cannot read the manifest")
        }
        self.directory = directory
        self.manifest = try VectorManifest.parse(bytes, path: path)
        self.manifestSha256 = Digest.sha256Hex(bytes)
    }

    /// Every file of the manifest, parsed, in manifest order.
    public func loadFiles() throws(VectorError) -> [LoadedVectorFile] {
        var out: [LoadedVectorFile] = []
        for entry in manifest.entries {
            let path = directory + "/" + entry.path
            guard let bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
                throw VectorError(.unreadable, file: path, reason: "listed in MANIFEST.json but cannot be read")
            }
            guard Digest.sha256Hex(bytes) == entry.sha256 else {
                throw VectorError(
                    .integrity,
                    file: path,
                    reason: "sha256 differs from MANIFEST.json (run `b2c vectors check`)"
                )
            }
            out.append(LoadedVectorFile(path: entry.path, file: try VectorFile.parse(bytes, file: path)))
        }
        return out
    }

    /// The path of the blob named by `sha256`.
    public func blobPath(_ sha256: String) -> String { directory + "/" + Self.blobsFolder + "/" + sha256 + ".bin" }

    /// The bytes of the blob named by `sha256` (64 lowercase hex digits), checked against the name.
    public func blob(_ sha256: String) throws(VectorError) -> [UInt8] {
        guard sha256.utf8.count == 64, Hex.decode(sha256) != nil else {
            throw VectorError(file: directory, reason: "\"\(sha256.prefix(80))\" does not name a blob by its SHA-256")
        }
        let path = blobPath(sha256)
        guard let bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw VectorError(.unreadable, file: path, reason: "cannot be read")
        }
        guard Digest.sha256Hex(bytes) == sha256 else {
            throw VectorError(.integrity, file: path, reason: "does not hash to its name")
        }
        return bytes
    }

    /// Hands each group of `loaded` to `body` with its index, after checking that every group is of `type` (the
    /// swift-crypto Wycheproof loader's shape).
    public static func forEachGroup(
        of loaded: LoadedVectorFile,
        type: String,
        _ body: (Int, VectorFile.TestGroup) throws(VectorError) -> Void
    ) throws(VectorError) {
        for (gi, group) in loaded.file.testGroups.enumerated() where group.type != type {
            throw VectorError(
                file: loaded.path,
                location: "testGroups[\(gi)]",
                reason: "unknown group type \(group.type)"
            )
        }
        for (gi, group) in loaded.file.testGroups.enumerated() { try body(gi, group) }
    }

    /// A file's suite: its name without `_test.json` (`cbor/cbor_validity_test.json` → `cbor_validity`).
    public static func suiteName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        return stem.replacingOccurrences(of: "_test", with: "")
    }
}
