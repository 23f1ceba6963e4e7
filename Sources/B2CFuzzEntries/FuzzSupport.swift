import B2CCBOR
import B2CHex

/// Stops the process on a genuine finding. The message carries the input in hex, so the fuzzer log alone reproduces
/// the case even if the crash file is lost.
func fuzzFailure(_ target: String, _ finding: String, _ bytes: [UInt8]) -> Never {
    fatalError("\(target) finding: \(finding)\ninput (\(bytes.count) bytes): \(Hex.encode(bytes))")
}

/// `CBORDecoder.decode` as a `Result`.
func decodeResult(_ bytes: [UInt8], _ options: CBORDecoder.Options) -> Result<CBOR, CBORError> {
    do throws(CBORError) {
        return .success(try CBORDecoder.decode(bytes, options: options))
    } catch {
        return .failure(error)
    }
}

/// `CBORDecoder.decodePrefix` as a `Result`.
func prefixResult(_ bytes: [UInt8], _ options: CBORDecoder.Options) -> Result<(item: CBOR, consumed: Int), CBORError> {
    do throws(CBORError) {
        return .success(try CBORDecoder.decodePrefix(bytes, options: options))
    } catch {
        return .failure(error)
    }
}

/// Where two values first differ (a path of array indices and map positions), for finding messages.
func firstDifference(_ a: CBOR, _ b: CBOR, _ path: String) -> String {
    if a == b { return "" }
    switch (a, b) {
    case (.array(let x), .array(let y)) where x.count == y.count:
        for (i, (p, q)) in zip(x, y).enumerated() where p != q { return firstDifference(p, q, path + "/\(i)") }
        return "; arrays at \(path) differ but no element does"
    case (.map(let x), .map(let y)) where x.count == y.count:
        for (i, (p, q)) in zip(x, y).enumerated() {
            if p.key != q.key { return firstDifference(p.key, q.key, path + "/key\(i)") }
            if p.value != q.value { return firstDifference(p.value, q.value, path + "/value\(i)") }
        }
        return "; maps at \(path) differ but no pair does: \(CBORDiagnostic.render(a))"
    default:
        return "; first difference at \(path): \(CBORDiagnostic.render(a)) vs \(CBORDiagnostic.render(b))"
    }
}

/// A short description of a decode outcome for finding messages.
func describe(_ r: Result<CBOR, CBORError>) -> String {
    switch r {
    case .success(let v): return "ok \(Hex.encode(CBOREncoder.encode(v)))"
    case .failure(let e): return "error \(e.code) at \(e.offset)"
    }
}

extension CBORError.Code {
    /// The §5.3 validity classes, which only a validity-checking decoder reports.
    var isValidityError: Bool { self == .invalidUTF8 || self == .duplicateKey || self == .invalidTagContent }
    /// The §4.2.1 classes, which only a deterministic decoder reports.
    var isDeterminismError: Bool {
        switch self {
        case .nonShortestInteger, .nonShortestArgument, .nonPreferredFloat, .indefiniteLength, .unsortedKeys:
            return true
        default: return false
        }
    }
    /// Resource limits of the decoder (not properties of the input alone).
    var isLimitError: Bool { self == .depthExceeded || self == .limitExceeded }
}

/// The properties the fuzz targets check, as functions that return a description of the first violated property
/// (or nil) instead of trapping. The `fuzzCBOR…` entry functions are these plus a `fatalError`; the corpus replay
/// tests call these directly so that a regression is reported per file instead of ending the test process.
public enum CBORFuzzChecks {}

/// The input layout of the stream targets (`FuzzLineFramer`, `FuzzCBORStream`): a control byte whose fields each
/// target defines, a seed for the chunking, then the stream. Shorter inputs read missing header bytes as 0.
struct StreamFuzzInput {
    let control: UInt8
    let seed: UInt8
    let stream: [UInt8]

    init(_ bytes: [UInt8]) {
        control = bytes.first ?? 0
        seed = bytes.count > 1 ? bytes[1] : 0
        stream = Array(bytes.dropFirst(2))
    }

    /// Upper bounds on one chunk of the chosen chunking; a target picks one with three bits of `control`.
    static let chunkBounds = [1, 2, 3, 4, 7, 16, 64, 4096]

    /// The ways every stream target feeds `stream`, as chunk sizes that add up to its length (the shape of
    /// swift-nio's ByteToMessageDecoderVerifier): all at once (one append, empty for an empty stream), one byte at a
    /// time, and chunks of 0 to `bound` bytes drawn from `seed` (empty appends included).
    func feedings(bound: Int) -> [(name: String, sizes: [Int])] {
        var chosen: [Int] = []
        var state = (UInt32(seed) &+ 1) &* 0x9E37_79B9  // odd multiplier: never 0, as xorshift needs
        var total = 0
        while total < stream.count {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            // Past 4n + 16 chunks (never in practice) the rest goes in one, so the loop always ends.
            let size = chosen.count > 4 * stream.count + 16 ? stream.count : Int(state % UInt32(bound + 1))
            chosen.append(min(size, stream.count - total))
            total += chosen[chosen.count - 1]
        }
        return [
            ("all at once", [stream.count]),
            ("one byte at a time", [Int](repeating: 1, count: stream.count)),
            ("in chunks of at most \(bound) (seed \(seed))", chosen),
        ]
    }
}

/// A violated property found by a helper of a check, as an `Error` so helpers can return it in a `Result`.
struct FuzzFinding: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
