import Foundation

/// Inputs a generator reads from the vectors directory (signature pins), by relative path.
public struct GeneratorInputs: Sendable {
    public let directory: String
    public init(directory: String) { self.directory = directory }

    /// The absolute path of input `relativePath`.
    public func path(_ relativePath: String) -> String { directory + "/" + relativePath }
}

/// What generators produce: vector files, blobs by SHA-256, and the generator inputs they read and may extend.
public struct GeneratedVectors: Sendable {
    /// A generator input written back by `generate` (pins, which a run may extend).
    public struct Input: Sendable {
        public var path: String
        public var canonicalText: String
        /// How many entries the run had to add: a non-zero count means the files are not reproducible.
        public var added: Int
        public init(path: String, canonicalText: String, added: Int) {
            self.path = path
            self.canonicalText = canonicalText
            self.added = added
        }
    }

    public var files: [LoadedVectorFile]
    public var blobs: [String: [UInt8]]
    public var inputs: [Input]

    public init(files: [LoadedVectorFile] = [], blobs: [String: [UInt8]] = [:], inputs: [Input] = []) {
        self.files = files
        self.blobs = blobs
        self.inputs = inputs
    }

    /// Adds another generator's output; a file or input path produced twice is an error.
    public mutating func merge(_ other: GeneratedVectors) throws(VectorError) {
        let paths = Set(files.map(\.path) + inputs.map(\.path))
        if let twice = (other.files.map(\.path) + other.inputs.map(\.path)).first(where: paths.contains) {
            throw VectorError(.generator, file: twice, reason: "produced by two generators")
        }
        files += other.files
        inputs += other.inputs
        blobs.merge(other.blobs) { first, _ in first }
    }

    /// Each file's canonical text, and the manifest over them.
    public var rendered: (files: [(path: String, text: String)], manifest: VectorManifest) {
        let texts = files.map { (path: $0.path, file: $0.file, text: $0.file.canonicalText) }
        return (texts.map { ($0.path, $0.text) }, VectorManifest(files: texts))
    }

    /// What differs between these and the vectors directory `dir`, one line each (empty: all reproduced).
    public func differences(from dir: String) -> [String] {
        var problems: [String] = []
        let fm = FileManager.default
        for (sha, bytes) in blobs.sorted(by: { $0.key < $1.key }) {
            let path = "\(dir)/\(VectorStore.blobsFolder)/\(sha).bin"
            if fm.contents(atPath: path).map(Array.init) != bytes {
                problems.append("\(path): missing or different (run `b2c vectors generate`)")
            }
        }
        let blobNames = Set(blobs.keys.map { $0 + ".bin" })
        let stored = (try? fm.contentsOfDirectory(atPath: dir + "/" + VectorStore.blobsFolder)) ?? []
        for extra in stored.sorted() where !blobNames.contains(extra) {
            problems.append("\(dir)/\(VectorStore.blobsFolder)/\(extra): no generator produces this blob")
        }
        for input in inputs where input.added > 0 {
            problems.append(
                "\(dir)/\(input.path): \(input.added) signatures are not pinned, so the files cannot be reproduced "
                    + "(run `b2c vectors generate`)"
            )
        }
        let (texts, manifest) = rendered
        for f in texts {
            let path = dir + "/" + f.path
            guard let data = fm.contents(atPath: path) else {
                problems.append("\(path): missing (run `b2c vectors generate`)")
                continue
            }
            if Array(data) != Array(f.text.utf8) {
                problems.append("\(path): differs from what its generator produces")
            }
        }
        let manifestPath = dir + "/" + VectorStore.manifestName
        if fm.contents(atPath: manifestPath).map(Array.init) != Array(manifest.canonicalText.utf8) {
            problems.append("\(manifestPath): does not match the generated files")
        }
        let known = Set(texts.map(\.path) + [VectorStore.manifestName] + inputs.map(\.path))
        for extra in Self.jsonFiles(under: dir) where !known.contains(extra) {
            problems.append("\(dir)/\(extra): no generator produces this file")
        }
        return problems
    }

    /// Writes every file, blob, input and the manifest under `dir`, and removes blobs no generator produces.
    public func write(to dir: String) throws(VectorError) {
        let fm = FileManager.default
        let blobsDir = dir + "/" + VectorStore.blobsFolder
        try? fm.createDirectory(atPath: blobsDir, withIntermediateDirectories: true)
        let blobNames = Set(blobs.keys.map { $0 + ".bin" })
        for stale in (try? fm.contentsOfDirectory(atPath: blobsDir)) ?? [] where !blobNames.contains(stale) {
            try? fm.removeItem(atPath: blobsDir + "/" + stale)
        }
        for (sha, bytes) in blobs {
            guard fm.createFile(atPath: "\(blobsDir)/\(sha).bin", contents: Data(bytes)) else {
                throw VectorError(.unwritable, file: "\(blobsDir)/\(sha).bin", reason: "cannot write")
            }
        }
        let (texts, manifest) = rendered
        let outputs =
            texts + [(VectorStore.manifestName, manifest.canonicalText)] + inputs.map { ($0.path, $0.canonicalText) }
        for (relative, text) in outputs {
            let path = dir + "/" + relative
            try? fm.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            guard fm.createFile(atPath: path, contents: Data(text.utf8)) else {
                throw VectorError(.unwritable, file: path, reason: "cannot write")
            }
        }
    }

    /// Every `.json` file under `dir`, relative, sorted.
    public static func jsonFiles(under dir: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: dir)
        var out: [String] = []
        while let p = e?.nextObject() as? String {
            if p.hasSuffix(".json") { out.append(p) }
        }
        return out.sorted()
    }
}
