import ArgumentParser
import B2CGenerators
import B2CHarness
import B2CVectors
import Foundation

struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors", abstract: "Reproduce, write and format the vector files.",
        subcommands: [Check.self, Generate.self, Fmt.self])

    /// Every generated file with its canonical text, the blobs and pins, and the manifest over the files.
    static func generated(_ dir: String) throws -> (
        files: [(path: String, file: VectorFile, text: String)], manifest: VectorManifest, set: VectorCatalog.Generated
    ) {
        let set: VectorCatalog.Generated
        do { set = try VectorCatalog.generate(vectorsDir: dir) } catch { throw HarnessError(error.description) }
        let files = set.files.map { ($0.path, $0.file, $0.file.canonicalText) }
        return (files, VectorManifest(files: files), set)
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate every vector file from its generator and compare with the files and MANIFEST.json.")

        @Option(name: .long, help: "Vectors directory.")
        var vectors: String?

        func run() throws {
            let dir = try Paths.vectors(vectors)
            let (files, manifest, set) = try VectorsCommand.generated(dir)
            var problems: [String] = []
            for (sha, bytes) in set.blobs.sorted(by: { $0.key < $1.key }) {
                let path = dir + "/blobs/" + sha + ".bin"
                if FileManager.default.contents(atPath: path).map(Array.init) != bytes {
                    problems.append("\(path): missing or different (run `b2c vectors generate`)")
                }
            }
            let blobNames = Set(set.blobs.keys.map { $0 + ".bin" })
            for extra in (try? FileManager.default.contentsOfDirectory(atPath: dir + "/blobs")) ?? [] where !blobNames.contains(extra) {
                problems.append("\(dir)/blobs/\(extra): no generator produces this blob")
            }
            for p in set.pins where p.pins.added > 0 {
                problems.append("\(dir)/\(p.path): \(p.pins.added) signatures are not pinned, so the files cannot be reproduced (run `b2c vectors generate`)")
            }
            for f in files {
                let path = dir + "/" + f.path
                guard let data = FileManager.default.contents(atPath: path) else {
                    problems.append("\(path): missing (run `b2c vectors generate`)")
                    continue
                }
                if Array(data) != Array(f.text.utf8) {
                    problems.append("\(path): differs from what its generator produces")
                }
            }
            let manifestPath = dir + "/MANIFEST.json"
            if FileManager.default.contents(atPath: manifestPath).map(Array.init) != Array(manifest.canonicalText.utf8) {
                problems.append("\(manifestPath): does not match the generated files")
            }
            let known = Set(files.map(\.path) + ["MANIFEST.json"] + VectorCatalog.pinsPaths)
            for extra in VectorsCommand.jsonFiles(under: dir) where !known.contains(extra) {
                problems.append("\(dir)/\(extra): no generator produces this file")
            }
            if problems.isEmpty {
                let count = files.reduce(0) { $0 + $1.file.numberOfTests }
                Console.out("vectors: \(files.count) files, \(count) cases, all reproduced; MANIFEST.json matches\n")
            } else {
                problems.forEach { Console.err("b2c: \($0)\n") }
                throw ExitCode(1)
            }
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every vector file and MANIFEST.json.")

        @Option(name: .long, help: "Vectors directory. Default: ./vectors")
        var vectors: String = "vectors"

        func run() throws {
            let (files, manifest, set) = try VectorsCommand.generated(vectors)
            let empty = VectorFile(schema: "", area: "", algorithm: "", testGroups: [])
            var outputs = files + [("MANIFEST.json", empty, manifest.canonicalText)]
            outputs += set.pins.map { ($0.path, empty, $0.pins.canonicalText) }
            try? FileManager.default.createDirectory(atPath: vectors + "/blobs", withIntermediateDirectories: true)
            let blobNames = Set(set.blobs.keys.map { $0 + ".bin" })
            for stale in (try? FileManager.default.contentsOfDirectory(atPath: vectors + "/blobs")) ?? [] where !blobNames.contains(stale) {
                try? FileManager.default.removeItem(atPath: vectors + "/blobs/" + stale)
            }
            for (sha, bytes) in set.blobs {
                guard FileManager.default.createFile(atPath: vectors + "/blobs/" + sha + ".bin", contents: Data(bytes)) else {
                    throw HarnessError("\(vectors)/blobs/\(sha).bin: cannot write")
                }
            }
            for f in outputs {
                let path = vectors + "/" + f.0
                try? FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: path, contents: Data(f.2.utf8)) else {
                    throw HarnessError("\(path): cannot write")
                }
            }
            Console.out("wrote \(files.count) vector files, \(set.blobs.count) blobs, pins and MANIFEST.json under \(vectors)\n")
        }
    }

    struct Fmt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check (--check) or rewrite every vector file in its canonical JSON form.")

        @Flag(name: .long, help: "Only check; exit 1 if a file is not canonical.")
        var check = false

        @Option(name: .long, help: "Vectors directory.")
        var vectors: String?

        func run() throws {
            let dir = try Paths.vectors(vectors)
            var bad: [String] = []
            for rel in VectorsCommand.jsonFiles(under: dir) where rel != "MANIFEST.json" && !VectorCatalog.pinsPaths.contains(rel) {
                let path = dir + "/" + rel
                let file: VectorFile
                do {
                    file = try VectorFile.load(path: path)
                } catch {
                    throw HarnessError(error.description)
                }
                let canonical = file.canonicalText
                guard FileManager.default.contents(atPath: path).map(Array.init) != Array(canonical.utf8) else { continue }
                if check {
                    bad.append(path)
                } else {
                    guard FileManager.default.createFile(atPath: path, contents: Data(canonical.utf8)) else {
                        throw HarnessError("\(path): cannot write")
                    }
                    Console.out("formatted \(path)\n")
                }
            }
            if !bad.isEmpty {
                bad.forEach { Console.err("b2c: \($0): not in canonical form (run `b2c vectors fmt`)\n") }
                throw ExitCode(1)
            }
            if check { Console.out("vectors: every file is canonical\n") }
        }
    }

    static func jsonFiles(under dir: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: dir)
        var out: [String] = []
        while let p = e?.nextObject() as? String {
            if p.hasSuffix(".json") { out.append(p) }
        }
        return out.sorted()
    }
}
