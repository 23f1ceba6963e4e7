import B2CCBOR

/// An SMP-level return code (`MGMT_ERR_*`): the `rc` of a v1 error, and of SMP-level errors in v2.
public struct SMPReturnCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    public static let ok = SMPReturnCode(0)
    public static let unknown = SMPReturnCode(1)
    public static let noMemory = SMPReturnCode(2)
    public static let invalid = SMPReturnCode(3)
    public static let timeout = SMPReturnCode(4)
    public static let noEntry = SMPReturnCode(5)
    public static let badState = SMPReturnCode(6)
    public static let messageSize = SMPReturnCode(7)
    public static let notSupported = SMPReturnCode(8)
    public static let corrupt = SMPReturnCode(9)
    public static let busy = SMPReturnCode(10)
    public static let accessDenied = SMPReturnCode(11)
    public static let unsupportedTooOld = SMPReturnCode(12)
    public static let unsupportedTooNew = SMPReturnCode(13)
    /// Application-defined codes start here.
    public static let perUser = SMPReturnCode(256)

    static let names = [
        "EOK", "EUNKNOWN", "ENOMEM", "EINVAL", "ETIMEOUT", "ENOENT", "EBADSTATE", "EMSGSIZE", "ENOTSUP", "ECORRUPT",
        "EBUSY", "EACCESSDENIED", "UNSUPPORTED_TOO_OLD", "UNSUPPORTED_TOO_NEW",
    ]

    /// The `MGMT_ERR_` name without its prefix, `EPERUSER+n` from 256 on, nil for unassigned values.
    public var name: String? {
        if rawValue >= 0, rawValue < Int64(Self.names.count) { return Self.names[Int(rawValue)] }
        if rawValue >= 256 { return "EPERUSER+\(rawValue - 256)" }
        return nil
    }

    public var description: String { name.map { "\(rawValue) \($0)" } ?? "\(rawValue)" }
}

/// A group-specific error of SMP v2: `{"err": {"group": g, "rc": n}}`.
public struct SMPGroupError: Hashable, Sendable, CustomStringConvertible {
    public var group: SMPGroup
    public var rc: UInt64

    public init(group: SMPGroup, rc: UInt64) {
        self.group = group
        self.rc = rc
    }

    /// The group's name for the code (`img_mgmt_err_code_t`, `os_mgmt_err_code_t`, …), nil if not known.
    public var name: String? {
        guard let table = Self.names[group.rawValue], rc < UInt64(table.count) else { return nil }
        return table[Int(rc)]
    }

    /// The legacy `MGMT_ERR_*` code a Zephyr server sends instead, for a version-0 (SMP v1) request: the group's
    /// translation function (image and OS groups; `img_mgmt.c`, `os_mgmt.c`), else 1 EUNKNOWN.
    public var legacyReturnCode: SMPReturnCode {
        if rc == 0 { return .ok }
        switch group {
        case .image:
            switch rc {
            case SMPImageErrorCode.noImage, SMPImageErrorCode.noTLVs: return .noEntry
            case SMPImageErrorCode.noFreeSlot, SMPImageErrorCode.currentVersionIsNewer,
                SMPImageErrorCode.imageAlreadyPending:
                return .badState
            case SMPImageErrorCode.noFreeMemory: return .noMemory
            case SMPImageErrorCode.invalidSlot, SMPImageErrorCode.invalidPageOffset, SMPImageErrorCode.invalidOffset,
                SMPImageErrorCode.invalidLength, SMPImageErrorCode.invalidImageHeader, SMPImageErrorCode.invalidHash,
                SMPImageErrorCode.invalidFlashAddress:
                return .invalid
            default: return .unknown
            }
        case .os:
            switch rc {
            case SMPOSErrorCode.invalidFormat: return .invalid
            case SMPOSErrorCode.queryYieldsNoAnswer, SMPOSErrorCode.rtcNotSet: return .noEntry
            default: return .unknown
            }
        default:
            return .unknown
        }
    }

    static let names: [UInt16: [String]] = [
        0: [
            "OK", "UNKNOWN", "INVALID_FORMAT", "QUERY_YIELDS_NO_ANSWER", "RTC_NOT_SET", "RTC_COMMAND_FAILED",
            "QUERY_RESPONSE_VALUE_NOT_VALID", "HEAP_STATS_FETCH_FAILED",
        ],
        1: [
            "OK", "UNKNOWN", "FLASH_CONFIG_QUERY_FAIL", "NO_IMAGE", "NO_TLVS", "INVALID_TLV",
            "TLV_MULTIPLE_HASHES_FOUND", "TLV_INVALID_SIZE", "HASH_NOT_FOUND", "NO_FREE_SLOT", "FLASH_OPEN_FAILED",
            "FLASH_READ_FAILED", "FLASH_WRITE_FAILED", "FLASH_ERASE_FAILED", "INVALID_SLOT", "NO_FREE_MEMORY",
            "FLASH_CONTEXT_ALREADY_SET", "FLASH_CONTEXT_NOT_SET", "FLASH_AREA_DEVICE_NULL", "INVALID_PAGE_OFFSET",
            "INVALID_OFFSET", "INVALID_LENGTH", "INVALID_IMAGE_HEADER", "INVALID_IMAGE_HEADER_MAGIC", "INVALID_HASH",
            "INVALID_FLASH_ADDRESS", "VERSION_GET_FAILED", "CURRENT_VERSION_IS_NEWER", "IMAGE_ALREADY_PENDING",
            "INVALID_IMAGE_VECTOR_TABLE", "INVALID_IMAGE_TOO_LARGE", "INVALID_IMAGE_DATA_OVERRUN",
            "IMAGE_CONFIRMATION_DENIED", "IMAGE_SETTING_TEST_TO_ACTIVE_DENIED", "ACTIVE_SLOT_NOT_KNOWN",
        ],
        2: ["OK", "UNKNOWN", "INVALID_GROUP", "INVALID_STAT_NAME", "INVALID_STAT_SIZE", "WALK_ABORTED"],
        3: [
            "OK", "UNKNOWN", "KEY_TOO_LONG", "KEY_NOT_FOUND", "READ_NOT_SUPPORTED", "ROOT_KEY_NOT_FOUND",
            "WRITE_NOT_SUPPORTED", "DELETE_NOT_SUPPORTED", "SAVE_NOT_SUPPORTED",
        ],
        8: [
            "OK", "UNKNOWN", "FILE_INVALID_NAME", "FILE_NOT_FOUND", "FILE_IS_DIRECTORY", "FILE_OPEN_FAILED",
            "FILE_SEEK_FAILED", "FILE_READ_FAILED", "FILE_TRUNCATE_FAILED", "FILE_DELETE_FAILED", "FILE_WRITE_FAILED",
            "FILE_OFFSET_NOT_VALID", "FILE_OFFSET_LARGER_THAN_FILE", "CHECKSUM_HASH_NOT_FOUND", "MOUNT_POINT_NOT_FOUND",
            "READ_ONLY_FILESYSTEM", "FILE_EMPTY",
        ],
        9: ["OK", "UNKNOWN", "COMMAND_TOO_LONG", "EMPTY_COMMAND"],
        10: ["OK", "UNKNOWN", "TOO_MANY_GROUP_ENTRIES", "INSUFFICIENT_HEAP_FOR_ENTRIES", "INDEX_TOO_LARGE"],
        63: ["OK", "UNKNOWN", "FLASH_OPEN_FAILED", "FLASH_CONFIG_QUERY_FAIL", "FLASH_ERASE_FAILED"],
    ]

    public var description: String { "group \(group.rawValue) rc \(rc)" + (name.map { " \($0)" } ?? "") }
}

/// Image group (1) return codes, `img_mgmt_err_code_t`.
public enum SMPImageErrorCode {
    public static let ok: UInt64 = 0
    public static let unknown: UInt64 = 1
    public static let flashConfigQueryFail: UInt64 = 2
    public static let noImage: UInt64 = 3
    public static let noTLVs: UInt64 = 4
    public static let invalidTLV: UInt64 = 5
    public static let tlvMultipleHashesFound: UInt64 = 6
    public static let tlvInvalidSize: UInt64 = 7
    public static let hashNotFound: UInt64 = 8
    public static let noFreeSlot: UInt64 = 9
    public static let flashOpenFailed: UInt64 = 10
    public static let flashReadFailed: UInt64 = 11
    public static let flashWriteFailed: UInt64 = 12
    public static let flashEraseFailed: UInt64 = 13
    public static let invalidSlot: UInt64 = 14
    public static let noFreeMemory: UInt64 = 15
    public static let flashContextAlreadySet: UInt64 = 16
    public static let flashContextNotSet: UInt64 = 17
    public static let flashAreaDeviceNull: UInt64 = 18
    public static let invalidPageOffset: UInt64 = 19
    public static let invalidOffset: UInt64 = 20
    public static let invalidLength: UInt64 = 21
    public static let invalidImageHeader: UInt64 = 22
    public static let invalidImageHeaderMagic: UInt64 = 23
    public static let invalidHash: UInt64 = 24
    public static let invalidFlashAddress: UInt64 = 25
    public static let versionGetFailed: UInt64 = 26
    public static let currentVersionIsNewer: UInt64 = 27
    public static let imageAlreadyPending: UInt64 = 28
    public static let invalidImageVectorTable: UInt64 = 29
    public static let invalidImageTooLarge: UInt64 = 30
    public static let invalidImageDataOverrun: UInt64 = 31
    public static let imageConfirmationDenied: UInt64 = 32
    public static let imageSettingTestToActiveDenied: UInt64 = 33
    public static let activeSlotNotKnown: UInt64 = 34
}

/// OS group (0) return codes, `os_mgmt_err_code_t`.
public enum SMPOSErrorCode {
    public static let ok: UInt64 = 0
    public static let unknown: UInt64 = 1
    public static let invalidFormat: UInt64 = 2
    public static let queryYieldsNoAnswer: UInt64 = 3
    public static let rtcNotSet: UInt64 = 4
    public static let rtcCommandFailed: UInt64 = 5
    public static let queryResponseValueNotValid: UInt64 = 6
    public static let heapStatsFetchFailed: UInt64 = 7
}

/// How a response says it went: success (no `rc`, or the legacy `"rc": 0`), an SMP-level `{"rc": n}` (with the
/// optional `"rsn"` text), or a v2 group error.
public enum SMPStatus: Hashable, Sendable, CustomStringConvertible {
    case ok
    case rc(SMPReturnCode, reason: String?)
    case group(SMPGroupError)

    public var isSuccess: Bool { self == .ok }

    /// What a server writes for this status when answering a request of `version`: a group error becomes
    /// `{"rc": legacy}` for a v1 (version 0) request and `{"err": …}` otherwise; `.ok` is the empty map.
    public func body(answering version: SMPVersion) -> CBOR {
        switch self {
        case .ok:
            return .map([])
        case .rc(let rc, let reason):
            var pairs = [CBOR.Pair(.text("rc"), .int(rc.rawValue))]
            if let reason { pairs.append(CBOR.Pair(.text("rsn"), .text(reason))) }
            return .map(pairs)
        case .group(let e):
            if version == .v1 { return .map([CBOR.Pair(.text("rc"), .int(e.legacyReturnCode.rawValue))]) }
            return .map([
                CBOR.Pair(
                    .text("err"),
                    .map([
                        CBOR.Pair(.text("group"), .unsigned(UInt64(e.group.rawValue))),
                        CBOR.Pair(.text("rc"), .unsigned(e.rc)),
                    ])
                )
            ])
        }
    }

    /// Reads the status of a response map: an `err` map (v2) wins over `rc`; `rc` 0 and `err.rc` 0 are success.
    public init(map: SMPMap) throws(SMPError) {
        if let err = try map.map("err") {
            let group = try err.uint("group", max: UInt64(UInt16.max), required: true) ?? 0
            let rc = try err.uint("rc", max: UInt64.max, required: true) ?? 0
            self = rc == 0 ? .ok : .group(SMPGroupError(group: SMPGroup(UInt16(group)), rc: rc))
            return
        }
        if let rc = try map.int("rc") {
            self = rc == 0 ? .ok : .rc(SMPReturnCode(rc), reason: try map.text("rsn"))
            return
        }
        self = .ok
    }

    public var description: String {
        switch self {
        case .ok: return "ok"
        case .rc(let rc, let reason): return "rc \(rc)" + (reason.map { " (\($0))" } ?? "")
        case .group(let e): return "err \(e)"
        }
    }
}
