import B2CGenerators
import B2CImage
import Testing

@Suite("Negative catalogue N1–N33: every mutator gives its code on every fixture it applies to")
struct MutatorTests {
    @Test("Fixtures are valid as built")
    func fixturesValid() throws {
        for (name, f) in fixtures {
            #expect(throws: Never.self, "\(name)") { try ImageVerifier(f.configuration).verify(f.bytes) }
        }
    }

    @Test("Each mutator's verdict", arguments: ImageMutator.all.map(\.name))
    func mutator(_ name: String) throws {
        let m = try #require(ImageMutator.all.first { $0.name == name })
        var applied = 0
        for (fixtureName, f) in fixtures where m.applies(to: f) {
            guard let (bytes, configuration) = try? m.apply(f) else { continue }
            applied += 1
            let verdict = Result { try ImageVerifier(configuration).verify(bytes) }
            switch (verdict, m.expected) {
            case (.success, nil): break
            case (.failure(let e), let code?):
                #expect((e as? ImageError)?.code == code, "\(m.name) (\(m.catalogue)) on \(fixtureName): \(e)")
            case (.success, let code?):
                Issue.record("\(m.name) (\(m.catalogue)) on \(fixtureName): accepted, expected \(code)")
            case (.failure(let e), nil):
                Issue.record("\(m.name) (\(m.catalogue)) on \(fixtureName): rejected (\(e)), expected valid")
            }
        }
        #expect(applied > 0, "\(m.name) applied to no fixture")
    }

    @Test(
        "Downgrade (N27) at the top of the version space: 255.x is refused below its successor; 255.255.65535 has none"
    )
    func downgradeAtTop() throws {
        // The property test's seed iE57WDUiwgU0/cd0/6BI5dauEQPd8ycgDWdXf6e8Qq0= drew 255.143.30409: major + 1 wrapped to 0.
        let m = try #require(ImageMutator.all.first { $0.name == "downgrade" })
        let top = try ImageFixture(
            payload: payload,
            options: options(key: nil) { $0.version = .init(major: 255, minor: 143, revision: 30409) }
        )
        let (bytes, c) = try m.apply(top)
        let e = #expect(throws: ImageError.self) { try ImageVerifier(c).verify(bytes) }
        #expect(e?.code == .downgrade, "\(String(describing: e))")
        let last = try ImageFixture(
            payload: payload,
            options: options(key: nil) { $0.version = .init(major: 255, minor: 255, revision: 65535) }
        )
        #expect(throws: ImageError.self) { try m.apply(last) }
    }

    @Test("Tolerated classes are reported as tolerances (N13, N28, N29)")
    func tolerances() throws {
        let f = fixtures[0].fixture
        for name in ["shortKeyHash", "pad1Nonzero", "picFlag", "unknownProtectedTLV"] {
            let m = try #require(ImageMutator.all.first { $0.name == name })
            let (bytes, c) = try m.apply(f)
            let v = try ImageVerifier(c).verify(bytes)
            #expect(v.tolerated.contains { $0.rule == m.catalogue }, "\(name): \(v.tolerated)")
        }
    }

    @Test("Every proper prefix of an image is rejected as truncated")
    func truncation() throws {
        for (name, f) in fixtures {
            for cut in stride(from: 0, to: f.bytes.count, by: 7) {
                let (bytes, c) = try ImageMutator.truncate(at: cut).apply(f)
                #expect(throws: ImageError.self, "\(name) cut at \(cut)") { try ImageVerifier(c).verify(bytes) }
                let code =
                    (try? ImageVerifier(c).verify(bytes)).map { _ in "valid" }
                    ?? { () -> String in
                        do { _ = try ImageVerifier(c).verify(bytes) } catch {
                            return (error as? ImageError)?.code.rawValue ?? "?"
                        }
                        return "valid"
                    }()
                #expect(code == "image.truncated", "\(name) cut at \(cut): \(code)")
            }
        }
    }
}
