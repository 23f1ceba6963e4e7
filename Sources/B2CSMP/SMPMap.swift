import B2CCBOR

/// The CBOR map that carries a command's fields, read the way Zephyr's `zcbor_map_decode_bulk` reads requests:
/// keys must be text strings, matched by their exact bytes; unknown keys are skipped; a known key that appears twice,
/// or holds the wrong CBOR type, is an error. Definite and indefinite-length maps read alike.
///
/// Errors carry the offset of the map's first byte in the message (field errors cannot point inside the map, since
/// decoded CBOR values do not remember where they were).
public struct SMPMap: Hashable, Sendable {
    /// The pairs in wire order.
    public let pairs: [(key: String, value: CBOR)]
    /// Offset of the map in the message, for errors.
    public let offset: Int

    /// Nesting the decoder allows in a body (task and slot tables nest four deep).
    public static let maxDepth = 16

    /// Decodes `body` (the data after the header, which starts at `offset` in the message) as one CBOR map.
    public init(decoding body: [UInt8], offset: Int = SMPHeader.size) throws(SMPError) {
        let item: CBOR
        do throws(CBORError) {
            item = try CBORDecoder.decode(
                body,
                options: CBORDecoder.Options(
                    maxDepth: Self.maxDepth,
                    maxLength: UInt64(body.count),
                    checkValidity: false
                )
            )
        } catch {
            throw SMPError(
                .badCBOR,
                at: offset + error.offset,
                "data is not one CBOR item: \(error.code): \(error.reason)"
            )
        }
        try self.init(item, offset: offset)
    }

    /// Reads an already decoded item as a command map.
    public init(_ item: CBOR, offset: Int = SMPHeader.size) throws(SMPError) {
        guard case .map(let raw) = item else { throw SMPError(.notAMap, at: offset, "data is not a CBOR map") }
        var pairs: [(key: String, value: CBOR)] = []
        pairs.reserveCapacity(raw.count)
        for p in raw {
            guard case .text(let k) = p.key else {
                throw SMPError(.notAMap, at: offset, "a map key is not a text string")
            }
            pairs.append((k, p.value))
        }
        self.pairs = pairs
        self.offset = offset
    }

    public static func == (a: SMPMap, b: SMPMap) -> Bool {
        a.offset == b.offset && a.pairs.count == b.pairs.count
            && zip(a.pairs, b.pairs).allSatisfy { $0.key.utf8.elementsEqual($1.key.utf8) && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(offset)
        for p in pairs {
            hasher.combine(Array(p.key.utf8))
            hasher.combine(p.value)
        }
    }

    /// The value of `key`, nil if absent; `smp.duplicate_key` if it appears more than once.
    public func value(_ key: String) throws(SMPError) -> CBOR? {
        var found: CBOR?
        for p in pairs where p.key.utf8.elementsEqual(key.utf8) {
            if found != nil { throw SMPError(.duplicateKey, at: offset, "key \"\(key)\" appears twice") }
            found = p.value
        }
        return found
    }

    private func missing(_ key: String) -> SMPError { SMPError(.missingKey, at: offset, "no \"\(key)\"") }
    private func wrong(_ key: String, _ want: String) -> SMPError {
        SMPError(.wrongType, at: offset, "\"\(key)\" is not \(want)")
    }

    /// A text value.
    public func text(_ key: String, required: Bool = false) throws(SMPError) -> String? {
        switch try value(key) {
        case nil: if required { throw missing(key) } else { return nil }
        case .text(let s)?: return s
        default: throw wrong(key, "a text string")
        }
    }

    /// A byte-string value.
    public func bytes(_ key: String, required: Bool = false) throws(SMPError) -> [UInt8]? {
        switch try value(key) {
        case nil: if required { throw missing(key) } else { return nil }
        case .bytes(let b)?: return b
        default: throw wrong(key, "a byte string")
        }
    }

    /// A boolean value.
    public func bool(_ key: String, required: Bool = false) throws(SMPError) -> Bool? {
        switch try value(key) {
        case nil: if required { throw missing(key) } else { return nil }
        case .bool(let b)?: return b
        default: throw wrong(key, "a boolean")
        }
    }

    /// An unsigned integer no larger than `max` (`smp.out_of_range` above it, `smp.wrong_type` if negative or not an
    /// integer).
    public func uint(_ key: String, max: UInt64, required: Bool = false) throws(SMPError) -> UInt64? {
        switch try value(key) {
        case nil: if required { throw missing(key) } else { return nil }
        case .unsigned(let n)?:
            guard n <= max else { throw SMPError(.outOfRange, at: offset, "\"\(key)\" is \(n), over \(max)") }
            return n
        default: throw wrong(key, "an unsigned integer")
        }
    }

    /// An unsigned 32-bit value (`size_t` and `uint32_t` fields on a 32-bit MCU).
    public func uint32(_ key: String, required: Bool = false) throws(SMPError) -> UInt32? {
        try uint(key, max: UInt64(UInt32.max), required: required).map { UInt32($0) }
    }

    /// A signed integer in Int64's range.
    public func int(_ key: String, required: Bool = false) throws(SMPError) -> Int64? {
        switch try value(key) {
        case nil: if required { throw missing(key) } else { return nil }
        case .unsigned(let n)?:
            guard n <= UInt64(Int64.max) else { throw SMPError(.outOfRange, at: offset, "\"\(key)\" is over 2^63-1") }
            return Int64(n)
        case .negative(let n)?:
            guard n <= UInt64(Int64.max) else { throw SMPError(.outOfRange, at: offset, "\"\(key)\" is below -2^63") }
            return -1 - Int64(n)
        default: throw wrong(key, "an integer")
        }
    }

    /// A nested map.
    public func map(_ key: String, required: Bool = false) throws(SMPError) -> SMPMap? {
        switch try value(key) {
        case nil: if required { throw missing(key) } else { return nil }
        case .map(let m)?: return try SMPMap(.map(m), offset: offset)
        default: throw wrong(key, "a map")
        }
    }

    /// An array.
    public func array(_ key: String, required: Bool = false) throws(SMPError) -> [CBOR]? {
        switch try value(key) {
        case nil: if required { throw missing(key) } else { return nil }
        case .array(let a)?: return a
        default: throw wrong(key, "an array")
        }
    }
}

/// Builds a command map in a fixed key order, leaving out absent optional fields.
public struct SMPMapBuilder: Sendable {
    public private(set) var pairs: [CBOR.Pair] = []
    public init() {}

    public mutating func put(_ key: String, _ value: CBOR?) {
        if let value { pairs.append(CBOR.Pair(.text(key), value)) }
    }

    public var cbor: CBOR { .map(pairs) }
}
