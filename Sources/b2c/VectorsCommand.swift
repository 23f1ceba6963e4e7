import ArgumentParser
import B2CArea
import B2CAreas
import B2CVectors
import Foundation

struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Reproduce, write and format the vector files.",
        subcommands: [Check.self, Generate.self, Fmt.self]
    )

    /// Every generator's output, with the generator inputs read from `dir`.
    static func generated(_ dir: String) throws(VectorError) -> GeneratedVectors {
        try BuiltInAreas.registry.generate(inputs: GeneratorInputs(directory: dir))
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate every vector file from its generator and compare with the files and MANIFEST.json."
        )

        @Option(name: .long, help: "Vectors directory.")
        var vectors: String?

        func run() throws {
            let dir = try Paths.vectors(vectors)
            guard FileManager.default.fileExists(atPath: dir + "/" + VectorStore.manifestName) else {
                throw CLIError("\(dir): no \(VectorStore.manifestName) here; not a vectors directory")
            }
            let set = try VectorsCommand.generated(dir)
            let problems = set.differences(from: dir)
            if problems.isEmpty {
                let count = set.files.reduce(0) { $0 + $1.file.numberOfTests }
                Console.out(
                    "vectors: \(set.files.count) files, \(count) cases, all reproduced; MANIFEST.json matches\n"
                )
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
            let set = try VectorsCommand.generated(vectors)
            try set.write(to: vectors)
            Console.out(
                "wrote \(set.files.count) vector files, \(set.blobs.count) blobs, pins and MANIFEST.json under \(vectors)\n"
            )
        }
    }

    struct Fmt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check (--check) or rewrite every vector file in its canonical JSON form."
        )

        @Flag(name: .long, help: "Only check; exit 1 if a file is not canonical.")
        var check = false

        @Option(name: .long, help: "Vectors directory.")
        var vectors: String?

        func run() throws {
            let dir = try Paths.vectors(vectors)
            var bad: [String] = []
            let inputs = Set(BuiltInAreas.registry.generatorInputPaths)
            for rel in GeneratedVectors.jsonFiles(under: dir)
            where rel != VectorStore.manifestName && !inputs.contains(rel) {
                let path = dir + "/" + rel
                let file = try VectorFile.load(path: path)
                let canonical = file.canonicalText
                guard FileManager.default.contents(atPath: path).map(Array.init) != Array(canonical.utf8) else {
                    continue
                }
                if check {
                    bad.append(path)
                } else {
                    try FileAccess.write(Array(canonical.utf8), to: path)
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
}
