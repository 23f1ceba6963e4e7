/// The flash areas a single-image MCUboot build uses: the two image slots and, for swap-using-scratch, the scratch
/// area (`FLASH_AREA_IMAGE_PRIMARY(0)`, `FLASH_AREA_IMAGE_SECONDARY(0)`, `FLASH_AREA_IMAGE_SCRATCH`).
public enum FlashAreaID: String, CaseIterable, Hashable, Sendable {
    case primary, secondary, scratch
}

/// One flash area: uniform sectors (the erase unit), contents and the device's write size and erased value.
///
/// Programming is NOR-like: a write can only move bits away from the erased value (AND for 0xff, OR for 0x00), and
/// like the MCUboot simulator's flash (`sim/simflash`, `verify_writes`) this model refuses to program a write unit
/// that is not erased, so a swap that forgets an erase fails loudly instead of silently merging bytes.
public struct FlashArea: Hashable, Sendable {
    public let sectorSize: Int
    public let sectorCount: Int
    /// `flash_area_align`: writes start and end on multiples of it.
    public let writeSize: Int
    /// `flash_area_erased_val`: 0xff or 0x00.
    public let erasedValue: UInt8
    public internal(set) var bytes: [UInt8]

    public var size: Int { sectorSize * sectorCount }

    public init(sectorSize: Int, sectorCount: Int, writeSize: Int, erasedValue: UInt8 = 0xff) throws(BootError) {
        guard sectorSize > 0, sectorCount > 0, writeSize > 0, sectorSize % writeSize == 0 else {
            throw BootError(.geometry, "sectors of \(sectorSize) bytes cannot hold \(writeSize)-byte write units")
        }
        guard erasedValue == 0xff || erasedValue == 0x00 else {
            throw BootError(.geometry, "the erased value is 0xff or 0x00")
        }
        self.sectorSize = sectorSize
        self.sectorCount = sectorCount
        self.writeSize = writeSize
        self.erasedValue = erasedValue
        self.bytes = [UInt8](repeating: erasedValue, count: sectorSize * sectorCount)
    }

    /// Whether every byte of `range` holds the erased value (`bootutil_buffer_is_erased`).
    public func isErased(_ range: Range<Int>) -> Bool {
        bytes[range].allSatisfy { $0 == erasedValue }
    }

    /// Programs `data` at `offset`: aligned to the write size, inside the area, onto erased units only.
    mutating func program(_ data: [UInt8], at offset: Int) throws(BootError) {
        guard offset >= 0, data.count <= size, offset <= size - data.count else {
            throw BootError(.flashBounds, at: offset, "a \(data.count)-byte write does not fit a \(size)-byte area")
        }
        guard offset % writeSize == 0, data.count % writeSize == 0 else {
            throw BootError(.flashAlignment, at: offset, "writes are \(writeSize)-byte aligned; this is \(data.count)")
        }
        guard isErased(offset..<(offset + data.count)) else {
            throw BootError(.flashNotErased, at: offset, "programming a write unit that is not erased")
        }
        for (i, b) in data.enumerated() {
            let old = bytes[offset + i]
            bytes[offset + i] = erasedValue == 0xff ? old & b : old | b
        }
    }

    /// Erases whole sectors covering `range`.
    mutating func erase(_ range: Range<Int>) throws(BootError) {
        guard range.lowerBound >= 0, range.upperBound <= size else {
            throw BootError(.flashBounds, at: range.lowerBound, "erase past the end of a \(size)-byte area")
        }
        guard range.lowerBound % sectorSize == 0, range.upperBound % sectorSize == 0 else {
            throw BootError(.flashAlignment, at: range.lowerBound, "erases cover whole \(sectorSize)-byte sectors")
        }
        for i in range { bytes[i] = erasedValue }
    }
}

/// One flash operation as the bootloader issues it: `flash_area_write` or `flash_area_erase`.
public struct FlashOperation: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable { case write, erase }
    public let kind: Kind
    public let area: FlashAreaID
    public let offset: Int
    public let length: Int

    public var description: String { "\(kind.rawValue) \(area.rawValue) \(offset)+\(length)" }
}

/// The flash of a device: its areas, and the power-fail hook every program and erase goes through.
///
/// Sans-I/O: the areas are values. Like the simulator's C shim (`sim/mcuboot-sys/csupport/run.c`,
/// `flash_area_write`/`flash_area_erase` decrementing `flash_counter`), a budget of `n` operations lets `n` through
/// and fails the next one *before* it changes anything, with ``BootError/Code/powerFail``; every later operation fails
/// the same way until the budget is cleared (the device is off).
public struct Flash: Hashable, Sendable {
    public internal(set) var areas: [FlashAreaID: FlashArea]
    /// Operations performed since the counter was last reset.
    public internal(set) var operationCount = 0
    /// How many further operations may run before the power fails; nil: no failure.
    public var powerFailBudget: Int?
    /// When not nil, every performed operation is appended (for tests and traces).
    public var journal: [FlashOperation]?

    public init(areas: [FlashAreaID: FlashArea]) {
        self.areas = areas
    }

    public func area(_ id: FlashAreaID) throws(BootError) -> FlashArea {
        guard let a = areas[id] else { throw BootError(.geometry, "this device has no \(id.rawValue) area") }
        return a
    }

    func read(_ id: FlashAreaID, _ range: Range<Int>) throws(BootError) -> [UInt8] {
        let a = try area(id)
        guard range.lowerBound >= 0, range.upperBound <= a.size else {
            throw BootError(.flashBounds, at: range.lowerBound, "read past the end of \(id.rawValue)")
        }
        return Array(a.bytes[range])
    }

    private mutating func admit(_ op: FlashOperation) throws(BootError) {
        if let budget = powerFailBudget {
            guard budget > 0 else { throw BootError(.powerFail, at: op.offset, "power lost before \(op)") }
            powerFailBudget = budget - 1
        }
        operationCount += 1
        journal?.append(op)
    }

    /// `flash_area_write`.
    public mutating func write(_ id: FlashAreaID, at offset: Int, _ data: [UInt8]) throws(BootError) {
        var a = try area(id)
        try admit(FlashOperation(kind: .write, area: id, offset: offset, length: data.count))
        try a.program(data, at: offset)
        areas[id] = a
    }

    /// `flash_area_erase`.
    public mutating func erase(_ id: FlashAreaID, _ range: Range<Int>) throws(BootError) {
        var a = try area(id)
        try admit(FlashOperation(kind: .erase, area: id, offset: range.lowerBound, length: range.count))
        try a.erase(range)
        areas[id] = a
    }
}
