import B2CBoot
import B2CImage
import Foundation
import Testing

/// The boot model against the facts: every case of `vectors/boot/boot_swap_test.json` (typed in from mcu-tools/mcuboot
/// `bootutil_public.c` and `loader.c` by the generator, which never runs the model) decoded by ``SwapState`` and judged
/// by ``SwapTable``, or booted by ``BootDevice``.
@Suite("Boot model agrees with the boot vectors")
struct SwapVectorTests {
    static let path =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/vectors/boot/boot_swap_test.json"

    static func groups(_ type: String) throws -> [(parameters: [String: Any], tests: [[String: Any]])] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        return groups.filter { $0["type"] as? String == type }.map { ($0, ($0["tests"] as? [[String: Any]]) ?? []) }
    }

    static func bytes(_ hex: Any?) throws -> [UInt8] {
        let s = try #require(hex as? String)
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(try #require(UInt8(s[i..<j], radix: 16)))
            i = j
        }
        return out
    }

    static func describe(_ s: SwapState) -> String {
        "magic=\(s.magic.rawValue) image_ok=\(s.imageOK.rawValue) copy_done=\(s.copyDone.rawValue)"
            + " swap_type=\(s.swapType) image_num=\(s.imageNumber)"
    }

    @Test("SwapState(reading:layout:) and SwapTable.swapType give each case's decoded trailers and swap type")
    func swapTypes() throws {
        var checked = 0
        for (p, tests) in try Self.groups("BootSwapType") {
            let align = try #require(p["maxAlign"] as? Int)
            let size = try #require(p["slotSize"] as? Int)
            let erased = UInt8(try #require(p["erasedValue"] as? Int))
            let layout = TrailerLayout(maxAlign: align, maxImageSectors: 1)
            for t in tests {
                var states: [SwapState] = []
                for field in ["primary", "secondary"] {
                    let tail = try Self.bytes(t[field])
                    var flash = Flash(areas: [
                        .primary: try FlashArea(sectorSize: size, sectorCount: 1, writeSize: 1, erasedValue: erased)
                    ])
                    try flash.write(.primary, at: size - tail.count, tail)
                    let state = SwapState(reading: try flash.area(.primary), layout: layout)
                    #expect(Self.describe(state) == t[field + "State"] as? String, "tc\(t["tcId"] ?? "") \(field)")
                    states.append(state)
                }
                let type = SwapTable.swapType(primary: states[0], secondary: states[1])
                #expect(type.description == t["swapType"] as? String, "tc\(t["tcId"] ?? ""): \(t["comment"] ?? "")")
                checked += 1
            }
        }
        #expect(checked == 44)
    }

    @Test("BootDevice: set pending, boot; the swap type taken, the version started, a scrambled candidate erased")
    func upgrades() throws {
        var checked = 0
        for (p, tests) in try Self.groups("BootUpgrade") {
            let strategy = try #require(BootConfiguration.Strategy(rawValue: p["strategy"] as? String ?? ""))
            let sectorSize = try #require(p["sectorSize"] as? Int)
            let sectors = try #require(p["slotSectors"] as? Int)
            for t in tests {
                var c = BootConfiguration(
                    strategy: strategy,
                    verifier: ImageVerifier.Configuration(signature: .none),
                    layout: TrailerLayout(maxAlign: try #require(p["maxAlign"] as? Int), maxImageSectors: sectors)
                )
                c.downgradePrevention = try #require(
                    BootConfiguration.DowngradePrevention(rawValue: t["downgradePrevention"] as? String ?? "")
                )
                var d = try BootDevice(
                    configuration: c,
                    sectorSize: sectorSize,
                    slotSectors: sectors,
                    writeSize: try #require(p["writeSize"] as? Int)
                )
                try d.write(slot: .primary, offset: 0, bytes: try Self.bytes(t["primary"]))
                try d.write(slot: .secondary, offset: 0, bytes: try Self.bytes(t["secondary"]))
                try d.setPending(permanent: t["pending"] as? String == "perm")
                let r = try d.boot()
                let id = "\(strategy.rawValue) tc\(t["tcId"] ?? "")"
                #expect(r.swapType.description == t["swapType"] as? String, "\(id)")
                #expect(r.version.description == t["booted"] as? String, "\(id)")
                if t["secondaryAfter"] as? String == "erased" {
                    let a = try d.flash.area(.secondary)
                    #expect(a.isErased(0..<a.size), "\(id)")
                }
                checked += 1
            }
        }
        #expect(checked == 20)
    }
}
