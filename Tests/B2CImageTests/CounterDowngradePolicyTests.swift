import B2CImage
import Testing

@Suite("SecurityCounterPolicy: MCUBOOT_HW_ROLLBACK_PROT's floor (N22, N30)")
struct SecurityCounterPolicyTests {
    @Test("A plain counter value: equal to or above the stored one passes, below fails")
    func values() {
        let policy = SecurityCounterPolicy(floor: 5)
        #expect(verdict(policy.evaluate(counter: 5)) == "meets")
        #expect(verdict(policy.evaluate(counter: 6)) == "meets")
        #expect(verdict(policy.evaluate(counter: .max)) == "meets")
        #expect(
            verdict(policy.evaluate(counter: 4)) == "image.security_counter@-: security counter 4 is below the stored 5"
        )
        #expect(policy.evaluate(counter: 0, at: 99).failure?.offset == 99)
        #expect(verdict(SecurityCounterPolicy(floor: 0).evaluate(counter: 0)) == "meets")
    }

    @Test("SEC_CNT is a u32 LE: 03 00 02 01 is 0x01020003 (imgtool -s auto of 1.2.3)")
    func littleEndian() throws {
        let image = try handImage(protected: [(0x50, [0x03, 0x00, 0x02, 0x01])])
        #expect(verdict(SecurityCounterPolicy(floor: 0x0102_0003).evaluate(image)) == "meets")
        #expect(
            verdict(SecurityCounterPolicy(floor: 0x0102_0004).evaluate(image))
                == "image.security_counter@40: security counter 16908291 is below the stored 16908292"
        )
    }

    @Test("A SEC_CNT of another length fails at its entry, whatever its value")
    func length() throws {
        for value in [[], [9, 0, 0], [9, 0, 0, 0, 0]] as [[UInt8]] {
            let image = try handImage(protected: [(0x50, value)])
            #expect(
                verdict(SecurityCounterPolicy(floor: 0).evaluate(image))
                    == "image.security_counter@36: SEC_CNT is \(value.count) bytes, not 4"
            )
        }
    }

    @Test("Every copy is checked, in either area: one low copy fails at its value")
    func duplicates() throws {
        let policy = SecurityCounterPolicy(floor: 5)
        let twoProtected = try handImage(protected: [(0x50, [9, 0, 0, 0]), (0x50, [2, 0, 0, 0])])
        #expect(
            verdict(policy.evaluate(twoProtected))
                == "image.security_counter@48: security counter 2 is below the stored 5"
        )
        // Protected area 32..<44; the unprotected info at 44, its entry at 48, the value at 52.
        let unprotectedLow = try handImage(protected: [(0x50, [9, 0, 0, 0])], unprotected: [(0x50, [2, 0, 0, 0])])
        #expect(policy.evaluate(unprotectedLow).failure?.offset == 52)
    }

    @Test("An image without SEC_CNT fails after the walk; other TLVs are not its concern")
    func missing() throws {
        let image = try handImage(protected: [(0x74, [1])], unprotected: [(0x10, [2])])
        #expect(
            verdict(SecurityCounterPolicy(floor: 0).evaluate(image))
                == "image.security_counter@-: no SEC_CNT TLV and hardware rollback protection is on"
        )
        #expect(image.tlvs.allSatisfy { verdict(SecurityCounterPolicy(floor: 0).check($0, in: image)) == "meets" })
    }
}

@Suite("DowngradePolicy: MCUBOOT_DOWNGRADE_PREVENTION against the running version (N27)")
struct DowngradePolicyTests {
    let running = ImageVersion(major: 1, minor: 2, revision: 3, build: 4)

    @Test("Older fails; equal and newer pass; the build number counts only when the build compares it")
    func versions() {
        let policy = DowngradePolicy(runningVersion: running)
        #expect(
            verdict(policy.evaluate(version: ImageVersion(major: 1, minor: 2, revision: 2, build: 9)))
                == "image.downgrade@20: version 1.2.2+9 is older than the running 1.2.3+4"
        )
        #expect(
            policy.evaluate(version: ImageVersion(major: 0, minor: 255, revision: 65535)).failure?.code == .downgrade
        )
        #expect(verdict(policy.evaluate(version: ImageVersion(major: 1, minor: 2, revision: 3))) == "meets")
        #expect(verdict(policy.evaluate(version: ImageVersion(major: 1, minor: 2, revision: 3, build: 9))) == "meets")
        #expect(verdict(policy.evaluate(version: ImageVersion(major: 1, minor: 10))) == "meets")
        #expect(verdict(policy.evaluate(version: ImageVersion(major: 2))) == "meets")

        let withBuild = DowngradePolicy(runningVersion: running, compareBuildNumber: true)
        #expect(
            verdict(withBuild.evaluate(version: ImageVersion(major: 1, minor: 2, revision: 3, build: 3)))
                == "image.downgrade@20: version 1.2.3+3 is older than the running 1.2.3+4"
        )
        #expect(verdict(withBuild.evaluate(version: running)) == "meets")
        #expect(
            verdict(withBuild.evaluate(version: ImageVersion(major: 1, minor: 2, revision: 2, build: 99))) != "meets"
        )
    }

    @Test("On an image it judges the header's version bytes (major, minor, revision LE, build LE)")
    func image() throws {
        // 1.2.0x0100+5 = 1.2.256+5
        let image = try handImage(version: [1, 2, 0x00, 0x01, 5, 0, 0, 0], unprotected: [(0x50, [0])])
        #expect(
            verdict(DowngradePolicy(runningVersion: ImageVersion(major: 1, minor: 2, revision: 256)).evaluate(image))
                == "meets"
        )
        #expect(
            verdict(DowngradePolicy(runningVersion: ImageVersion(major: 1, minor: 2, revision: 257)).evaluate(image))
                == "image.downgrade@20: version 1.2.256+5 is older than the running 1.2.257+0"
        )
    }
}
