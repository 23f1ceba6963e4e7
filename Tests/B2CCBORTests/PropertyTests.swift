import B2CCBOR
import B2CGenerators
import PropertyBased
import Testing

/// Generated CBOR values, from b2c's seeded generator, drawn by swift-property-based.
let valueGen = Generator<CBOR, _>(run: { rng in CBORValueGenerator().value(using: &rng) })
let seedGen = Gen.uint64()

@Suite("CBOR properties")
struct PropertyTests {
    @Test("decode(encode(x)) == x, preferred and deterministic")
    func roundTrip() async {
        await propertyCheck(count: 400, input: valueGen) { value in
            #expect((try? CBORDecoder.decode(CBOREncoder.encode(value))) == value)
            #expect((try? CBORDecoder.decode(CBOREncoder.encodeDeterministic(value), options: .deterministic)) == value)
        }
    }

    @Test("Deterministic encoding is idempotent and accepted by the deterministic profile")
    func deterministicIdempotent() async {
        await propertyCheck(count: 400, input: valueGen) { value in
            let once = CBOREncoder.encodeDeterministic(value)
            let decoded = try? CBORDecoder.decode(once, options: .deterministic)
            #expect(decoded != nil)
            if let decoded { #expect(CBOREncoder.encodeDeterministic(decoded) == once) }
        }
    }

    @Test("Every proper prefix of a valid item is rejected as truncated")
    func prefixesAreTruncated() async {
        await propertyCheck(count: 150, input: valueGen, seedGen) { value, seed in
            var rng = SeededRNG(seed: seed)
            let bytes = CBORNonPreferredEncoder().encode(value, using: &rng)
            for cut in 0..<bytes.count {
                #expect(decodeError(Array(bytes[0..<cut]), .valid) == "cbor.truncated", "cut at \(cut)")
            }
        }
    }

    @Test("Non-preferred encodings decode to the same value and re-encode deterministically")
    func nonPreferred() async {
        await propertyCheck(count: 400, input: valueGen, seedGen) { value, seed in
            var rng = SeededRNG(seed: seed)
            let bytes = CBORNonPreferredEncoder(percent: 50).encode(value, using: &rng)
            let decoded = try? CBORDecoder.decode(bytes)
            #expect(decoded == value)
            if let decoded {
                #expect(CBOREncoder.encodeDeterministic(decoded) == CBOREncoder.encodeDeterministic(value))
            }
        }
    }

    @Test("The decoder is total: random bytes give a value or a CBORError, and a value round-trips")
    func totality() async {
        let bytesGen = Gen.uint8().array(of: 0...48)
        await propertyCheck(count: 3000, input: bytesGen) { bytes in
            if let value = try? CBORDecoder.decode(bytes) {
                #expect((try? CBORDecoder.decode(CBOREncoder.encodeDeterministic(value))) == value)
            }
        }
    }
}
