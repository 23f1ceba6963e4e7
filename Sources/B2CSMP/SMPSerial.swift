/// SMP over a serial console: each packet is `L (2 bytes BE) || message || CRC-16 (2 bytes BE)` with
/// L = message + 2, base64-encoded and spread over lines that start with `06 09` (first) or `04 14` (the rest) and end
/// with `0A`. Markers and newline are outside the base64 and the CRC.
public enum SMPSerial {
    public static let startMarker: [UInt8] = [0x06, 0x09]
    public static let continuationMarker: [UInt8] = [0x04, 0x14]
    /// The longest line Zephyr and MCUboot send, newline included.
    public static let maxSentLineBytes = 127
    /// The longest line a default Zephyr or MCUboot receiver accepts (its 128-byte line buffer), newline included.
    public static let maxReceivedLineBytes = 128

    /// CRC-16/XMODEM (poly 0x1021, init 0, no reflection, no final XOR; check value 0x31C3 for "123456789").
    public static func crc16(_ bytes: some Sequence<UInt8>, seed: UInt16 = 0) -> UInt16 {
        var crc = seed
        for b in bytes {
            crc ^= UInt16(b) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }

    /// How the sender cuts the base64 text into lines. Both cut on 4-character boundaries, so any receiver that
    /// decodes line by line reads either.
    public enum LineStyle: Hashable, Sendable {
        /// Encode the whole packet once and fill every line (the Python `smp` package, the Go tool, MCUboot): 124
        /// characters per 127-byte line; padding only at the very end; the CRC may straddle two lines.
        case fill
        /// Zephyr's `mcumgr_serial_tx_pkt`: at most 93 raw bytes on the first line (its 2-byte length included) and
        /// 90 on each later one (the first line's budget is never restored); the CRC is never split, so one byte of
        /// the message moves to an extra line when the CRC would not fit.
        case zephyr
    }

    /// The lines (markers and newline included) that carry `message`. `maxLineBytes` is clamped to at least 7 (one
    /// base64 quantum per line), and to 19 for the Zephyr style.
    public static func encode(_ message: [UInt8], maxLineBytes: Int = maxSentLineBytes, style: LineStyle = .fill)
        -> [[UInt8]]
    {
        if style == .zephyr && !message.isEmpty { return zephyrLines(message, maxLineBytes: max(19, maxLineBytes)) }
        return lines(base64: Base64.encode(unit(message)), charactersPerLine: (max(7, maxLineBytes) - 3) / 4 * 4)
    }

    /// What the base64 of a packet carries: the length field, the message and its CRC, XORed with `crcMask` (non-zero
    /// only to test a receiver's CRC check).
    public static func unit(_ message: [UInt8], crcMask: UInt16 = 0) -> [UInt8] {
        let crc = crc16(message) ^ crcMask
        return lengthPrefix(message.count) + message + [UInt8(crc >> 8), UInt8(crc & 0xff)]
    }

    /// Base64 `text` cut into lines of `charactersPerLine` characters, the first after the start marker, the rest after
    /// the continuation marker, each ending in a newline.
    public static func lines(base64 text: [UInt8], charactersPerLine: Int) -> [[UInt8]] {
        let perLine = max(1, charactersPerLine)
        var lines: [[UInt8]] = []
        var i = 0
        while i < text.count {
            let end = min(text.count, i + perLine)
            lines.append((i == 0 ? startMarker : continuationMarker) + text[i..<end] + [0x0a])
            i = end
        }
        return lines
    }

    /// The lines of ``encode(_:maxLineBytes:style:)`` joined.
    public static func encodeFrame(_ message: [UInt8], maxLineBytes: Int = maxSentLineBytes, style: LineStyle = .fill)
        -> [UInt8]
    {
        Array(encode(message, maxLineBytes: maxLineBytes, style: style).joined())
    }

    /// L = message + 2, big-endian. A message longer than 65533 bytes cannot be framed; its length wraps, which the
    /// receiver's length check then rejects (``SMPMessage`` never holds one that long with its header).
    static func lengthPrefix(_ count: Int) -> [UInt8] {
        let l = UInt16(truncatingIfNeeded: count + 2)
        return [UInt8(l >> 8), UInt8(l & 0xff)]
    }

    static func zephyrLines(_ data: [UInt8], maxLineBytes: Int) -> [[UInt8]] {
        let crc = crc16(data)
        let crcHi = UInt8(crc >> 8)
        let crcLo = UInt8(crc & 0xff)
        var maxInput = (maxLineBytes - 3) / 4 * 3
        var lines: [[UInt8]] = []
        var src = 0
        var first = true
        while src < data.count {
            var line = first ? startMarker : continuationMarker
            if first {
                line += Base64.encode(lengthPrefix(data.count) + [data[0]])
                src = 1
                maxInput -= 3
            }
            let left = data.count - src
            var toProcess = min(maxInput, left)
            let reminder = maxInput - left
            var last = false
            if reminder == 0 || reminder == 1 {
                toProcess -= 1
            } else if reminder >= 2 {
                last = true
            }
            while toProcess >= 3 {
                line += Base64.encode(data[src..<(src + 3)])
                src += 3
                toProcess -= 3
            }
            if last {
                switch data.count - src {
                case 0: line += Base64.encode([crcHi, crcLo])
                case 1:
                    line += Base64.encode([data[src], crcHi, crcLo])
                    src += 1
                default:
                    line += Base64.encode([data[src], data[src + 1], crcHi])
                    line += Base64.encode([crcLo])
                    src += 2
                }
            }
            lines.append(line + [0x0a])
            first = false
        }
        return lines
    }
}

/// Standard base64 (RFC 4648 §4 alphabet, `=` padding), as the serial framing uses it line by line.
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let values: [UInt8] = {
        var t = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    public static func encode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var it = bytes.makeIterator()
        while let a = it.next() {
            let b = it.next()
            let c = b == nil ? nil : it.next()
            let n = UInt32(a) << 16 | UInt32(b ?? 0) << 8 | UInt32(c ?? 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(b == nil ? 0x3d : alphabet[Int(n >> 6 & 63)])
            out.append(c == nil ? 0x3d : alphabet[Int(n & 63)])
        }
        return out
    }

    /// Decodes one line's text: a multiple of 4 characters from the alphabet, `=` only as the last one or two. Nil
    /// otherwise. (Zephyr's decoder also skips spaces before the end and drops an incomplete last quantum silently;
    /// this one rejects both.)
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var quantum: [UInt8] = []
        quantum.reserveCapacity(4)
        var index = 0
        for c in text {
            index += 1
            quantum.append(c)
            guard quantum.count == 4 else { continue }
            let isLast = index == text.count
            var n: UInt32 = 0
            var pad = 0
            for (j, q) in quantum.enumerated() {
                if q == 0x3d {
                    guard isLast, j >= 2 else { return nil }
                    pad += 1
                    n <<= 6
                } else {
                    let v = values[Int(q)]
                    guard v != 0xff, pad == 0 else { return nil }
                    n = n << 6 | UInt32(v)
                }
            }
            out.append(UInt8(n >> 16 & 0xff))
            if pad < 2 { out.append(UInt8(n >> 8 & 0xff)) }
            if pad < 1 { out.append(UInt8(n & 0xff)) }
            quantum.removeAll(keepingCapacity: true)
        }
        return out
    }
}
