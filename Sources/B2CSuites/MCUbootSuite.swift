import B2CHarness
import B2CReport
import B2CVectors
import B2CWire
import Foundation

/// The `mcuboot` area: `mcuboot_verify_test_schema_v1` files, sent as `image.verify` with the image (from
/// `vectors/blobs/`, checked against its SHA-256) and the bootloader configuration to emulate.
enum MCUbootSuite {
    static let schema = "mcuboot_verify_test_schema_v1"

    static func cases(from file: VectorFile, path: String, vectorsDir: String) throws(HarnessError) -> [ConformanceCase] {
        let suite = Catalogue.suiteName(path)
        var out: [ConformanceCase] = []
        for (_, group) in try Catalogue.groups(file, path, type: "ImageVerify") {
            for t in group.tests {
                func bad(_ why: String) -> HarnessError { HarnessError("\(path): tcId \(t.tcId): \(why)") }
                guard let sha = t.fields["image"]?.stringValue, sha.count == 64, Hex.decode(sha) != nil else {
                    throw bad("\"image\" must name a blob by its SHA-256")
                }
                let blobPath = vectorsDir + "/blobs/" + sha + ".bin"
                guard let data = FileManager.default.contents(atPath: blobPath) else { throw bad("\(blobPath) cannot be read") }
                guard Digest.sha256Hex(Array(data)) == sha else { throw bad("\(blobPath) does not hash to its name") }
                guard let config = t.fields["config"], config.objectValue != nil else { throw bad("\"config\" must be an object") }
                guard let feature = t.fields["feature"]?.stringValue else { throw bad("\"feature\" is missing") }
                var output: [String: String]? = nil
                if t.result == .valid {
                    // A pure build computes no image hash: such a case only needs the image accepted.
                    if let hash = t.fields["hash"]?.stringValue {
                        output = ["hash": hash]
                    } else if config.objectValue?["pure"] != .bool(true) {
                        throw bad("a valid case needs \"hash\"")
                    }
                }
                if t.result == .invalid && t.expectedError == nil { throw bad("an invalid case needs \"expectedError\"") }
                let specRefs = Array(Set(t.flags.flatMap { file.notes[$0]?.specRefs ?? [] })).sorted()
                out.append(
                    ConformanceCase(
                        id: "\(file.area)/\(suite)/tc\(t.tcId)", area: file.area, suite: suite, level: group.level,
                        flags: t.flags, comment: t.comment, specRefs: specRefs,
                        vector: VectorRef(file: path, tcId: t.tcId), op: "image.verify",
                        args: ["image": .string(Hex.encode(Array(data))), "config": config],
                        requires: (key: "features", value: feature),
                        expected: Expectation(result: t.result.rawValue, error: t.expectedError, output: output)))
            }
        }
        return out
    }
}
