/// A strict, total CBOR decoder (RFC 8949).
///
/// Every byte string yields a value or a ``CBORError`` naming the failing class and offset; nothing traps and nothing
/// is allocated beyond what the input itself can fill: a declared length or element count larger than the bytes that
/// remain is reported as `cbor.truncated` before any allocation, so a 9-byte item declaring 2^64 elements costs
/// nothing.
///
/// By default the decoder is a validity-checking decoder (§5.3): text must be UTF-8, map keys must be unique in the
/// data model, content of the tags it knows must have the right type, and exactly one item must fill the input.
/// ``Options/deterministic`` adds the checks of §4.2.1 core deterministic encoding.
public enum CBORDecoder {
    /// What the decoder checks and how much it accepts.
    public struct Options: Sendable, Hashable {
        /// Maximum nesting of arrays, maps and tags. The top-level item is at depth 1.
        public var maxDepth: Int
        /// Maximum length of one string (bytes) and element count of one array or map.
        public var maxLength: UInt64
        /// Check UTF-8, duplicate keys and tag content (§5.3). On by default.
        public var checkValidity: Bool
        /// Reject what §4.2.1 core deterministic encoding forbids.
        public var deterministic: Bool
        /// Accept bytes after the first item instead of reporting `cbor.trailing_bytes`.
        public var allowTrailingBytes: Bool

        public init(
            maxDepth: Int = 256,
            maxLength: UInt64 = UInt64(Int32.max),
            checkValidity: Bool = true,
            deterministic: Bool = false,
            allowTrailingBytes: Bool = false
        ) {
            self.maxDepth = maxDepth
            self.maxLength = maxLength
            self.checkValidity = checkValidity
            self.deterministic = deterministic
            self.allowTrailingBytes = allowTrailingBytes
        }

        /// A validity-checking decoder (§5.3).
        public static let valid = Options()
        /// A validity-checking decoder that also requires core deterministic encoding (§4.2.1).
        public static let deterministic = Options(deterministic: true)
        /// Well-formedness only: no UTF-8, duplicate-key or tag checks.
        public static let wellFormed = Options(checkValidity: false)
    }

    /// Decodes exactly one data item that fills `bytes`.
    public static func decode(_ bytes: [UInt8], options: Options = .valid) throws(CBORError) -> CBOR {
        try decodePrefix(bytes, options: options).item
    }

    /// Decodes one data item from the start of `bytes` and says how many bytes it took. With
    /// `allowTrailingBytes` off, bytes after the item are an error.
    public static func decodePrefix(
        _ bytes: [UInt8],
        options: Options = .valid
    ) throws(CBORError) -> (item: CBOR, consumed: Int) {
        try bytes.withUnsafeBufferPointer { decodePrefix($0, options: options) }.get()
    }

    /// ``decodePrefix(_:options:)`` over memory the caller holds (``CBORStreamDecoder`` reads a window of its
    /// buffer this way, without copying it).
    static func decodePrefix(
        _ buffer: UnsafeBufferPointer<UInt8>,
        options: Options
    ) -> Result<(item: CBOR, consumed: Int), CBORError> {
        var parser = Parser(buffer, options)
        do throws(CBORError) {
            let item = try parser.item(depth: 1)
            let end = parser.cursor.position
            if !options.allowTrailingBytes && end < buffer.count {
                throw CBORError(
                    .trailingBytes,
                    at: end,
                    "\(buffer.count - end) bytes follow the top-level item"
                )
            }
            // Validity and determinism are only defined for a well-formed item, so their first finding is
            // reported only now that the whole input is known to be well-formed.
            if let finding = parser.deferred { throw finding }
            return .success((item, end))
        } catch {
            return .failure(error)
        }
    }
}

/// The recursive-descent reader behind ``CBORDecoder``. Depth is bounded by `maxDepth`, so recursion is too.
///
/// Well-formedness errors and resource limits stop the parse at once. Validity and determinism findings are kept
/// (the first one, left to right) and reported only if the whole item turns out well-formed.
private struct Parser: ~Copyable {
    var cursor: CBORCursor
    let options: CBORDecoder.Options
    var deferred: CBORError?

    mutating func note(_ finding: CBORError) {
        if deferred == nil { deferred = finding }
    }

    init(_ buffer: UnsafeBufferPointer<UInt8>, _ options: CBORDecoder.Options) {
        self.cursor = CBORCursor(buffer)
        self.options = options
    }

    mutating func item(depth: Int) throws(CBORError) -> CBOR {
        let head = try cursor.readHead()
        switch head.majorType {
        case 0:
            checkShortest(head, .nonShortestInteger)
            return .unsigned(head.argument)
        case 1:
            checkShortest(head, .nonShortestInteger)
            return .negative(head.argument)
        case 2:
            return .bytes(try string(head, text: false))
        case 3:
            if !head.isIndefinite {
                checkShortest(head, .nonShortestArgument)
                return .text(text(try chunkBytes(head), at: head.offset))
            }
            // Chunks are validated one by one (a chunk boundary cannot split a character, §3.2.3), so the
            // concatenation is valid UTF-8 too.
            return .text(String(decoding: try string(head, text: true), as: UTF8.self))
        case 4:
            return try array(head, depth: depth)
        case 5:
            return try map(head, depth: depth)
        case 6:
            checkShortest(head, .nonShortestArgument)
            try checkDepth(depth, at: head.offset)
            if cursor.peek() == 0xff {
                throw CBORError(.breakOutsideIndefinite, at: cursor.position, "break where tag content should be")
            }
            let contentOffset = cursor.position
            let content = try item(depth: depth + 1)
            if options.checkValidity {
                do {
                    try CBORTagRules.check(tag: head.argument, content: content, at: contentOffset)
                } catch {
                    note(error)
                }
            }
            return .tagged(head.argument, content)
        default:
            return try simpleOrFloat(head)
        }
    }

    // MARK: Strings

    mutating func string(_ head: CBORHead, text: Bool) throws(CBORError) -> [UInt8] {
        if !head.isIndefinite {
            checkShortest(head, .nonShortestArgument)
            return Array(try chunkBytes(head))
        }
        if options.deterministic {
            note(CBORError(.indefiniteLength, at: head.offset, "indefinite-length string"))
        }
        var out: [UInt8] = []
        while true {
            guard let next = cursor.peek() else {
                throw CBORError(.truncated, at: cursor.position, "indefinite-length string has no break")
            }
            if next == 0xff {
                cursor.position += 1
                return out
            }
            let chunkHead = try cursor.readHead()
            guard chunkHead.majorType == head.majorType else {
                throw CBORError(
                    .indefiniteChunkType,
                    at: chunkHead.offset,
                    "chunk of major type \(chunkHead.majorType) inside an indefinite \(text ? "text" : "byte") string"
                )
            }
            guard !chunkHead.isIndefinite else {
                throw CBORError(
                    .indefiniteChunkType,
                    at: chunkHead.offset,
                    "indefinite-length chunk inside an indefinite string"
                )
            }
            let chunk = try chunkBytes(chunkHead)
            if text { _ = self.text(chunk, at: chunkHead.offset) }
            out.append(contentsOf: chunk)
        }
    }

    mutating func chunkBytes(_ head: CBORHead) throws(CBORError) -> UnsafeBufferPointer<UInt8> {
        guard head.argument <= UInt64(cursor.remaining) else {
            throw CBORError(
                .truncated,
                at: cursor.position,
                "string declares \(head.argument) bytes, \(cursor.remaining) left"
            )
        }
        guard head.argument <= options.maxLength else {
            throw CBORError(.limitExceeded, at: head.offset, "string of \(head.argument) bytes is over the limit")
        }
        return cursor.take(Int(head.argument))
    }

    /// The text of a string chunk: validated when validity is checked, repaired otherwise.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> String {
        guard options.checkValidity else { return String(decoding: bytes, as: UTF8.self) }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            note(CBORError(.invalidUTF8, at: offset, "text string is not valid UTF-8"))
            return String(decoding: bytes, as: UTF8.self)
        }
        return s
    }

    // MARK: Containers

    mutating func array(_ head: CBORHead, depth: Int) throws(CBORError) -> CBOR {
        try checkDepth(depth, at: head.offset)
        if head.isIndefinite {
            if options.deterministic {
                note(CBORError(.indefiniteLength, at: head.offset, "indefinite-length array"))
            }
            var items: [CBOR] = []
            while true {
                guard let next = cursor.peek() else {
                    throw CBORError(.truncated, at: cursor.position, "indefinite-length array has no break")
                }
                if next == 0xff {
                    cursor.position += 1
                    return .array(items)
                }
                items.append(try item(depth: depth + 1))
            }
        }
        checkShortest(head, .nonShortestArgument)
        let capacity = try checkedCount(head, perElement: 1)
        var items: [CBOR] = []
        items.reserveCapacity(capacity)
        for _ in 0..<head.argument {
            items.append(try item(depth: depth + 1))
        }
        return .array(items)
    }

    mutating func map(_ head: CBORHead, depth: Int) throws(CBORError) -> CBOR {
        try checkDepth(depth, at: head.offset)
        var pairs: [CBOR.Pair] = []
        var keys = KeySet()
        var previousKey: Range<Int>? = nil
        if head.isIndefinite {
            if options.deterministic {
                note(CBORError(.indefiniteLength, at: head.offset, "indefinite-length map"))
            }
            while true {
                guard let next = cursor.peek() else {
                    throw CBORError(.truncated, at: cursor.position, "indefinite-length map has no break")
                }
                if next == 0xff {
                    cursor.position += 1
                    return .map(pairs)
                }
                let key = try mapKey(depth: depth, keys: &keys, pairs: pairs, previous: &previousKey)
                guard let valueStart = cursor.peek() else {
                    throw CBORError(.truncated, at: cursor.position, "map key has no value")
                }
                if valueStart == 0xff {
                    throw CBORError(.breakInMapValue, at: cursor.position, "break where a map value should be")
                }
                pairs.append(CBOR.Pair(key, try item(depth: depth + 1)))
            }
        }
        checkShortest(head, .nonShortestArgument)
        let capacity = try checkedCount(head, perElement: 2)
        pairs.reserveCapacity(capacity)
        keys.expected = capacity
        for _ in 0..<head.argument {
            let key = try mapKey(depth: depth, keys: &keys, pairs: pairs, previous: &previousKey)
            pairs.append(CBOR.Pair(key, try item(depth: depth + 1)))
        }
        return .map(pairs)
    }

    /// Reads a key and checks it against the keys before it: duplicates (§5.6) and, when deterministic, the
    /// bytewise order of the encoded keys (§4.2.1). In deterministic mode every key has already been checked for
    /// preferred serialization, so its bytes as read are its deterministic encoding.
    mutating func mapKey(depth: Int, keys: inout KeySet, pairs: [CBOR.Pair], previous: inout Range<Int>?)
        throws(CBORError) -> CBOR
    {
        let start = cursor.position
        let key = try item(depth: depth + 1)
        let range = start..<cursor.position
        if options.deterministic, let prev = previous {
            let a = UnsafeBufferPointer(rebasing: cursor.base[prev])
            let b = UnsafeBufferPointer(rebasing: cursor.base[range])
            if !a.lexicographicallyPrecedes(b) && !a.elementsEqual(b) {
                note(CBORError(.unsortedKeys, at: start, "map key sorts before the key that precedes it"))
            }
        }
        previous = range
        if options.checkValidity && !keys.insert(key, after: pairs) {
            note(CBORError(.duplicateKey, at: start, "duplicate map key"))
        }
        return key
    }

    /// How many elements to reserve room for: never more than the remaining input could hold, so a huge declared
    /// count allocates nothing. A count within the limit is read left to right into the end of the input (or a
    /// break), as the Appendix C decoder does. A count over the limit is decided here, at the head, as a string's
    /// declared length is: `cbor.limit_exceeded` if the input could hold that many elements, `cbor.truncated`
    /// otherwise. Walking into the elements instead would let an error further on (a break, too deep a nesting)
    /// win while only part of the input is there, and the limit win once all of it is, so a prefix of a buffer
    /// would get another error than the buffer (``CBORStreamDecoder`` relies on a prefix never doing that).
    func checkedCount(_ head: CBORHead, perElement: UInt64) throws(CBORError) -> Int {
        let fits = UInt64(cursor.remaining) / perElement
        if head.argument > options.maxLength {
            guard head.argument <= fits else {
                throw CBORError(
                    .truncated,
                    at: cursor.position,
                    "\(head.argument) elements declared (over the limit), \(cursor.remaining) bytes left"
                )
            }
            throw CBORError(.limitExceeded, at: head.offset, "\(head.argument) elements is over the limit")
        }
        return Int(min(head.argument, fits))
    }

    func checkDepth(_ depth: Int, at offset: Int) throws(CBORError) {
        if depth > options.maxDepth {
            throw CBORError(.depthExceeded, at: offset, "nesting deeper than \(options.maxDepth)")
        }
    }

    mutating func checkShortest(_ head: CBORHead, _ code: CBORError.Code) {
        if options.deterministic && head.isNonShortest {
            note(CBORError(code, at: head.offset, "argument \(head.argument) is not in its shortest form"))
        }
    }

    // MARK: Major type 7

    mutating func simpleOrFloat(_ head: CBORHead) throws(CBORError) -> CBOR {
        switch head.additionalInfo {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        case 23: return .undefined
        case 0...19: return .simple(UInt8(head.additionalInfo))
        case 24:
            guard head.argument >= 32 else {
                throw CBORError(
                    .reservedSimpleEncoding,
                    at: head.offset,
                    "simple value \(head.argument) must use the one-byte form"
                )
            }
            return .simple(UInt8(head.argument))
        case 25, 26, 27:
            let value = CBORFloat.widen(head.argument, width: head.additionalInfo)
            if options.deterministic && CBORFloat.preferredAdditionalInfo(value) < head.additionalInfo {
                note(CBORError(.nonPreferredFloat, at: head.offset, "float fits a shorter encoding exactly"))
            }
            return .float(value)
        default:  // 31: a break where an item should start.
            throw CBORError(.breakOutsideIndefinite, at: head.offset, "break outside an indefinite-length item")
        }
    }
}

/// The keys of one map, for duplicate detection: while the map is small (most are) the pairs read so far are
/// scanned, so a small map costs no allocation; past 16 keys they move into a hash set.
private struct KeySet {
    private var large = Set<CBOR>()  // an empty Set allocates nothing
    private var hashed = false
    /// How many keys the map declares (bounded by the input), to size the hash set once.
    var expected = 0

    /// Adds `key`, read after `pairs`; false if an equal key was already there.
    mutating func insert(_ key: CBOR, after pairs: [CBOR.Pair]) -> Bool {
        if hashed { return large.insert(key).inserted }
        if pairs.count < 16 { return !pairs.contains { $0.key == key } }
        large = Set(minimumCapacity: max(expected, 32))
        for p in pairs { large.insert(p.key) }
        hashed = true
        return large.insert(key).inserted
    }
}
