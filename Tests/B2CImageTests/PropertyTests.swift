import B2CGenerators
import B2CImage
import PropertyBased
import Testing

@Suite("Image properties")
struct ImagePropertyTests {
    static let signers: [ImageKeyType] = [.ed25519, .ecdsaP256, .ecdsaP384, .rsa2048, .rsa3072]

    /// Options drawn at random: key type, header size, version, protected TLVs, alignment and padding.
    static let optionsGen = Generator<ImageSignOptions, _>(run: { rng in
        let key: ImagePrivateKey? =
            Int.random(in: 0..<6, using: &rng) == 5
            ? nil : Keys.signing(signers[Int.random(in: 0..<signers.count, using: &rng)])
        return options(key: key) { o in
            let headerSizes = [0x20, 0x40, 0x100, 0x200]
            o.headerSize = headerSizes[Int.random(in: 0..<headerSizes.count, using: &rng)]
            o.version = ImageVersion(
                major: .random(in: 0...255, using: &rng),
                minor: .random(in: 0...255, using: &rng),
                revision: .random(in: 0...65535, using: &rng),
                build: .random(in: 0...UInt32.max, using: &rng)
            )
            if Bool.random(using: &rng) { o.securityCounter = .random(in: 0...UInt32.max, using: &rng) }
            if Bool.random(using: &rng) { o.bootRecord = "SPE" }
            if Bool.random(using: &rng) {
                o.dependencies = [ImageDependency(imageID: 1, minimumVersion: .init(major: 2))]
            }
            if case .ed25519? = key, Bool.random(using: &rng) { o.pure = Bool.random(using: &rng) }
            if case .ed25519? = key, !o.pure, Bool.random(using: &rng) { o.hash = .sha512 }
            o.align = 1 << Int.random(in: 0...3, using: &rng)
            o.confirm = Bool.random(using: &rng)
            o.erasedValue = Bool.random(using: &rng) ? 0xff : 0
        }
    })
    static let bodyGen = Gen.uint8().array(of: 0...600)

    @Test("sign → verify round trip for every key type and option mix")
    func roundTrip() async {
        await propertyCheck(count: 60, input: Self.optionsGen, Self.bodyGen) { o, body in
            let f = try ImageFixture(payload: body, options: o)
            let v = try ImageVerifier(f.configuration).verify(f.bytes)
            #expect(v.keyIndex == (o.key == nil ? nil : 0))
            #expect(Array(f.bytes[Int(o.headerSize)..<(Int(o.headerSize) + body.count)]) == body)
        }
    }

    @Test("Any bit flip in the header padding, body or version is a hash error; anywhere in the region, a rejection")
    func bitFlips() async {
        await propertyCheck(count: 80, input: Self.optionsGen, Gen.int(in: 0...1_000_000), Gen.int(in: 0...7)) {
            o,
            at,
            bit in
            let f = try ImageFixture(payload: payload, options: o)
            let image = try MCUbootImage(parsing: f.bytes)
            let region = image.hashedRegion
            let offset = at % region.count
            let (bytes, c) = try ImageMutator.flipBit(at: offset, bit: bit).apply(f)
            var code: ImageError.Code?
            do { _ = try ImageVerifier(c).verify(bytes) } catch let e as ImageError { code = e.code }
            #expect(code != nil, "flip at \(offset) accepted")
            let layoutFields =
                (0..<4).contains(offset) || (8..<20).contains(offset)
                || (image.protectedArea.lowerBound..<image.protectedArea.lowerBound + 4).contains(offset)
                || image.tlvs.contains { $0.isProtected && ($0.offset..<$0.offset + 4).contains(offset) }
            // A pure build checks no hash TLV: the signature over the region is what fails.
            let expected: ImageError.Code = o.pure ? .signatureInvalid : .hashMismatch
            if !layoutFields { #expect(code == expected, "flip at \(offset): \(String(describing: code))") }
        }
    }

    @Test("Every mutator's output gets its expected verdict on random fixtures")
    func mutators() async {
        let all = ImageMutator.all
        await propertyCheck(count: 150, input: Self.optionsGen, Gen.int(in: 0...(all.count - 1))) { o, index in
            let m = all[index]
            let f = try ImageFixture(payload: payload, options: o)
            guard m.applies(to: f), let (bytes, c) = try? m.apply(f) else { return }
            var code: ImageError.Code?
            do { _ = try ImageVerifier(c).verify(bytes) } catch let e as ImageError { code = e.code }
            #expect(code == m.expected, "\(m.name) (\(m.catalogue)): got \(code?.rawValue ?? "valid")")
        }
    }
}
