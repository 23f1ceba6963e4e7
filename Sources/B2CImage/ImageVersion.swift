/// An image version `major.minor.revision+build` (u8.u8.u16+u32).
public struct ImageVersion: Hashable, Sendable, CustomStringConvertible {
    public var major: UInt8
    public var minor: UInt8
    public var revision: UInt16
    public var build: UInt32

    public init(major: UInt8, minor: UInt8 = 0, revision: UInt16 = 0, build: UInt32 = 0) {
        self.major = major
        self.minor = minor
        self.revision = revision
        self.build = build
    }

    /// Parses imgtool's grammar `MAJOR[.MINOR[.REVISION[+BUILD]]]`: decimal, no leading zeros, missing parts 0.
    /// Unlike imgtool, a part out of its field's range is an error here, not a crash.
    public init(parsing text: String) throws(ImageError) {
        func part(_ s: Substring, _ name: String, max: UInt64) throws(ImageError) -> UInt64 {
            guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw ImageError(.badArgument, "version \"\(text)\": \(name) \"\(s)\" is not a decimal number")
            }
            guard s == "0" || s.first != "0" else {
                throw ImageError(.badArgument, "version \"\(text)\": \(name) \"\(s)\" has a leading zero")
            }
            guard s.count <= 10, let v = UInt64(s), v <= max else {
                throw ImageError(.badArgument, "version \"\(text)\": \(name) \(s) is above \(max)")
            }
            return v
        }
        let plus = text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        let dotted = plus[0].split(separator: ".", omittingEmptySubsequences: false)
        guard dotted.count <= 3, plus.count == 1 || dotted.count == 3 else {
            throw ImageError(.badArgument, "version \"\(text)\" is not MAJOR[.MINOR[.REVISION[+BUILD]]]")
        }
        major = UInt8(try part(dotted[0], "major", max: 255))
        minor = dotted.count > 1 ? UInt8(try part(dotted[1], "minor", max: 255)) : 0
        revision = dotted.count > 2 ? UInt16(try part(dotted[2], "revision", max: 65535)) : 0
        build = plus.count > 1 ? UInt32(try part(plus[1], "build", max: UInt64(UInt32.max))) : 0
    }

    public var description: String { "\(major).\(minor).\(revision)+\(build)" }

    /// `boot_compare_version`: lexicographic on (major, minor, revision), and the build number only when the
    /// bootloader is built with `MCUBOOT_VERSION_CMP_USE_BUILD_NUMBER`. Returns -1, 0 or 1.
    public func compare(to other: ImageVersion, useBuildNumber: Bool = false) -> Int {
        let a = (major, minor, revision)
        let b = (other.major, other.minor, other.revision)
        if a < b { return -1 }
        if a > b { return 1 }
        guard useBuildNumber, build != other.build else { return 0 }
        return build < other.build ? -1 : 1
    }

    /// The smallest version `boot_compare_version` ranks above this one (build number ignored): the revision, minor
    /// or major one up with the parts after it zeroed; nil for 255.255.65535, above which nothing ranks.
    public var successor: ImageVersion? {
        if revision < .max { return ImageVersion(major: major, minor: minor, revision: revision + 1) }
        if minor < .max { return ImageVersion(major: major, minor: minor + 1) }
        if major < .max { return ImageVersion(major: major + 1) }
        return nil
    }

    /// imgtool's `-s auto`: `major << 24 | minor << 16 | revision` (the build number is ignored).
    public var automaticSecurityCounter: UInt32 {
        UInt32(major) << 24 | UInt32(minor) << 16 | UInt32(revision)
    }
}
