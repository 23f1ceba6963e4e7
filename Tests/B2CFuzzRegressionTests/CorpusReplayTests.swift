import B2CFuzzEntries
import B2CTestSupport
import Foundation
import Testing

private let repoRootURL = URL(fileURLWithPath: repoRoot)

/// One fuzz target: its name (the corpus directory and the regression file prefix), the property check its entry
/// function runs, and the libFuzzer entry function itself.
struct FuzzTarget: Sendable, CustomTestStringConvertible {
    let name: String
    let check: @Sendable ([UInt8]) -> String?
    let entry: @Sendable (UnsafeRawBufferPointer) -> Void
    /// Fewest seeds the committed corpus must replay.
    var minimum = 100
    var testDescription: String { name }

    static let all = [
        FuzzTarget(name: "FuzzCBORDecode", check: CBORFuzzChecks.decode, entry: fuzzCBORDecode),
        FuzzTarget(name: "FuzzCBORRoundTrip", check: CBORFuzzChecks.roundTrip, entry: fuzzCBORRoundTrip),
        FuzzTarget(name: "FuzzCBORDifferential", check: CBORFuzzChecks.differential, entry: fuzzCBORDifferential),
        FuzzTarget(name: "FuzzImageParse", check: ImageFuzzChecks.parse, entry: fuzzImageParse),
        FuzzTarget(name: "FuzzImageVerify", check: ImageFuzzChecks.verify, entry: fuzzImageVerify),
        FuzzTarget(name: "FuzzTLVWalk", check: ImageFuzzChecks.tlvWalk, entry: fuzzTLVWalk),
        // One seed per encrypted vector image (their mutations share the key TLV and body).
        FuzzTarget(name: "FuzzImageDecrypt", check: ImageFuzzChecks.decrypt, entry: fuzzImageDecrypt, minimum: 5),
        // Hand-written streams (scripts/make-corpus: LINE_STREAMS, cbor_stream_seeds), each under four control bytes.
        FuzzTarget(name: "FuzzLineFramer", check: WireFuzzChecks.lineFramer, entry: fuzzLineFramer, minimum: 20),
        FuzzTarget(name: "FuzzCBORStream", check: CBORFuzzChecks.stream, entry: fuzzCBORStream, minimum: 20),
        // Every key of the MCUboot vectors as DER, PEM and cut in half (scripts/make-corpus: key_seeds).
        FuzzTarget(name: "FuzzKeyFile", check: ImageFuzzChecks.keyFile, entry: fuzzKeyFile, minimum: 20),
        // Both slots' trailers of every BootSwapType case of the boot vectors (scripts/make-corpus: boot_seeds).
        FuzzTarget(name: "FuzzBootTrailer", check: BootFuzzChecks.trailer, entry: fuzzBootTrailer, minimum: 40),
        // SMP packets and upload flows (scripts/make-corpus: smp_server_seeds).
        FuzzTarget(name: "FuzzSMPServer", check: SMPServerFuzzChecks.server, entry: fuzzSMPServer, minimum: 20),
        // SMP streams (scripts/make-corpus: smp_frame_seeds) under four control bytes, and SMP messages.
        FuzzTarget(name: "FuzzSMPFrame", check: SMPFuzzChecks.frame, entry: fuzzSMPFrame, minimum: 100),
        FuzzTarget(name: "FuzzSMPMessage", check: SMPFuzzChecks.message, entry: fuzzSMPMessage, minimum: 25),
    ]
}

/// The seed corpus `corpus/<target>/` (must exist and be non-empty) plus `corpus/regressions/<target>-*`.
private func replayFiles(_ target: String) throws -> [URL] {
    let fm = FileManager.default
    let seeds = repoRootURL.appendingPathComponent("corpus").appendingPathComponent(target)
    var isDirectory: ObjCBool = false
    try #require(
        fm.fileExists(atPath: seeds.path, isDirectory: &isDirectory) && isDirectory.boolValue,
        "missing corpus directory \(seeds.path) (scripts/make-corpus writes it)"
    )
    let seedFiles = try fm.contentsOfDirectory(at: seeds, includingPropertiesForKeys: nil)
        .filter { !$0.lastPathComponent.hasPrefix(".") }
    try #require(!seedFiles.isEmpty, "corpus directory \(seeds.path) is empty")
    let regressions = repoRootURL.appendingPathComponent("corpus").appendingPathComponent("regressions")
    let regressionFiles = ((try? fm.contentsOfDirectory(at: regressions, includingPropertiesForKeys: nil)) ?? [])
        .filter { $0.lastPathComponent.hasPrefix(target + "-") }
    return (seedFiles + regressionFiles).sorted { $0.path < $1.path }
}

@Suite("Fuzz corpus replay")
struct CorpusReplayTests {
    @Test(
        "Every seed and regression input passes its fuzz target's checks, without sanitizers",
        arguments: FuzzTarget.all
    )
    func replay(_ target: FuzzTarget) throws {
        var replayed = 0
        for file in try replayFiles(target.name) {
            let bytes = [UInt8](try Data(contentsOf: file))
            // The check is exactly what the entry function runs before it would trap; run it first so that a
            // regression is reported per file instead of ending the test process, then the entry function itself.
            if let finding = target.check(bytes) {
                Issue.record("\(target.name) \(file.lastPathComponent): \(finding)")
            } else {
                bytes.withUnsafeBytes { target.entry($0) }
            }
            replayed += 1
        }
        #expect(replayed >= target.minimum, "only \(replayed) inputs replayed for \(target.name)")
    }

    @Test("The differential's known gaps are each matched exactly, and ordinary inputs agree")
    func differentialGaps() throws {
        func bytes(_ hex: String) throws -> [UInt8] {
            var out: [UInt8] = []
            var i = hex.startIndex
            while i < hex.endIndex {
                let j = hex.index(i, offsetBy: 2)
                out.append(try #require(UInt8(hex[i..<j], radix: 16)))
                i = j
            }
            return out
        }
        let cases: [(String, CBORDifferential.Verdict)] = [
            ("00", .agreement),
            ("ff", .agreement),  // both reject a lone break
            ("0000", .agreement),  // both reject trailing bytes
            ("1c", .agreement),  // both reject reserved additional information
            ("", .agreement),  // both reject empty input
            ("e0", .knownGap(.libcborUnsupportedSimpleValue)),
            ("f820", .knownGap(.libcborUnsupportedSimpleValue)),
            ("f800", .agreement),  // a two-byte simple value below 32 is not well-formed: both reject
            ("c600", .knownGap(.libcborUnassignedTag)),
            ("d80600", .agreement),  // the same tag with a one-byte argument loads
            ("62c328", .knownGap(.libcborInvalidUTF8)),
            ("7f61ff61ffff", .knownGap(.libcborInvalidUTF8)),
            ("9affffffff00", .knownGap(.libcborUpfrontAllocation)),
            ("bb00000001000000000000", .knownGap(.libcborUpfrontAllocation)),
            ("9a0007ffff00", .agreement),  // 524287 elements: libcbor allocates 4 MiB - 8, then runs out of data
            ("9a0008000100", .knownGap(.libcborUpfrontAllocation)),  // 4 MiB + 8
            (String(repeating: "81", count: 2100) + "00", .knownGap(.nestingLimit)),  // libcbor: MEMERROR
            (String(repeating: "81", count: 1025) + "00", .knownGap(.nestingLimit)),
            (String(repeating: "81", count: 1024) + "00", .agreement),  // 1024 arrays; the scalar adds no depth
            (String(repeating: "81", count: 1024) + "5f4100ff", .agreement),  // 1025 open items in libcbor
            (String(repeating: "81", count: 300) + "00", .agreement),  // over .wellFormed's 256, re-checked at 1024
        ]
        for (hex, expected) in cases {
            #expect(CBORDifferential.compare(try bytes(hex)) == expected, "input \(hex.prefix(40))")
        }
    }
}
