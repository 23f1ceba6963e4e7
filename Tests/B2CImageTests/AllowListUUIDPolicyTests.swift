import B2CImage
import Testing

@Suite("ImageAllowListPolicy: the unprotected area holds only what need not be signed (N20)")
struct AllowListPolicyTests {
    let bootutil = ImageAllowListPolicy(pure: false)

    @Test("A signed image's usual unprotected TLVs meet the list; protected TLVs are not its concern")
    func usual() throws {
        let image = try handImage(
            protected: [(0x50, [1, 0, 0, 0]), (0x74, [UInt8](repeating: 7, count: 16)), (0x00a0, [1])],
            unprotected: [(0x10, [UInt8](repeating: 0, count: 32)), (0x01, [1]), (0x24, [2]), (0x33, [3])]
        )
        #expect(verdict(bootutil.evaluate(image)) == "meets")
    }

    @Test("SEC_CNT, DEPENDENCY, BOOT_RECORD, UUID and vendor TLVs in the unprotected area fail at their entry")
    func protectedKinds() throws {
        for (type, name) in [
            (UInt16(0x50), "SEC_CNT (0x50)"), (0x40, "DEPENDENCY (0x40)"), (0x60, "BOOT_RECORD (0x60)"),
            (0x74, "UUID_VID (0x74)"), (0x75, "UUID_CID (0x75)"), (0x00a0, "VENDOR (0xa0)"), (0x0003, "0x03"),
        ] {
            let image = try handImage(unprotected: [(0x10, [UInt8](repeating: 0, count: 32)), (type, [9])])
            let tlv = try #require(image.tlvs.last)
            #expect(
                verdict(bootutil.check(tlv, in: image))
                    == "image.tlv_not_allowed@72: \(name) is not allowed in the unprotected TLV area"
            )
        }
    }

    @Test("The first disallowed TLV in media order is the answer")
    func firstWins() throws {
        let image = try handImage(unprotected: [(0x01, []), (0x60, [1, 2]), (0x50, [1, 0, 0, 0])])
        // KEYHASH entry at 36 (4 bytes), BOOT_RECORD at 40.
        #expect(
            verdict(bootutil.evaluate(image))
                == "image.tlv_not_allowed@40: BOOT_RECORD (0x60) is not allowed in the unprotected TLV area"
        )
    }

    @Test("SIG_PURE only on a pure build; exactly one X25519 key-transport type, by build")
    func buildVariants() throws {
        let sigPure = try handImage(unprotected: [(0x25, [1])])
        #expect(bootutil.evaluate(sigPure).failure?.code == .tlvNotAllowed)
        #expect(verdict(ImageAllowListPolicy(pure: true).evaluate(sigPure)) == "meets")

        let sha256 = try handImage(unprotected: [(0x33, [1])])
        let sha512 = try handImage(unprotected: [(0x34, [1])])
        #expect(verdict(bootutil.evaluate(sha256)) == "meets")
        #expect(bootutil.evaluate(sha512).failure?.offset == 36)
        let hmac512 = ImageAllowListPolicy(pure: false, x25519HMACSHA512: true)
        #expect(verdict(hmac512.evaluate(sha512)) == "meets")
        #expect(hmac512.evaluate(sha256).failure?.code == .tlvNotAllowed)
    }

    @Test("A custom list lets through exactly its types")
    func custom() throws {
        let policy = ImageAllowListPolicy(allowing: [.sha256])
        #expect(verdict(policy.evaluate(try handImage(unprotected: [(0x10, [0])]))) == "meets")
        #expect(policy.evaluate(try handImage(unprotected: [(0x10, [0]), (0x01, [0])])).failure?.offset == 41)
    }
}

@Suite("ImageUUIDPolicy: UUID_VID / UUID_CID must match the device's (N23)")
struct UUIDPolicyTests {
    let vendor: [UInt8] = [
        0xcf, 0xbf, 0xf0, 0xd1, 0x93, 0x75, 0x56, 0x85, 0x96, 0x8c, 0x48, 0xce, 0x8b, 0x15, 0xae, 0x17,
    ]
    let imageClass = [UInt8](repeating: 0xc1, count: 16)

    @Test("Matching UUIDs meet the policy, in either area")
    func matching() throws {
        let policy = ImageUUIDPolicy(vendorID: vendor, classID: imageClass)
        let image = try handImage(protected: [(0x74, vendor)], unprotected: [(0x75, imageClass)])
        #expect(verdict(policy.evaluate(image)) == "meets")
    }

    @Test("Other bytes or another length fail at the entry")
    func mismatch() throws {
        let policy = ImageUUIDPolicy(vendorID: vendor)
        var other = vendor
        other[15] ^= 1
        for value in [other, Array(vendor.prefix(15)), vendor + [0]] {
            let image = try handImage(protected: [(0x74, value)])
            #expect(
                verdict(policy.evaluate(image))
                    == "image.uuid_mismatch@36: UUID_VID (0x74) does not match the device's UUID"
            )
        }
    }

    @Test("Every copy is checked (N30): a bad second UUID_VID fails at its own entry")
    func duplicates() throws {
        let policy = ImageUUIDPolicy(vendorID: vendor)
        let image = try handImage(protected: [(0x74, vendor), (0x74, imageClass)])
        #expect(policy.evaluate(image).failure?.offset == 56)  // 36 + 4 + 16
    }

    @Test("A checked UUID that is missing fails after the walk, without an offset; an unchecked one is ignored")
    func missing() throws {
        let classOnly = ImageUUIDPolicy(classID: imageClass)
        let vendorTLV = try handImage(protected: [(0x74, [1, 2, 3])])
        #expect(
            verdict(classOnly.evaluate(vendorTLV)) == "image.uuid_mismatch@-: a UUID TLV the device checks is missing"
        )
        #expect(verdict(classOnly.check(vendorTLV.tlvs[0], in: vendorTLV)) == "meets")
        #expect(verdict(ImageUUIDPolicy().evaluate(vendorTLV)) == "meets")
    }
}
