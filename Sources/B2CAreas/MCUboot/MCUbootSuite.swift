import B2CArea
import B2CHex
import B2CReport
import B2CVectors
import B2CWire

/// The cases of an `mcuboot_verify_test_schema_v1` file: `image.verify` with the image (a blob) and the bootloader
/// configuration to emulate. The same files give two more suites: `mcuboot_parse` (`image.parse` of every distinct
/// image: its layout, or the structural error) and `mcuboot_decrypt` (`image.decrypt` of the encrypted images: the
/// plaintext, or the key-transport error).
enum MCUbootSuite {
    /// The `image.verify` capability parameter naming the build's optional checks a target models.
    static let checksParameter = "checks"
    /// The optional checks of a bootloader build, by the error that only that check gives: a case whose verdict
    /// rests on one requires the target to declare it, so a verifier without it (imgtool's has no slot, counter,
    /// downgrade, UUID or allow-list checks) is `unsupported` there rather than failed.
    static let buildChecks: [String: String] = [
        "image.size_overflow": "slot-size",
        "image.tlv_beyond_max_size": "max-image-size",
        "image.tlv_not_allowed": "allow-list",
        "image.security_counter": "security-counter",
        "image.uuid_mismatch": "uuid",
        "image.downgrade": "downgrade",
        "image.bad_flags": "build-flags",
    ]

    static let parseSuite = "mcuboot_parse"
    static let decryptSuite = "mcuboot_decrypt"

    /// The fields of one vector case that every derived case needs.
    struct Source {
        var test: VectorFile.TestCase
        var loaded: LoadedVectorFile
        /// The origin suite without its `mcuboot_` prefix, which the derived case ids carry.
        var origin: String
        var image: JSONValue
        var config: JSONValue
        var feature: String
        /// The SHA-256 of the image, which names its blob.
        var sha: String

        func bad(_ why: String) -> VectorError {
            VectorError(file: loaded.path, location: "tcId \(test.tcId)", reason: why)
        }

        func info(suite: String, specRefs: [String], args: [String: JSONValue]) -> CaseInfo {
            var info = Catalogue.info(
                test,
                of: loaded,
                id: "\(loaded.file.area)/\(suite)/\(origin)-tc\(test.tcId)",
                suite: suite,
                level: "required",
                specRefs: specRefs
            )
            info.input = CaseInput.request(field: "image", of: args, blob: sha)
            return info
        }
    }

    static func cases(from loaded: LoadedVectorFile, store: VectorStore) throws(VectorError) -> [ConformanceCase] {
        let suite = VectorStore.suiteName(loaded.path)
        var out: [ConformanceCase] = []
        // Each distinct image is read, checked and hex-encoded once, however many cases use it; the first case to use
        // an image also gives its parse case.
        var images: [String: JSONValue] = [:]
        let origin = suite.hasPrefix("mcuboot_") ? String(suite.dropFirst("mcuboot_".count)) : suite
        try VectorStore.forEachGroup(of: loaded, type: "ImageVerify") { (_, group) throws(VectorError) in
            for t in group.tests {
                func bad(_ why: String) -> VectorError {
                    VectorError(file: loaded.path, location: "tcId \(t.tcId)", reason: why)
                }
                guard let sha = t.fields["image"]?.stringValue, sha.count == 64, Hex.decode(sha) != nil else {
                    throw bad("\"image\" must name a blob by its SHA-256")
                }
                let image: JSONValue
                let firstUse: Bool
                if let known = images[sha] {
                    (image, firstUse) = (known, false)
                } else {
                    (image, firstUse) = (.string(Hex.encode(try store.blob(sha))), true)
                    images[sha] = image
                }
                guard let config = t.fields["config"], config.objectValue != nil else {
                    throw bad("\"config\" must be an object")
                }
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
                if t.result == .invalid && t.expectedError == nil {
                    throw bad("an invalid case needs \"expectedError\"")
                }
                // The image's hex is made once and shared by the verify, parse and decrypt cases.
                let source = Source(
                    test: t,
                    loaded: loaded,
                    origin: origin,
                    image: image,
                    config: config,
                    feature: feature,
                    sha: sha
                )
                var requirements = [Requirement(op: ImageOperations.verifyOp, parameter: "features", value: feature)]
                if t.result == .invalid, let check = t.expectedError.flatMap({ buildChecks[$0] }) {
                    requirements.append(
                        Requirement(op: ImageOperations.verifyOp, parameter: checksParameter, value: check)
                    )
                }
                let expected = Expectation(result: ExpectedResult(t.result), error: t.expectedError, output: output)
                let args = ["image": source.image, "config": config]
                var info = Catalogue.info(t, of: loaded, suite: suite, level: group.level)
                info.input = CaseInput.request(field: "image", of: args, blob: sha)
                out.append(
                    ConformanceCase(
                        info: info,
                        scenario: .exchange(op: ImageOperations.verifyOp, args: args, expect: expected),
                        requirements: requirements
                    )
                )
                if firstUse { out.append(try parseCase(source)) }
                if let c = try decryptCase(source, store: store) { out.append(c) }
            }
        }
        return out
    }

    /// The `image.parse` case of a vector case (made once per distinct image).
    static func parseCase(_ s: Source) throws(VectorError) -> ConformanceCase {
        let expectation: Expectation
        if let layout = s.test.fields["layout"]?.stringValue {
            expectation = Expectation(result: .valid, output: ["layout": layout])
        } else if let code = s.test.fields["parseError"]?.stringValue {
            expectation = Expectation(result: .invalid, error: code)
        } else {
            throw s.bad("needs \"layout\" or \"parseError\"")
        }
        let args = ["image": s.image]
        return ConformanceCase(
            info: s.info(
                suite: parseSuite,
                specRefs: ["bootutil_loader.c boot_check_header_valid", "tlv.c bootutil_tlv_iter_begin"],
                args: args
            ),
            op: ImageOperations.parseOp,
            args: args,
            expected: expectation
        )
    }

    /// The `image.decrypt` case of an encrypted vector case: valid ones give the plaintext, the key-transport
    /// mutations their error.
    static func decryptCase(_ s: Source, store: VectorStore) throws(VectorError) -> ConformanceCase? {
        guard s.config.objectValue?["decryption"] != nil, s.config.objectValue?["pure"] != .bool(true) else {
            return nil
        }
        let expectation: Expectation
        if let sha = s.test.fields["plaintext"]?.stringValue {
            expectation = Expectation(result: .valid, output: ["image": Hex.encode(try store.blob(sha))])
        } else if let code = s.test.expectedError, code.hasPrefix("image.enc_") {
            expectation = Expectation(result: .invalid, error: code)
        } else {
            return nil
        }
        let args = ["image": s.image, "config": s.config]
        return ConformanceCase(
            info: s.info(
                suite: decryptSuite,
                specRefs: ["encrypted.c boot_enc_load", "encrypted.c boot_decrypt_key"],
                args: args
            ),
            op: ImageOperations.decryptOp,
            args: args,
            parameter: (key: "features", value: s.feature),
            expected: expectation
        )
    }
}
