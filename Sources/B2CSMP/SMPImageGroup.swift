import B2CCBOR

// Image management (group 1). Field names and types as Zephyr's img_mgmt reads and writes them.

/// Image state read (command 0, read).
public struct SMPImageStateReadRequest: SMPEmptyRequestBody {
    public static let group = SMPGroup.image
    public static let command = SMPCommandID.Image.state
    public static let op = SMPOp.read
    public init() {}
}

/// Image state write (command 0, write): `hash` (32-byte bstr, the image's SHA-256 TLV) and `confirm`.
public struct SMPImageStateWriteRequest: SMPRequestBody {
    public static let group = SMPGroup.image
    public static let command = SMPCommandID.Image.state
    public static let op = SMPOp.write
    public var hash: [UInt8]?
    public var confirm: Bool?
    public init(hash: [UInt8]? = nil, confirm: Bool? = nil) {
        self.hash = hash
        self.confirm = confirm
    }
    public init(map: SMPMap) throws(SMPError) {
        hash = try map.bytes("hash")
        confirm = try map.bool("confirm")
    }
    /// A zero-length `hash` means "no hash" (Zephyr); whether `confirm` is true.
    public var effectiveHash: [UInt8]? { hash?.isEmpty == false ? hash : nil }
    public var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("hash", hash.map { .bytes($0) })
        b.put("confirm", confirm.map { .bool($0) })
        return b.cbor
    }
}

/// One slot of the image list. Flags may be absent (frugal lists); absent means false.
public struct SMPImageSlotState: Hashable, Sendable {
    public var image: UInt32?
    public var slot: UInt32
    public var version: String
    public var hash: [UInt8]?
    public var bootable: Bool?
    public var pending: Bool?
    public var confirmed: Bool?
    public var active: Bool?
    public var permanent: Bool?

    public init(
        image: UInt32? = nil,
        slot: UInt32,
        version: String,
        hash: [UInt8]? = nil,
        bootable: Bool? = nil,
        pending: Bool? = nil,
        confirmed: Bool? = nil,
        active: Bool? = nil,
        permanent: Bool? = nil
    ) {
        self.image = image
        self.slot = slot
        self.version = version
        self.hash = hash
        self.bootable = bootable
        self.pending = pending
        self.confirmed = confirmed
        self.active = active
        self.permanent = permanent
    }

    init(map m: SMPMap) throws(SMPError) {
        image = try m.uint32("image")
        slot = try m.uint32("slot", required: true) ?? 0
        version = try m.text("version", required: true) ?? ""
        hash = try m.bytes("hash")
        bootable = try m.bool("bootable")
        pending = try m.bool("pending")
        confirmed = try m.bool("confirmed")
        active = try m.bool("active")
        permanent = try m.bool("permanent")
    }

    var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("image", image.map { .unsigned(UInt64($0)) })
        b.put("slot", .unsigned(UInt64(slot)))
        b.put("version", .text(version))
        b.put("hash", hash.map { .bytes($0) })
        b.put("bootable", bootable.map { .bool($0) })
        b.put("pending", pending.map { .bool($0) })
        b.put("confirmed", confirmed.map { .bool($0) })
        b.put("active", active.map { .bool($0) })
        b.put("permanent", permanent.map { .bool($0) })
        return b.cbor
    }
}

/// Image state response (to read and to write): `images`, then `splitStatus` (absent in frugal lists).
public struct SMPImageStateResponse: SMPResponseBody {
    public static let group = SMPGroup.image
    public static let command = SMPCommandID.Image.state
    public static let op = SMPOp.read
    public var images: [SMPImageSlotState]
    public var splitStatus: Int64?
    public init(images: [SMPImageSlotState], splitStatus: Int64? = nil) {
        self.images = images
        self.splitStatus = splitStatus
    }
    public init(map: SMPMap) throws(SMPError) {
        images = try readArray(map, "images") { (m: SMPMap) throws(SMPError) in try SMPImageSlotState(map: m) }
        splitStatus = try map.int("splitStatus")
    }
    public var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("images", .array(images.map(\.cbor)))
        b.put("splitStatus", splitStatus.map { .int($0) })
        return b.cbor
    }
}

/// Reads the array under `key` whose elements are maps.
func readArray<T>(_ map: SMPMap, _ key: String, _ f: (SMPMap) throws(SMPError) -> T) throws(SMPError) -> [T] {
    var out: [T] = []
    for item in try map.array(key, required: true) ?? [] {
        guard case .map = item else {
            throw SMPError(.wrongType, at: map.offset, "an entry of \"\(key)\" is not a map")
        }
        out.append(try f(SMPMap(item, offset: map.offset)))
    }
    return out
}

/// Image upload (command 1, write). The first chunk (`off` 0) carries `len` and optionally `sha`, `image`,
/// `upgrade`; later chunks need only `off` and `data`.
public struct SMPImageUploadRequest: SMPRequestBody {
    public static let group = SMPGroup.image
    public static let command = SMPCommandID.Image.upload
    public static let op = SMPOp.write
    /// Absent `off` is Zephyr's group error 20 INVALID_OFFSET, which a server reports, so it is optional here.
    public var off: UInt32?
    public var data: [UInt8]?
    public var len: UInt32?
    public var sha: [UInt8]?
    public var image: UInt32?
    public var upgrade: Bool?

    public init(
        off: UInt32?,
        data: [UInt8]?,
        len: UInt32? = nil,
        sha: [UInt8]? = nil,
        image: UInt32? = nil,
        upgrade: Bool? = nil
    ) {
        self.off = off
        self.data = data
        self.len = len
        self.sha = sha
        self.image = image
        self.upgrade = upgrade
    }

    public init(map: SMPMap) throws(SMPError) {
        off = try map.uint32("off")
        data = try map.bytes("data")
        len = try map.uint32("len")
        sha = try map.bytes("sha")
        image = try map.uint32("image")
        upgrade = try map.bool("upgrade")
    }

    public var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("image", image.map { .unsigned(UInt64($0)) })
        b.put("len", len.map { .unsigned(UInt64($0)) })
        b.put("off", off.map { .unsigned(UInt64($0)) })
        b.put("sha", sha.map { .bytes($0) })
        b.put("data", data.map { .bytes($0) })
        b.put("upgrade", upgrade.map { .bool($0) })
        return b.cbor
    }
}

/// Image upload response: `off` (the next offset the server expects), `match` on the final chunk.
public struct SMPImageUploadResponse: SMPResponseBody {
    public static let group = SMPGroup.image
    public static let command = SMPCommandID.Image.upload
    public static let op = SMPOp.write
    public var off: UInt32
    public var match: Bool?
    public init(off: UInt32, match: Bool? = nil) {
        self.off = off
        self.match = match
    }
    public init(map: SMPMap) throws(SMPError) {
        off = try map.uint32("off", required: true) ?? 0
        match = try map.bool("match")
    }
    public var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("off", .unsigned(UInt64(off)))
        b.put("match", match.map { .bool($0) })
        return b.cbor
    }
}

/// Image erase (command 5, write): optional `slot` (default: the inactive slot, 1).
public struct SMPImageEraseRequest: SMPRequestBody {
    public static let group = SMPGroup.image
    public static let command = SMPCommandID.Image.erase
    public static let op = SMPOp.write
    public static var acceptsEmptyData: Bool { true }
    public var slot: UInt32?
    public init(slot: UInt32? = nil) { self.slot = slot }
    public init(map: SMPMap) throws(SMPError) { slot = try map.uint32("slot") }
    public var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("slot", slot.map { .unsigned(UInt64($0)) })
        return b.cbor
    }
}

/// Image erase response: `{}`.
public struct SMPImageEraseResponse: SMPEmptyResponseBody {
    public static let group = SMPGroup.image
    public static let command = SMPCommandID.Image.erase
    public static let op = SMPOp.write
    public init() {}
}

/// Slot info (command 6, read).
public struct SMPSlotInfoRequest: SMPEmptyRequestBody {
    public static let group = SMPGroup.image
    public static let command = SMPCommandID.Image.slotInfo
    public static let op = SMPOp.read
    public init() {}
}

/// One slot in slot info: `slot`, `size`, optional `upload_image_id`.
public struct SMPSlotInfoSlot: Hashable, Sendable {
    public var slot: UInt32
    public var size: UInt64
    public var uploadImageID: UInt32?
    public init(slot: UInt32, size: UInt64, uploadImageID: UInt32? = nil) {
        self.slot = slot
        self.size = size
        self.uploadImageID = uploadImageID
    }
}

/// One image in slot info: `image`, `slots`, optional `max_image_size`.
public struct SMPSlotInfoImage: Hashable, Sendable {
    public var image: UInt32
    public var slots: [SMPSlotInfoSlot]
    public var maxImageSize: UInt64?
    public init(image: UInt32, slots: [SMPSlotInfoSlot], maxImageSize: UInt64? = nil) {
        self.image = image
        self.slots = slots
        self.maxImageSize = maxImageSize
    }
}

/// Slot info response: `images`.
public struct SMPSlotInfoResponse: SMPResponseBody {
    public static let group = SMPGroup.image
    public static let command = SMPCommandID.Image.slotInfo
    public static let op = SMPOp.read
    public var images: [SMPSlotInfoImage]
    public init(images: [SMPSlotInfoImage]) { self.images = images }
    public init(map: SMPMap) throws(SMPError) {
        images = try readArray(map, "images") { (m: SMPMap) throws(SMPError) in
            SMPSlotInfoImage(
                image: try m.uint32("image", required: true) ?? 0,
                slots: try readArray(m, "slots") { (s: SMPMap) throws(SMPError) in
                    SMPSlotInfoSlot(
                        slot: try s.uint32("slot", required: true) ?? 0,
                        size: try s.uint("size", max: .max, required: true) ?? 0,
                        uploadImageID: try s.uint32("upload_image_id")
                    )
                },
                maxImageSize: try m.uint("max_image_size", max: .max)
            )
        }
    }
    public var cbor: CBOR {
        .map([
            CBOR.Pair(
                .text("images"),
                .array(
                    images.map { img in
                        var b = SMPMapBuilder()
                        b.put("image", .unsigned(UInt64(img.image)))
                        b.put(
                            "slots",
                            .array(
                                img.slots.map { s in
                                    var sb = SMPMapBuilder()
                                    sb.put("slot", .unsigned(UInt64(s.slot)))
                                    sb.put("size", .unsigned(s.size))
                                    sb.put("upload_image_id", s.uploadImageID.map { .unsigned(UInt64($0)) })
                                    return sb.cbor
                                }
                            )
                        )
                        b.put("max_image_size", img.maxImageSize.map { .unsigned($0) })
                        return b.cbor
                    }
                )
            )
        ])
    }
}
