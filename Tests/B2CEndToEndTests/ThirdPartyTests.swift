import B2CCBOR
import B2CHex
import B2CReport
import B2CTestSupport
import B2CWire
import Foundation
import Testing

/// RFC 7049 canonical order (shorter encoded keys first, then bytewise), applied at every level: the order cbor2's
/// `canonical=True` uses. Used to show that a cbor2 failure is explained by key order and nothing else.
func lengthFirst(_ item: CBOR) -> [UInt8] {
    switch item {
    case .array(let items):
        var out = CBOREncoder.encode(.array([]))
        out = headOnly(4, items.count)
        for i in items { out += lengthFirst(i) }
        return out
    case .map(let pairs):
        var out = headOnly(5, pairs.count)
        let encoded = pairs.map { (lengthFirst($0.key), lengthFirst($0.value)) }.sorted {
            $0.0.count != $1.0.count ? $0.0.count < $1.0.count : $0.0.lexicographicallyPrecedes($1.0)
        }
        for (k, v) in encoded { out += k + v }
        return out
    case .tagged(let tag, let content):
        let head = CBOREncoder.encode(.tagged(tag, .null))
        return Array(head.dropLast()) + lengthFirst(content)
    default:
        return CBOREncoder.encode(item)
    }
}

private func headOnly(_ majorType: UInt8, _ count: Int) -> [UInt8] {
    // The head of an empty container with the right count: encode a container of `count` nulls and keep the head.
    let filler = Array(repeating: CBOR.null, count: count)
    let full = CBOREncoder.encode(majorType == 4 ? .array(filler) : .map(filler.map { CBOR.Pair($0, $0) }))
    return Array(full.prefix(full.count - count * (majorType == 4 ? 1 : 2)))
}

@Suite("Third-party targets", .serialized)
struct ThirdPartyTests {
    @Test("cbor2: exactly its real deviations fail", .enabled(if: hasVenv, "needs .venv with cbor2 (scripts/test)"))
    func cbor2() throws {
        let out = tempDir("cbor2")
        let r = try b2c("run", "--target", "targets/cbor2.json", "--suite", "cbor", "--out", out)
        #expect(r.status == 1, "\(r.stderr)")
        let results = try loadResults(out)
        #expect(results.target.implementation == "cbor2")
        #expect(results.cases(.crash).isEmpty && results.cases(.timeout).isEmpty && results.cases(.error).isEmpty)
        // cbor2 has no deterministic decoding mode: those cases are unsupported, and only those.
        #expect(results.cases(.unsupported).allSatisfy { $0.suite == "cbor_deterministic" })
        #expect(results.cases(.unsupported).count == results.cases.filter { $0.suite == "cbor_deterministic" }.count)
        // Every Appendix F item is rejected.
        #expect(results.cases.filter { $0.suite == "cbor_appendix_f" }.allSatisfy { $0.outcome == .pass })

        let failed = results.cases(.fail)
        let fixed = Set(failed.filter { $0.suite != "cbor_generated" }.map(\.id))
        let expected: Set<String> =
            // loads() ignores bytes after the first item.
            Set((1...8).map { "cbor/cbor_wellformedness/tc\($0)" })
            // Duplicate keys are accepted (the last value wins).
            .union((1...12).map { "cbor/cbor_validity/tc\($0)" })
            // Tag content cbor2 does not check: 0 with a lowercase t/z, 1 with a bool, 4/5 with a bignum exponent,
            // 24 with non-bytes or bytes that are not one item, 32-34 with non-text.
            .union([32, 40, 45, 46, 47, 48, 49, 50].map { "cbor/cbor_validity/tc\($0)" })
            // Tag 1 (epoch time) is re-encoded as tag 0 (a date string).
            .union(["cbor/cbor_appendix_a/tc48", "cbor/cbor_appendix_a/tc49"])
        #expect(
            fixed == expected,
            "unexpected: \(fixed.subtracting(expected).sorted()), missing: \(expected.subtracting(fixed).sorted())"
        )

        // Every generated failure is cbor2's length-first key order and nothing else.
        let generated = failed.filter { $0.suite == "cbor_generated" }
        #expect(!generated.isEmpty)
        for c in generated {
            let want = try #require(c.expected.output?["encoded"].flatMap(Hex.decode))
            let got = try #require(c.actual?.output?["encoded"].flatMap(Hex.decode), "\(c.id): \(c.reason ?? "")")
            let value = try CBORDecoder.decode(want)
            #expect(got == lengthFirst(value), "\(c.id) is not explained by length-first order")
            #expect(got != want)
            // The record says so: in words, and where the encodings part.
            #expect(c.category == "encoded: same items, different map order", "\(c.id): \(c.category ?? "")")
            let firstDifference = Array(zip(want, got)).firstIndex { $0.0 != $0.1 }
            #expect(c.mismatch?.offset != nil && c.mismatch?.offset == firstDifference, "\(c.id)")
        }

        // Each case carries its input as the vector file has it.
        let vectors = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: repoRoot + "/vectors/cbor/cbor_validity_test.json"))
        )
        let groups = (vectors as? [String: Any])?["testGroups"] as? [[String: Any]] ?? []
        let inputs = groups.flatMap { ($0["tests"] as? [[String: Any]]) ?? [] }.reduce(into: [Int: String]()) {
            if let id = $1["tcId"] as? Int, let input = $1["input"] as? String { $0[id] = input }
        }
        #expect(inputs.count > 40)
        for (tcId, hex) in inputs {
            let c = results.cases.first { $0.id == "cbor/cbor_validity/tc\(tcId)" }
            #expect(c?.input?.hex == hex.lowercased() && c?.input?.field == "data", "tc\(tcId)")
            #expect(c?.input?.length == hex.count / 2)
        }

        if chromium != nil { try ReportInBrowser.check(out, results) }
    }

    @Test(
        "libcbor: misses duplicate keys and re-encodes non-preferred forms as they came",
        .enabled(if: FileManager.default.fileExists(atPath: "/usr/include/cbor.h"), "needs libcbor-dev (scripts/test)")
    )
    func libcbor() throws {
        let out = tempDir("libcbor")
        let r = try b2c("run", "--target", "targets/libcbor.json", "--suite", "cbor", "--out", out)
        #expect(r.status == 1, "\(r.stderr)")
        let results = try loadResults(out)
        #expect(results.target.implementation == "libcbor")
        #expect(results.cases(.crash).isEmpty && results.cases(.timeout).isEmpty && results.cases(.error).isEmpty)
        #expect(results.cases.filter { $0.suite == "cbor_appendix_f" }.allSatisfy { $0.outcome == .pass })
        let failed = results.cases(.fail)
        // Duplicate keys: every one accepted.
        let duplicates = results.cases.filter { $0.flags.contains("DuplicateKey") }
        #expect(!duplicates.isEmpty && duplicates.allSatisfy { $0.outcome == .fail })
        // Trailing bytes, UTF-8 and truncation: libcbor gets these right.
        #expect(
            results.cases.filter { $0.flags.contains("TrailingBytes") || $0.flags.contains("InvalidUTF8") }
                .allSatisfy { $0.outcome == .pass }
        )
        var nonShortest = 0
        for c in failed where c.flags.contains("NonPreferred") || c.flags.contains("AppendixA") {
            let want = try #require(c.expected.output?["encoded"].flatMap(Hex.decode))
            let value = try CBORDecoder.decode(want)
            if let got = c.actual?.output?["encoded"].flatMap(Hex.decode) {
                // Same value, other bytes: libcbor keeps argument widths, indefinite lengths and key order.
                #expect(try CBORDecoder.decode(got) == value, "\(c.id)")
                if got.count > want.count { nonShortest += 1 }
            } else {
                // Rejected a valid item: only items holding simple values libcbor 0.8 does not support, or a tag
                // 6–20, which it refuses in the one-byte form (0xc6–0xd4).
                #expect(c.actual?.error == "cbor.malformed", "\(c.id)")
                #expect(containsUnassignedSimple(value) || containsLowTag(value), "\(c.id): \(c.reason ?? "")")
            }
        }
        #expect(nonShortest > 0, "libcbor's re-encoding kept no non-shortest argument")
        // libcbor 0.8 refuses tags 6–20 in the initial byte (COSE_Sign1's 0xd2 among them) and accepts 21–23.
        let immediate = results.cases.filter { $0.flags.contains("ImmediateTag") }
        #expect(immediate.count == 18)
        let refused = Set(
            immediate.filter { $0.outcome == .fail }.compactMap { c -> Int? in
                c.comment.flatMap { Int($0.split(separator: " ")[1]) }
            }
        )
        #expect(refused == Set(6...20))
    }
}

func containsLowTag(_ v: CBOR) -> Bool {
    switch v {
    case .tagged(let t, let c): return (6...20).contains(t) || containsLowTag(c)
    case .array(let a): return a.contains(where: containsLowTag)
    case .map(let m): return m.contains { containsLowTag($0.key) || containsLowTag($0.value) }
    default: return false
    }
}

func containsUnassignedSimple(_ v: CBOR) -> Bool {
    switch v {
    case .simple: return true
    case .array(let a): return a.contains(where: containsUnassignedSimple)
    case .map(let m): return m.contains { containsUnassignedSimple($0.key) || containsUnassignedSimple($0.value) }
    case .tagged(_, let c): return containsUnassignedSimple(c)
    default: return false
    }
}
