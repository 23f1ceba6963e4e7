/// What to build: imgtool `sign`'s options, with its defaults.
public struct ImageSignOptions: Sendable {
    public enum PublicKeyFormat: String, Sendable { case hash, full }

    /// `-H/--header-size`.
    public var headerSize: Int
    /// `--pad-header`: prepend the header room (filled with the erased value) instead of requiring zeros.
    public var padHeader = false
    /// `-v/--version`.
    public var version: ImageVersion
    /// `-S/--slot-size`.
    public var slotSize: Int
    /// `-k`: no key gives a hash-only image.
    public var key: ImagePrivateKey?
    /// `--public-key-format`.
    public var publicKeyFormat: PublicKeyFormat = .hash
    /// `--sha`: nil is auto (the key's default, SHA-256 without a key, SHA-512 for pure).
    public var hash: ImageHashAlgorithm?
    /// `--pure`.
    public var pure = false
    /// `--pad-sig` (ECDSA only).
    public var padSignature = false
    /// `-s`.
    public var securityCounter: UInt32?
    /// `-d`.
    public var dependencies: [ImageDependency] = []
    /// `--boot-record` (sw_type, at most 12 characters).
    public var bootRecord: String?
    /// `--vid`, `--cid`: 16 raw bytes each.
    public var vendorID: [UInt8]?
    public var classID: [UInt8]?
    /// `--custom-tlv`, `--custom-tlv-file`, in order.
    public var customTLVs: [(TLVType, [UInt8])] = []
    /// `-L` (sets RAM_LOAD) and `-F` (sets ROM_FIXED); exclusive.
    public var loadAddress: UInt32?
    public var romFixedAddress: UInt32?
    /// `--non-bootable`.
    public var nonBootable = false
    /// `-R/--erased-val`.
    public var erasedValue: UInt8 = 0xff
    /// `--align` (flash write size) and `--max-align` (nil: max(8, align)).
    public var align = 1
    public var maxAlign: Int?
    /// `-M/--max-sectors`.
    public var maxSectors = 128
    /// `--pad`, `--test`, `--confirm` (the last two imply pad), `--overwrite-only`.
    public var pad = false
    public var test = false
    public var confirm = false
    public var overwriteOnly = false
    /// `-E` and friends.
    public var encryption: ImageEncryptionOptions?
    /// A signature made elsewhere over this image's region (imgtool's `--fix-sig`), used instead of signing with
    /// `key` (which still names the public key for KEYHASH). Vector generators use it to pin randomized signatures.
    public var fixedSignature: [UInt8]?

    public init(headerSize: Int, version: ImageVersion, slotSize: Int) {
        self.headerSize = headerSize
        self.version = version
        self.slotSize = slotSize
    }

    public var effectiveMaxAlign: Int { maxAlign ?? max(8, align) }
}

/// A DEPENDENCY TLV (0x40): image `imageID` must be at least `minimumVersion`.
public struct ImageDependency: Hashable, Sendable {
    public var imageID: UInt8
    public var minimumVersion: ImageVersion

    public init(imageID: UInt8, minimumVersion: ImageVersion) {
        self.imageID = imageID
        self.minimumVersion = minimumVersion
    }

    /// The 12-byte payload: id, three zero bytes, major, minor, revision (LE), build (LE).
    public var bytes: [UInt8] {
        var out: [UInt8] = [imageID, 0, 0, 0, minimumVersion.major, minimumVersion.minor]
        out.appendLE16(minimumVersion.revision)
        out.appendLE32(minimumVersion.build)
        return out
    }

    public init?(bytes: ArraySlice<UInt8>) {
        let b = Array(bytes)
        guard b.count == 12, let rev = b.le16(at: 6), let build = b.le32(at: 8) else { return nil }
        self.imageID = b[0]
        self.minimumVersion = ImageVersion(major: b[4], minor: b[5], revision: rev, build: build)
    }

    /// imgtool's `-d "(1, 1.2.3+0), (2, 0.9)"`.
    public static func parseList(_ text: String) throws(ImageError) -> [ImageDependency] {
        var out: [ImageDependency] = []
        var rest = Substring(text).drop(while: \.isWhitespace)
        while !rest.isEmpty {
            guard rest.first == "(", let close = rest.firstIndex(of: ")") else {
                throw ImageError(.badArgument, "dependencies \"\(text)\": expected \"(<image id>, <version>)\"")
            }
            let inner = rest[rest.index(after: rest.startIndex)..<close].split(
                separator: ",",
                omittingEmptySubsequences: false
            )
            guard inner.count == 2 else {
                throw ImageError(.badArgument, "dependencies \"\(text)\": expected \"(<image id>, <version>)\"")
            }
            let idText = inner[0].trimmingWhitespace
            guard let id = UInt8(idText) else {
                throw ImageError(.badArgument, "dependencies \"\(text)\": image id \"\(idText)\" is not 0–255")
            }
            out.append(
                ImageDependency(
                    imageID: id,
                    minimumVersion: try ImageVersion(parsing: String(inner[1].trimmingWhitespace))
                )
            )
            rest = rest[rest.index(after: close)...].drop(while: \.isWhitespace)
            if rest.first == "," { rest = rest.dropFirst().drop(while: \.isWhitespace) }
        }
        guard !out.isEmpty else { throw ImageError(.badArgument, "dependencies \"\(text)\" lists no image") }
        return out
    }
}

extension Substring {
    var trimmingWhitespace: Substring {
        var s = self
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return s
    }
}
