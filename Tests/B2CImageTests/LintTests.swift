import B2CGenerators
import B2CImage
import Testing

@Suite("image lint")
struct LintTests {
    func lint(_ bytes: [UInt8], _ f: ImageFixture) -> [ImageLinter.Finding] {
        var o = ImageLinter.Options()
        o.keys = f.configuration.keys
        o.decryptionKey = f.configuration.decryptionKey
        o.slotSize = f.configuration.slotSize
        return ImageLinter.lint(bytes, options: o)
    }

    @Test("Valid fixtures lint clean")
    func clean() {
        for (name, f) in fixtures {
            let errors = lint(f.bytes, f).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(name): \(errors)")
        }
    }

    /// Lint must name the same layer the verifier does, for every mutator whose class it covers.
    @Test(
        "Each mutator's error is among the lint findings",
        arguments: [
            "badMagic", "imgSizeOverflow", "bothAESFlags", "protectSizeMismatch", "protectSizeWithoutArea",
            "badUnprotectedMagic", "tlvCrossesArea", "missingHash", "shortHash", "wrongHash",
            "duplicateHashAfterSignature",
            "longKeyHash", "unknownKeyHash", "signatureBeforeKeyHash", "signatureTooLong", "goodThenBadSignaturePair",
            "derTrailingZeros", "protectedTlvInUnprotectedArea", "dependencyInUnprotectedArea", "sigPureWrongValue",
            "encTLVMissing", "securityCounterShort", "protectSizeMismatchSigned", "nonBootable",
            "protectedTlvSwallowsUnprotectedArea", "protectedTlvPastTLVEnd", "emptyProtectedTLVAtEnd",
        ]
    )
    func mutatorCovered(_ name: String) throws {
        let m = try #require(ImageMutator.all.first { $0.name == name })
        var tried = 0
        for (fixtureName, f) in fixtures where m.applies(to: f) {
            guard let (bytes, _) = try? m.apply(f), let code = m.expected else { continue }
            tried += 1
            let codes = lint(bytes, f).compactMap(\.code)
            #expect(codes.contains(code), "\(name) on \(fixtureName): lint found \(codes), not \(code)")
        }
        #expect(tried > 0)
    }

    @Test("Issue 8's classes: NON_BOOTABLE and a TLV end inside the trailer are errors; overrun, --clear, AES-256 warn")
    func bootutilClasses() throws {
        let f = fixtures[0].fixture
        let nonBootable = try #require(ImageMutator.all.first { $0.name == "nonBootable" }).apply(f).bytes
        #expect(lint(nonBootable, f).contains { $0.rule == "N33" && $0.severity == .error && $0.code == .nonBootable })
        // The slot less the default trailer (3120 bytes) ends one byte before the TLV end.
        var o = ImageLinter.Options()
        o.slotSize = try MCUbootImage(parsing: f.bytes).tlvEnd + 3119
        #expect(ImageLinter.lint(f.bytes, options: o).contains { $0.rule == "N8" && $0.code == .tlvBeyondMaxSize })
        o.slotSize = (o.slotSize ?? 0) + 1
        #expect(!ImageLinter.lint(f.bytes, options: o).contains { $0.rule == "N8" })
        let swallow = try #require(ImageMutator.all.first { $0.name == "protectedTlvSwallowsUnprotectedInfo" })
        let overrun = lint(try swallow.apply(f).bytes, f)
        #expect(overrun.contains { $0.rule == "N7" && $0.severity == .warning }, "\(overrun)")
        #expect(!overrun.contains { $0.severity == .error }, "\(overrun)")
        let clear = try #require(fixtures.first { $0.name == "ed25519-x25519-clear" }).fixture
        let clearFindings = lint(clear.bytes, clear)
        #expect(clearFindings.contains { $0.rule == "clear" && $0.severity == .warning }, "\(clearFindings)")
        #expect(!clearFindings.contains { $0.severity == .error }, "\(clearFindings)")
        let aes256 = try #require(fixtures.first { $0.name == "p256-ec256" }).fixture
        #expect(lint(aes256.bytes, aes256).contains { $0.rule == "N25" && $0.severity == .warning })
    }

    @Test("Several faults in one image are all reported, warnings apart from errors")
    func several() throws {
        let f = fixtures.first { $0.name == "ed25519-protected" }!.fixture
        var p = try ImageParts(f.bytes)
        p.header.pad1 = 1  // N28 (tolerated), and it breaks the hash (N10) since the header is hashed
        p.unprotected.append((.securityCounter, [1, 0, 0, 0]))  // N20
        var bad = p.unprotected[0]
        bad.value[0] ^= 1
        p.unprotected.append(bad)  // N11: a second, wrong hash after the signature
        let findings = lint(p.bytes, f)
        let rules = Set(findings.map(\.rule))
        #expect(rules.isSuperset(of: ["N28", "N20", "N10", "N11"]), "\(findings)")
        #expect(findings.first { $0.rule == "N28" }?.severity == .warning)
        #expect(findings.filter { $0.rule == "N20" }.allSatisfy { $0.severity == .error && $0.offset != nil })
    }
}
