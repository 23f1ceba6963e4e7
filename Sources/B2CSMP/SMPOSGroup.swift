import B2CCBOR

// OS management (group 0). Field names and types as Zephyr's os_mgmt.c reads and writes them.

/// Echo (command 0, read or write): `d` text.
public struct SMPEchoRequest: SMPRequestBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.echo
    public static let op = SMPOp.write
    public var d: String
    public init(_ d: String) { self.d = d }
    public init(map: SMPMap) throws(SMPError) { d = try map.text("d", required: true) ?? "" }
    public var cbor: CBOR { .map([CBOR.Pair(.text("d"), .text(d))]) }
}

/// Echo response: `r` text.
public struct SMPEchoResponse: SMPResponseBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.echo
    public static let op = SMPOp.write
    public var r: String
    public init(_ r: String) { self.r = r }
    public init(map: SMPMap) throws(SMPError) { r = try map.text("r", required: true) ?? "" }
    public var cbor: CBOR { .map([CBOR.Pair(.text("r"), .text(r))]) }
}

/// System reset (command 5, write): optional `force` and `boot_mode`.
///
/// Zephyr decodes `force` as a boolean and silently treats any other type as "not forced"; the Python `smp` package
/// sends it as the integer 0/1. Both forms are kept: `force` for a boolean, `forceInteger` for an unsigned integer.
public struct SMPResetRequest: SMPRequestBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.reset
    public static let op = SMPOp.write
    public static var acceptsEmptyData: Bool { true }
    public var force: Bool?
    public var forceInteger: UInt64?
    public var bootMode: UInt8?
    public init(force: Bool? = nil, forceInteger: UInt64? = nil, bootMode: UInt8? = nil) {
        self.force = force
        self.forceInteger = forceInteger
        self.bootMode = bootMode
    }
    public init(map: SMPMap) throws(SMPError) {
        switch try map.value("force") {
        case nil: break
        case .bool(let b)?: force = b
        case .unsigned(let n)?: forceInteger = n
        default: throw SMPError(.wrongType, at: map.offset, "\"force\" is not a boolean or unsigned integer")
        }
        bootMode = try map.uint("boot_mode", max: 255).map { UInt8($0) }
    }
    /// Whether a Zephyr server treats the request as forced (only the boolean `true` counts).
    public var isForced: Bool { force == true }
    public var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("force", force.map { .bool($0) } ?? forceInteger.map { .unsigned($0) })
        b.put("boot_mode", bootMode.map { .unsigned(UInt64($0)) })
        return b.cbor
    }
}

/// The empty success response of commands that answer `{}`.
public protocol SMPEmptyResponseBody: SMPResponseBody { init() }

extension SMPEmptyResponseBody {
    public init(map: SMPMap) throws(SMPError) { self.init() }
    public var cbor: CBOR { .map([]) }
}

/// Reset response: `{}`.
public struct SMPResetResponse: SMPEmptyResponseBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.reset
    public static let op = SMPOp.write
    public init() {}
}

/// A request with no fields (unknown keys are ignored); a zero-length body is accepted too.
public protocol SMPEmptyRequestBody: SMPRequestBody { init() }

extension SMPEmptyRequestBody {
    public static var acceptsEmptyData: Bool { true }
    public init(map: SMPMap) throws(SMPError) { self.init() }
    public var cbor: CBOR { .map([]) }
}

/// Task statistics (command 2, read).
public struct SMPTaskStatsRequest: SMPEmptyRequestBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.taskStats
    public static let op = SMPOp.read
    public init() {}
}

/// One task's statistics; every field is optional (Zephyr leaves out unsupported ones).
public struct SMPTaskStat: Hashable, Sendable {
    public var prio: Int64?
    public var tid: UInt64?
    public var state: UInt64?
    public var stkuse: UInt64?
    public var stksiz: UInt64?
    public var cswcnt: UInt64?
    public var runtime: UInt64?
    public var lastCheckin: UInt64?
    public var nextCheckin: UInt64?

    public init(
        prio: Int64? = nil,
        tid: UInt64? = nil,
        state: UInt64? = nil,
        stkuse: UInt64? = nil,
        stksiz: UInt64? = nil,
        cswcnt: UInt64? = nil,
        runtime: UInt64? = nil,
        lastCheckin: UInt64? = nil,
        nextCheckin: UInt64? = nil
    ) {
        self.prio = prio
        self.tid = tid
        self.state = state
        self.stkuse = stkuse
        self.stksiz = stksiz
        self.cswcnt = cswcnt
        self.runtime = runtime
        self.lastCheckin = lastCheckin
        self.nextCheckin = nextCheckin
    }

    init(map m: SMPMap) throws(SMPError) {
        prio = try m.int("prio")
        tid = try m.uint("tid", max: .max)
        state = try m.uint("state", max: .max)
        stkuse = try m.uint("stkuse", max: .max)
        stksiz = try m.uint("stksiz", max: .max)
        cswcnt = try m.uint("cswcnt", max: .max)
        runtime = try m.uint("runtime", max: .max)
        lastCheckin = try m.uint("last_checkin", max: .max)
        nextCheckin = try m.uint("next_checkin", max: .max)
    }

    var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("prio", prio.map { .int($0) })
        b.put("tid", tid.map { .unsigned($0) })
        b.put("state", state.map { .unsigned($0) })
        b.put("stkuse", stkuse.map { .unsigned($0) })
        b.put("stksiz", stksiz.map { .unsigned($0) })
        b.put("cswcnt", cswcnt.map { .unsigned($0) })
        b.put("runtime", runtime.map { .unsigned($0) })
        b.put("last_checkin", lastCheckin.map { .unsigned($0) })
        b.put("next_checkin", nextCheckin.map { .unsigned($0) })
        return b.cbor
    }
}

/// Task statistics response: `tasks`, a map of task name to statistics, in wire order.
public struct SMPTaskStatsResponse: SMPResponseBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.taskStats
    public static let op = SMPOp.read
    public var tasks: [SMPNamed<SMPTaskStat>]
    public init(tasks: [SMPNamed<SMPTaskStat>]) { self.tasks = tasks }
    public init(map: SMPMap) throws(SMPError) {
        let t = try map.map("tasks", required: true) ?? SMPMap.empty
        tasks = try SMPNamed.read(t) { (m: SMPMap) throws(SMPError) in try SMPTaskStat(map: m) }
    }
    public var cbor: CBOR { .map([CBOR.Pair(.text("tasks"), SMPNamed.cbor(tasks) { $0.cbor })]) }
}

/// A named entry of a map keyed by text (tasks, memory pools).
public struct SMPNamed<Value: Hashable & Sendable>: Hashable, Sendable {
    public var name: String
    public var value: Value
    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    static func read(_ m: SMPMap, _ f: (SMPMap) throws(SMPError) -> Value) throws(SMPError) -> [SMPNamed] {
        var out: [SMPNamed] = []
        var seen = Set<[UInt8]>()
        for p in m.pairs {
            guard seen.insert(Array(p.key.utf8)).inserted else {
                throw SMPError(.duplicateKey, at: m.offset, "name \"\(p.key)\" appears twice")
            }
            guard case .map = p.value else {
                throw SMPError(.wrongType, at: m.offset, "entry \"\(p.key)\" is not a map")
            }
            out.append(SMPNamed(p.key, try f(SMPMap(p.value, offset: m.offset))))
        }
        return out
    }

    static func cbor(_ entries: [SMPNamed], _ f: (Value) -> CBOR) -> CBOR {
        .map(entries.map { CBOR.Pair(.text($0.name), f($0.value)) })
    }
}

extension SMPMap {
    /// The empty map.
    public static let empty: SMPMap = {
        do { return try SMPMap(.map([])) } catch { preconditionFailure("the empty map is a map") }
    }()
}

/// Memory pool statistics (command 3, read).
public struct SMPMemoryPoolStatsRequest: SMPEmptyRequestBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.memoryPoolStats
    public static let op = SMPOp.read
    public init() {}
}

/// One memory pool: `blksiz` (Zephyr, mynewt; the Python `smp` package expects `blksize`), `nblks`, `nfree`, `min`.
public struct SMPMemoryPool: Hashable, Sendable {
    public var blksiz: UInt64?
    public var nblks: UInt64?
    public var nfree: UInt64?
    public var min: UInt64?
    public init(blksiz: UInt64? = nil, nblks: UInt64? = nil, nfree: UInt64? = nil, min: UInt64? = nil) {
        self.blksiz = blksiz
        self.nblks = nblks
        self.nfree = nfree
        self.min = min
    }
    init(map m: SMPMap) throws(SMPError) {
        blksiz = try m.uint("blksiz", max: .max)
        nblks = try m.uint("nblks", max: .max)
        nfree = try m.uint("nfree", max: .max)
        min = try m.uint("min", max: .max)
    }
    var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("blksiz", blksiz.map { .unsigned($0) })
        b.put("nblks", nblks.map { .unsigned($0) })
        b.put("nfree", nfree.map { .unsigned($0) })
        b.put("min", min.map { .unsigned($0) })
        return b.cbor
    }
}

/// Memory pool statistics response: the map itself is pool name → statistics.
public struct SMPMemoryPoolStatsResponse: SMPResponseBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.memoryPoolStats
    public static let op = SMPOp.read
    public var pools: [SMPNamed<SMPMemoryPool>]
    public init(pools: [SMPNamed<SMPMemoryPool>]) { self.pools = pools }
    public init(map: SMPMap) throws(SMPError) {
        // A legacy `rc` may sit beside the pools; it is the status, not a pool.
        let pairs = map.pairs.filter { $0.key != "rc" }
        let m = try SMPMap(.map(pairs.map { CBOR.Pair(.text($0.key), $0.value) }), offset: map.offset)
        pools = try SMPNamed.read(m) { (m: SMPMap) throws(SMPError) in try SMPMemoryPool(map: m) }
    }
    public var cbor: CBOR { SMPNamed.cbor(pools) { $0.cbor } }
}

/// Date-time read (command 4, read).
public struct SMPDateTimeReadRequest: SMPEmptyRequestBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.dateTime
    public static let op = SMPOp.read
    public init() {}
}

/// Date-time read response: `datetime` text, `yyyy-MM-ddTHH:mm:ss[.SSSSSS][±HH:mm]`.
public struct SMPDateTimeReadResponse: SMPResponseBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.dateTime
    public static let op = SMPOp.read
    public var datetime: String
    public init(_ datetime: String) { self.datetime = datetime }
    public init(map: SMPMap) throws(SMPError) { datetime = try map.text("datetime", required: true) ?? "" }
    public var cbor: CBOR { .map([CBOR.Pair(.text("datetime"), .text(datetime))]) }
}

/// Date-time write (command 4, write): `datetime` text.
public struct SMPDateTimeWriteRequest: SMPRequestBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.dateTime
    public static let op = SMPOp.write
    public var datetime: String
    public init(_ datetime: String) { self.datetime = datetime }
    public init(map: SMPMap) throws(SMPError) { datetime = try map.text("datetime", required: true) ?? "" }
    public var cbor: CBOR { .map([CBOR.Pair(.text("datetime"), .text(datetime))]) }
}

/// Date-time write response: `{}`.
public struct SMPDateTimeWriteResponse: SMPEmptyResponseBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.dateTime
    public static let op = SMPOp.write
    public init() {}
}

/// MCUmgr parameters (command 6, read).
public struct SMPParamsRequest: SMPEmptyRequestBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.mcumgrParameters
    public static let op = SMPOp.read
    public init() {}
}

/// MCUmgr parameters response: `buf_size`, `buf_count`.
public struct SMPParamsResponse: SMPResponseBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.mcumgrParameters
    public static let op = SMPOp.read
    public var bufSize: UInt32
    public var bufCount: UInt32
    public init(bufSize: UInt32, bufCount: UInt32) {
        self.bufSize = bufSize
        self.bufCount = bufCount
    }
    public init(map: SMPMap) throws(SMPError) {
        bufSize = try map.uint32("buf_size", required: true) ?? 0
        bufCount = try map.uint32("buf_count", required: true) ?? 0
    }
    public var cbor: CBOR {
        .map([
            CBOR.Pair(.text("buf_size"), .unsigned(UInt64(bufSize))),
            CBOR.Pair(.text("buf_count"), .unsigned(UInt64(bufCount))),
        ])
    }
}

/// OS/application info (command 7, read): optional `format` letters.
public struct SMPOSInfoRequest: SMPRequestBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.applicationInfo
    public static let op = SMPOp.read
    public static var acceptsEmptyData: Bool { true }
    public var format: String?
    public init(format: String? = nil) { self.format = format }
    public init(map: SMPMap) throws(SMPError) { format = try map.text("format") }
    public var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("format", format.map { .text($0) })
        return b.cbor
    }
}

/// OS/application info response: `output` text.
public struct SMPOSInfoResponse: SMPResponseBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.applicationInfo
    public static let op = SMPOp.read
    public var output: String
    public init(_ output: String) { self.output = output }
    public init(map: SMPMap) throws(SMPError) { output = try map.text("output", required: true) ?? "" }
    public var cbor: CBOR { .map([CBOR.Pair(.text("output"), .text(output))]) }
}

/// Bootloader info (command 8, read): optional `query` ("mode").
public struct SMPBootloaderInfoRequest: SMPRequestBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.bootloaderInfo
    public static let op = SMPOp.read
    public static var acceptsEmptyData: Bool { true }
    public var query: String?
    public init(query: String? = nil) { self.query = query }
    public init(map: SMPMap) throws(SMPError) { query = try map.text("query") }
    public var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("query", query.map { .text($0) })
        return b.cbor
    }
}

/// Bootloader info response: `bootloader` text without a query; `mode` (−1…6) and optional `no-downgrade` for the
/// query "mode".
public struct SMPBootloaderInfoResponse: SMPResponseBody {
    public static let group = SMPGroup.os
    public static let command = SMPCommandID.OS.bootloaderInfo
    public static let op = SMPOp.read
    public var bootloader: String?
    public var mode: Int64?
    public var noDowngrade: Bool?
    public init(bootloader: String? = nil, mode: Int64? = nil, noDowngrade: Bool? = nil) {
        self.bootloader = bootloader
        self.mode = mode
        self.noDowngrade = noDowngrade
    }
    public init(map: SMPMap) throws(SMPError) {
        bootloader = try map.text("bootloader")
        mode = try map.int("mode")
        noDowngrade = try map.bool("no-downgrade")
    }
    public var cbor: CBOR {
        var b = SMPMapBuilder()
        b.put("bootloader", bootloader.map { .text($0) })
        b.put("mode", mode.map { .int($0) })
        b.put("no-downgrade", noDowngrade.map { .bool($0) })
        return b.cbor
    }
}
