import B2CImage
import B2CVectors
import B2CWire
import Testing

@Suite("image.verify config: the build's AES size and trailer")
struct ImageCaseConfigTests {
    static let minimal: [String: JSONValue] = ["signature": .string("none"), "hash": .string("sha256")]

    func parse(_ extra: [String: JSONValue]) throws(ImageError) -> ImageVerifier.Configuration {
        try ImageCaseConfig.parse(.object(Self.minimal.merging(extra) { $1 }))
    }

    @Test("Absent members are MCUboot's default build: AES-128, BOOT_MAX_ALIGN 8, write size 8, 128 sectors")
    func defaults() throws {
        let c = try parse([:])
        #expect(c.aesKeyBits == 128)
        #expect(c.trailer == ImageTrailer.Geometry(maxAlign: 8, writeSize: 8, maxImageSectors: 128))
        #expect(c.maxTLVEnd == nil)
        let s = try parse(["slotSize": .int(0x4000)])
        #expect(s.maxTLVEnd == 0x4000 - 3120)
        // An explicit maximum image size is the bound, whatever the trailer.
        #expect(try parse(["slotSize": .int(0x4000), "maxImageSize": .int(100)]).maxTLVEnd == 100)
    }

    @Test("The trailer members round-trip and bound the TLV end; bad values are refused")
    func trailer() throws {
        let c = try parse([
            "slotSize": .int(0x8000), "maxAlign": .int(16), "writeSize": .int(4), "maxImageSectors": .int(64),
        ])
        // 64 x 3 x 4 status + 4 x 16 + ALIGN_UP(16, 16).
        #expect(c.maxTLVEnd == 0x8000 - (768 + 64 + 16))
        let back = try ImageCaseConfig.parse(ImageCaseConfig.json(c))
        #expect(back.trailer == c.trailer && back.slotSize == c.slotSize)
        for bad: [String: JSONValue] in [
            ["maxAlign": .int(4)], ["writeSize": .int(3)], ["aesKeyBits": .int(192)], ["maxImageSectors": .string("8")],
        ] {
            #expect(throws: ImageError.self, "\(bad)") { try parse(bad) }
        }
    }

    @Test("aesKeyBits is written for encryption builds and read back; 256 selects an AES-256 build")
    func aesKeyBits() throws {
        let c = try parse(["aesKeyBits": .int(256)])
        #expect(c.aesKeyBits == 256)
        #expect(ImageCaseConfig.json(c).objectValue?["aesKeyBits"] == .int(256))
        #expect(ImageCaseConfig.json(try parse([:])).objectValue?["aesKeyBits"] == nil)
    }
}
