/// The op field (bits 2…0 of header byte 0). Any 3-bit value is representable, so decoding a header never fails on it.
public struct SMPOp: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    /// Keeps the low three bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x07 }

    public static let read = SMPOp(rawValue: 0)
    public static let readResponse = SMPOp(rawValue: 1)
    public static let write = SMPOp(rawValue: 2)
    public static let writeResponse = SMPOp(rawValue: 3)

    /// Read or write: what a server answers.
    public var isRequest: Bool { self == .read || self == .write }
    /// Read or write response.
    public var isResponse: Bool { self == .readResponse || self == .writeResponse }
    /// The op of the answer to this request (request op + 1); nil for anything but read and write.
    public var response: SMPOp? { isRequest ? SMPOp(rawValue: rawValue + 1) : nil }

    public var description: String {
        switch rawValue {
        case 0: return "read"
        case 1: return "read-response"
        case 2: return "write"
        case 3: return "write-response"
        default: return "op\(rawValue)"
        }
    }
}

/// The version field (bits 4…3 of header byte 0): 0 is the original protocol ("SMP version 1", `{"rc": n}` errors),
/// 1 is "SMP version 2" (`{"err": {"group", "rc"}}` for group errors); 2 and 3 are reserved.
public struct SMPVersion: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    /// Keeps the low two bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x03 }

    public static let v1 = SMPVersion(rawValue: 0)
    public static let v2 = SMPVersion(rawValue: 1)

    public var description: String { rawValue <= 1 ? "v\(rawValue + 1)" : "reserved version bits \(rawValue)" }
}

/// A management group id (header bytes 4–5).
public struct SMPGroup: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let os = SMPGroup(0)
    public static let image = SMPGroup(1)
    public static let stat = SMPGroup(2)
    public static let settings = SMPGroup(3)
    public static let log = SMPGroup(4)
    public static let crash = SMPGroup(5)
    public static let split = SMPGroup(6)
    public static let run = SMPGroup(7)
    public static let fs = SMPGroup(8)
    public static let shell = SMPGroup(9)
    public static let enumeration = SMPGroup(10)
    public static let transport = SMPGroup(11)
    /// Zephyr's own groups count down from 63.
    public static let zephyrBasic = SMPGroup(63)
    /// Groups from 64 on are per-user; their data need not be CBOR.
    public static let perUser = SMPGroup(64)

    /// Groups below 64 always carry a CBOR map.
    public var carriesCBORMap: Bool { rawValue < 64 }

    public var description: String {
        switch rawValue {
        case 0: return "os"
        case 1: return "image"
        case 2: return "stat"
        case 3: return "settings"
        case 8: return "fs"
        case 9: return "shell"
        case 10: return "enum"
        case 11: return "transport"
        case 63: return "zephyr-basic"
        default: return "group \(rawValue)"
        }
    }
}

/// Command ids (header byte 7), per group.
public enum SMPCommandID {
    /// Group 0.
    public enum OS {
        public static let echo: UInt8 = 0
        public static let consoleEchoControl: UInt8 = 1
        public static let taskStats: UInt8 = 2
        public static let memoryPoolStats: UInt8 = 3
        public static let dateTime: UInt8 = 4
        public static let reset: UInt8 = 5
        public static let mcumgrParameters: UInt8 = 6
        public static let applicationInfo: UInt8 = 7
        public static let bootloaderInfo: UInt8 = 8
    }

    /// Group 1.
    public enum Image {
        public static let state: UInt8 = 0
        public static let upload: UInt8 = 1
        public static let file: UInt8 = 2
        public static let coreList: UInt8 = 3
        public static let coreLoad: UInt8 = 4
        public static let erase: UInt8 = 5
        public static let slotInfo: UInt8 = 6
    }

    /// Group 2.
    public enum Stat {
        public static let groupData: UInt8 = 0
        public static let list: UInt8 = 1
    }

    /// Group 3.
    public enum Settings {
        public static let readWrite: UInt8 = 0
        public static let delete: UInt8 = 1
        public static let commit: UInt8 = 2
        public static let loadSave: UInt8 = 3
    }

    /// Group 8.
    public enum FS {
        public static let file: UInt8 = 0
        public static let status: UInt8 = 1
        public static let hashChecksum: UInt8 = 2
        public static let supportedHashes: UInt8 = 3
        public static let close: UInt8 = 4
    }

    /// Group 9.
    public enum Shell {
        public static let execute: UInt8 = 0
    }

    /// Group 10.
    public enum Enumeration {
        public static let count: UInt8 = 0
        public static let list: UInt8 = 1
        public static let single: UInt8 = 2
        public static let details: UInt8 = 3
    }

    /// Group 63.
    public enum ZephyrBasic {
        public static let eraseStorage: UInt8 = 0
    }
}

/// The 8-byte SMP header, big-endian on the wire:
/// `res(3)|ver(2)|op(3)`, flags, Data Length (2), group (2), sequence, command id.
///
/// Every 8-byte string is a header: reserved bits, flags, op 4–7 and version 2–3 are kept as they are, so a server
/// can answer or ignore them as its policy says and `encoded` gives the same bytes back.
public struct SMPHeader: Hashable, Sendable, CustomStringConvertible {
    public static let size = 8

    /// Bits 7…5 of byte 0; 0 on the wire.
    public var reserved: UInt8
    public var version: SMPVersion
    public var op: SMPOp
    public var flags: UInt8
    /// Length of the data after the header.
    public var length: UInt16
    public var group: SMPGroup
    public var sequence: UInt8
    public var command: UInt8

    public init(
        op: SMPOp,
        version: SMPVersion = .v2,
        flags: UInt8 = 0,
        length: UInt16 = 0,
        group: SMPGroup,
        sequence: UInt8 = 0,
        command: UInt8,
        reserved: UInt8 = 0
    ) {
        self.reserved = reserved & 0x07
        self.version = version
        self.op = op
        self.flags = flags
        self.length = length
        self.group = group
        self.sequence = sequence
        self.command = command
    }

    /// Reads the first 8 bytes of `bytes`; `smp.truncated` if there are fewer.
    public init(decoding bytes: some Collection<UInt8>) throws(SMPError) {
        var it = bytes.makeIterator()
        var b: [UInt8] = []
        b.reserveCapacity(8)
        while b.count < 8, let x = it.next() { b.append(x) }
        guard b.count == 8 else {
            throw SMPError(.truncated, at: b.count, "an SMP header is 8 bytes, only \(b.count) arrived")
        }
        reserved = b[0] >> 5
        version = SMPVersion(rawValue: b[0] >> 3)
        op = SMPOp(rawValue: b[0])
        flags = b[1]
        length = UInt16(b[2]) << 8 | UInt16(b[3])
        group = SMPGroup(UInt16(b[4]) << 8 | UInt16(b[5]))
        sequence = b[6]
        command = b[7]
    }

    public var encoded: [UInt8] {
        [
            (reserved & 0x07) << 5 | version.rawValue << 3 | op.rawValue, flags, UInt8(length >> 8),
            UInt8(length & 0xff), UInt8(group.rawValue >> 8), UInt8(group.rawValue & 0xff), sequence, command,
        ]
    }

    /// The header of the answer to this request, as a Zephyr server builds it: op + 1, flags 0, version echoed but
    /// clamped to v2, group, sequence and command id copied, length to be filled in. Nil unless the op is read or
    /// write.
    public var responseHeader: SMPHeader? {
        guard let rsp = op.response else { return nil }
        return SMPHeader(
            op: rsp,
            version: version.rawValue > 1 ? .v2 : version,
            group: group,
            sequence: sequence,
            command: command
        )
    }

    public var description: String {
        "\(op) \(version) group \(group.rawValue) command \(command) seq \(sequence) length \(length)"
            + (flags != 0 ? " flags \(flags)" : "") + (reserved != 0 ? " reserved \(reserved)" : "")
    }
}
