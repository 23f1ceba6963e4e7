import B2CHarness
import B2CReport
import B2CVectors
import B2CWire
import Foundation

/// The `mcuboot` area: `mcuboot_verify_test_schema_v1` files, sent as `image.verify` with the image (from
/// `vectors/blobs/`, checked against its SHA-256) and the bootloader configuration to emulate. The same files give
/// two more suites: `mcuboot_parse` (`image.parse` of every distinct image: its layout, or the structural error)
/// and `mcuboot_decrypt` (`image.decrypt` of the encrypted images: the plaintext, or the key-transport error).
enum MCUbootSuite {
    static let schema = "mcuboot_verify_test_schema_v1"

    static func cases(from file: VectorFile, path: String, vectorsDir: String) throws(HarnessError) -> [ConformanceCase] {
        let suite = Catalogue.suiteName(path)
        var out: [ConformanceCase] = []
        var parsedImages = Set<String>()
        let short = suite.replacingOccurrences(of: "mcuboot_", with: "")
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
                // The image's hex is made once and shared by the verify, parse and decrypt cases.
                let image = JSONValue.string(Hex.encode(data))
                out.append(
                    Catalogue.vectorCase(
                        t, file: file, path: path, suite: suite, level: group.level, op: "image.verify",
                        args: ["image": image, "config": config], requires: (key: "features", value: feature),
                        output: output))
                if let c = try parseCase(t, file: file, path: path, origin: short, image: image, sha: sha, seen: &parsedImages) {
                    out.append(c)
                }
                if let c = try decryptCase(
                    t, file: file, path: path, origin: short, image: image, config: config, feature: feature,
                    vectorsDir: vectorsDir)
                {
                    out.append(c)
                }
            }
        }
        return out
    }

    /// The `image.parse` case of a vector case: every distinct image once.
    static func parseCase(
        _ t: VectorFile.TestCase, file: VectorFile, path: String, origin: String, image: JSONValue, sha: String,
        seen: inout Set<String>
    ) throws(HarnessError) -> ConformanceCase? {
        guard seen.insert(sha).inserted else { return nil }
        let expectation: Expectation
        if let layout = t.fields["layout"]?.stringValue {
            expectation = Expectation(result: "valid", output: ["layout": layout])
        } else if let code = t.fields["parseError"]?.stringValue {
            expectation = Expectation(result: "invalid", error: code)
        } else {
            throw HarnessError("\(path): tcId \(t.tcId): needs \"layout\" or \"parseError\"")
        }
        return ConformanceCase(
            id: "\(file.area)/mcuboot_parse/\(origin)-tc\(t.tcId)", area: file.area, suite: "mcuboot_parse",
            level: "required", flags: t.flags, comment: t.comment, specRefs: ["MCUboot notes §2", "§5"],
            vector: VectorRef(file: path, tcId: t.tcId), op: "image.parse",
            args: ["image": image], expected: expectation)
    }

    /// The `image.decrypt` case of an encrypted vector case: valid ones give the plaintext, the key-transport
    /// mutations their error.
    static func decryptCase(
        _ t: VectorFile.TestCase, file: VectorFile, path: String, origin: String, image: JSONValue, config: JSONValue,
        feature: String, vectorsDir: String
    ) throws(HarnessError) -> ConformanceCase? {
        guard config.objectValue?["decryption"] != nil, config.objectValue?["pure"] != .bool(true) else { return nil }
        let expectation: Expectation
        if let sha = t.fields["plaintext"]?.stringValue {
            let plainPath = vectorsDir + "/blobs/" + sha + ".bin"
            guard let plain = FileManager.default.contents(atPath: plainPath), Digest.sha256Hex(Array(plain)) == sha else {
                throw HarnessError("\(path): tcId \(t.tcId): plaintext blob \(plainPath) is missing or altered")
            }
            expectation = Expectation(result: "valid", output: ["image": Hex.encode(Array(plain))])
        } else if let code = t.expectedError, code.hasPrefix("image.enc_") {
            expectation = Expectation(result: "invalid", error: code)
        } else {
            return nil
        }
        return ConformanceCase(
            id: "\(file.area)/mcuboot_decrypt/\(origin)-tc\(t.tcId)", area: file.area, suite: "mcuboot_decrypt",
            level: "required", flags: t.flags, comment: t.comment, specRefs: ["MCUboot notes §11"],
            vector: VectorRef(file: path, tcId: t.tcId), op: "image.decrypt",
            args: ["image": image, "config": config],
            requires: (key: "features", value: feature), expected: expectation)
    }
}
