import B2CGenerators
import B2CHex
import B2CImage
import Testing

@Suite("Header, version, TLV layout")
struct ParserTests {
    @Test("Version grammar: imgtool's accepted forms; out-of-range parts are errors, not crashes")
    func versions() throws {
        #expect(try ImageVersion(parsing: "1") == ImageVersion(major: 1))
        #expect(try ImageVersion(parsing: "1.2.3+4") == ImageVersion(major: 1, minor: 2, revision: 3, build: 4))
        #expect(try ImageVersion(parsing: "255.255.65535+4294967295").build == 4_294_967_295)
        for bad in [
            "", "01.2.3", "1.2.3.4", "v1", "1.2-rc1", "256.0.0", "1.256.0", "1.0.65536", "1.0.0+4294967296", "1+2",
            "1..2",
        ] {
            #expect(throws: ImageError.self, "\(bad)") { try ImageVersion(parsing: bad) }
        }
    }

    @Test("Version comparison ignores the build number unless asked")
    func compare() throws {
        let a = try ImageVersion(parsing: "1.2.3+4")
        let b = try ImageVersion(parsing: "1.2.3+9")
        #expect(a.compare(to: b) == 0)
        #expect(a.compare(to: b, useBuildNumber: true) == -1)
        #expect(try ImageVersion(parsing: "1.10.0").compare(to: ImageVersion(parsing: "1.9.9")) == 1)
        #expect(try ImageVersion(parsing: "1.2.3").automaticSecurityCounter == 0x0102_0003)
    }

    @Test("A version's successor ranks above it, carrying at 255 and 65535; 255.255.65535 has none")
    func successor() throws {
        for (text, next) in [
            ("1.2.3+7", "1.2.4"), ("1.2.65535", "1.3.0"), ("1.255.65535", "2.0.0"),
            ("255.143.30409+2885383116", "255.143.30410"), ("255.255.65534", "255.255.65535"),
        ] {
            let v = try ImageVersion(parsing: text)
            let s = try #require(v.successor, "\(text)")
            #expect(s == (try ImageVersion(parsing: next)), "\(text)")
            #expect(v.compare(to: s) == -1 && v.compare(to: s, useBuildNumber: true) == -1, "\(text)")
        }
        #expect(try ImageVersion(parsing: "255.255.65535+9").successor == nil)
    }

    @Test("The header's byte layout matches the notes' table (magic 3d b8 f3 96, LE fields)")
    func headerBytes() throws {
        let h = ImageHeader(
            loadAddress: 0x1122_3344,
            headerSize: 0x200,
            protectedTLVSize: 0x0c,
            imageSize: 0x1000,
            flags: [.ramLoad],
            version: ImageVersion(major: 1, minor: 2, revision: 0x0304, build: 0x0506_0708)
        )
        #expect(
            h.bytes == [
                0x3d, 0xb8, 0xf3, 0x96, 0x44, 0x33, 0x22, 0x11, 0x00, 0x02, 0x0c, 0x00, 0x00, 0x10, 0x00, 0x00,
                0x20, 0x00, 0x00, 0x00, 0x01, 0x02, 0x04, 0x03, 0x08, 0x07, 0x06, 0x05, 0x00, 0x00, 0x00, 0x00,
            ]
        )
        #expect(try ImageHeader(parsing: h.bytes) == h)
    }

    @Test("UUIDv5 as imgtool makes them (values observed from imgtool 2.5.0)")
    func uuids() throws {
        let vid = ImageUUID.vendor("example.com")
        #expect(vid == Array(fromHex: "cfbff0d193755685968c48ce8b15ae17"))
        #expect(try ImageUUID.imageClass("mcu-app", vendor: vid) == Array(fromHex: "bf8bfe5aa4935c34a8dbfda978661d3f"))
        #expect(ImageUUID.raw("cfbff0d1-9375-5685-968c-48ce8b15ae17") == vid)
        #expect(throws: ImageError.self) { try ImageUUID.imageClass("mcu-app", vendor: nil) }
    }

    @Test("Trailer magic for each BOOT_MAX_ALIGN and imgtool's trailer sizes (the notes' measured table)")
    func trailer() {
        #expect(ImageTrailer.magic(maxAlign: 16).prefix(4) == [0x10, 0x00, 0x2d, 0xe1])
        #expect(ImageTrailer.magic(maxAlign: 32).prefix(2) == [0x20, 0x00])
        func size(align: Int, maxAlign: Int? = nil, overwrite: Bool = false) -> Int {
            var o = ImageSignOptions(headerSize: 32, version: .init(major: 1), slotSize: 1 << 20)
            o.align = align
            o.maxAlign = maxAlign
            o.overwriteOnly = overwrite
            return ImageTrailer.imgtoolTrailerSize(options: o, encTLVLength: 0)
        }
        #expect(size(align: 1) == 432)
        #expect(size(align: 4) == 1584)
        #expect(size(align: 8) == 3120)
        #expect(size(align: 8, maxAlign: 16) == 3152)
        #expect(size(align: 8, maxAlign: 32) == 3232)
        #expect(size(align: 16) == 6224)
        #expect(size(align: 32) == 12448)
        #expect(size(align: 8, overwrite: true) == 32)
        #expect(size(align: 8, maxAlign: 32, overwrite: true) == 96)
    }

    @Test(
        "Trailer fields land where the notes' table puts them (A = 8: image_ok S-24, copy_done S-32, swap_info S-40, swap_size S-48) and read back"
    )
    func trailerFields() throws {
        var f = ImageTrailer.Fields()
        f.imageOK = true
        f.copyDone = true
        f.swapType = 3
        f.imageIndex = 1
        f.swapSize = 0x0001_2345
        var slot = [UInt8](repeating: 0xff, count: 0x1000)
        try ImageTrailer.write(f, into: &slot, maxAlign: 8)
        let s = slot.count
        #expect(slot[s - 24] == 0x01 && slot[s - 32] == 0x01 && slot[s - 40] == 0x13)
        #expect(Array(slot[(s - 48)..<(s - 44)]) == [0x45, 0x23, 0x01, 0x00])
        #expect(Array(slot[(s - 16)...]) == ImageTrailer.magic8)
        #expect(slot[0..<(s - 48)].allSatisfy { $0 == 0xff })
        let state = try #require(ImageTrailer.State(slot: slot, maxAlign: 8))
        #expect(
            state.magic == .good && state.imageOK == .set && state.copyDone == .set && state.swapType == 3
                && state.imageIndex == 1
        )
        // A = 16 and 32 move image_ok to S-32 and S-64; an A = 8 trailer reads BAD under A = 16.
        for (align, ok) in [(16, 32), (32, 64)] {
            var b = [UInt8](repeating: 0, count: 0x1000)
            var g = ImageTrailer.Fields()
            g.imageOK = true
            try ImageTrailer.write(g, into: &b, maxAlign: align, erasedValue: 0)
            #expect(b[b.count - ok] == 0x01, "A=\(align)")
            #expect(ImageTrailer.State(slot: b, maxAlign: align, erasedValue: 0)?.imageOK == .set)
        }
        #expect(ImageTrailer.State(slot: slot, maxAlign: 16)?.magic == .bad)
    }

    @Test("The parser is total on random bytes and on random headers over a valid tail")
    func totality() {
        var rng = SystemRandomNumberGenerator()
        let valid = fixtures[0].fixture.bytes
        for _ in 0..<3000 {
            var b = valid
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                b[Int.random(in: 0..<min(b.count, 64), using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            _ = try? MCUbootImage(parsing: b)
            _ = try? MCUbootImage(
                parsing: (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            )
        }
    }
}

extension Array where Element == UInt8 {
    init(fromHex s: String) {
        self = Hex.decode(s) ?? []
    }
}
