/// Diagnostic notation (RFC 8949 §8) for encoded items.
///
/// The printer walks the bytes rather than a decoded value, so it can show how an item was encoded: `_` marks
/// indefinite lengths, and with `encodingIndicators` a suffix `_0`…`_3` marks an argument (or float) written wider
/// than its preferred form (§8.1). Text is printed with JSON escapes and every non-ASCII character as `\uXXXX`, so
/// the output is plain ASCII. Floats use the shortest decimal that reads back to the same value, in the style of the
/// examples of Appendix A (`1.0`, `1.0e+300`, `5.960464477539063e-8`).
public enum CBORDiagnostic {
    /// Decodes one item with `options` (so the input is checked first) and prints it.
    public static func render(
        _ bytes: [UInt8],
        options: CBORDecoder.Options = .valid,
        encodingIndicators: Bool = true
    ) throws(CBORError) -> String {
        _ = try CBORDecoder.decode(bytes, options: options)
        let result: Result<String, CBORError> = bytes.withUnsafeBufferPointer { buffer in
            var printer = Printer(cursor: CBORCursor(buffer), indicators: encodingIndicators)
            do throws(CBORError) {
                try printer.item()
                return .success(printer.out)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The diagnostic notation of a value, from its preferred serialization.
    public static func render(_ item: CBOR) -> String {
        (try? render(CBOREncoder.encode(item), options: .wellFormed, encodingIndicators: false)) ?? "<unprintable>"
    }

    /// Formats a float the way RFC 8949's examples do.
    public static func formatFloat(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description is the shortest round-tripping decimal; take its digits and exponent apart.
        let text = String(describing: abs(d))
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = ""
        var pointPosition = mantissa.count
        for (i, c) in mantissa.enumerated() {
            if c == "." { pointPosition = i } else { digits.append(c) }
        }
        // Value = 0.digits × 10^decimalExponent after normalising leading zeros away.
        var decimalExponent = pointPosition + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            decimalExponent -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let sign = d < 0 ? "-" : ""
        let magnitude = abs(d)
        if magnitude >= 1e-7 && magnitude < 1e21 {
            if decimalExponent <= 0 {
                return sign + "0." + String(repeating: "0", count: -decimalExponent) + digits
            }
            if decimalExponent >= digits.count {
                return sign + digits + String(repeating: "0", count: decimalExponent - digits.count) + ".0"
            }
            let cut = digits.index(digits.startIndex, offsetBy: decimalExponent)
            return sign + digits[..<cut] + "." + digits[cut...]
        }
        let first = digits.prefix(1)
        let rest = digits.dropFirst()
        let e = decimalExponent - 1
        return sign + first + "." + (rest.isEmpty ? "0" : rest) + "e" + (e < 0 ? "-" : "+") + String(abs(e))
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for unit in s.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5c: out += "\\\\"
            case 0x0a: out += "\\n"
            case 0x0d: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0c: out += "\\f"
            case 0x20...0x7e: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }
}

/// Walks well-formed bytes (already checked by the decoder) and prints them.
private struct Printer: ~Copyable {
    var cursor: CBORCursor
    let indicators: Bool
    var out = ""

    mutating func indicator(_ head: CBORHead) {
        if indicators && head.isNonShortest { out += "_\(head.additionalInfo - 24)" }
    }

    mutating func item() throws(CBORError) {
        let head = try cursor.readHead()
        switch head.majorType {
        case 0:
            out += String(head.argument)
            indicator(head)
        case 1:
            out += CBOR.negative(head.argument).integerDescription ?? ""
            indicator(head)
        case 2, 3:
            try string(head)
        case 4:
            out += head.isIndefinite ? "[_ " : "["
            if !head.isIndefinite && indicators && head.isNonShortest { out += "_\(head.additionalInfo - 24) " }
            try sequence(head, pairs: false)
            out += "]"
        case 5:
            out += head.isIndefinite ? "{_ " : "{"
            if !head.isIndefinite && indicators && head.isNonShortest { out += "_\(head.additionalInfo - 24) " }
            try sequence(head, pairs: true)
            out += "}"
        case 6:
            out += String(head.argument)
            indicator(head)
            out += "("
            try item()
            out += ")"
        default:
            simpleOrFloat(head)
        }
    }

    mutating func string(_ head: CBORHead) throws(CBORError) {
        let text = head.majorType == 3
        if !head.isIndefinite {
            chunk(try checkedTake(head), text: text)
            indicator(head)
            return
        }
        if cursor.peek() == 0xff {
            cursor.position += 1
            out += text ? "\"\"_" : "''_"
            return
        }
        out += "(_ "
        var first = true
        while cursor.peek() != 0xff {
            if !first { out += ", " }
            first = false
            let chunkHead = try cursor.readHead()
            chunk(try checkedTake(chunkHead), text: text)
            indicator(chunkHead)
        }
        cursor.position += 1
        out += ")"
    }

    mutating func checkedTake(_ head: CBORHead) throws(CBORError) -> UnsafeBufferPointer<UInt8> {
        guard head.argument <= UInt64(cursor.remaining) else {
            throw CBORError(.truncated, at: cursor.position, "string runs past the end of the input")
        }
        return cursor.take(Int(head.argument))
    }

    mutating func chunk(_ bytes: UnsafeBufferPointer<UInt8>, text: Bool) {
        if text {
            out += CBORDiagnostic.quote(String(decoding: bytes, as: UTF8.self))
        } else {
            out += "h'"
            for b in bytes { out += hexByte(b) }
            out += "'"
        }
    }

    mutating func sequence(_ head: CBORHead, pairs: Bool) throws(CBORError) {
        var index: UInt64 = 0
        while head.isIndefinite ? cursor.peek() != 0xff : index < head.argument {
            if index > 0 { out += ", " }
            try item()
            if pairs {
                out += ": "
                try item()
            }
            index += 1
        }
        if head.isIndefinite { cursor.position += 1 }
    }

    mutating func simpleOrFloat(_ head: CBORHead) {
        switch head.additionalInfo {
        case 20: out += "false"
        case 21: out += "true"
        case 22: out += "null"
        case 23: out += "undefined"
        case 25, 26, 27:
            let value = CBORFloat.widen(head.argument, width: head.additionalInfo)
            out += CBORDiagnostic.formatFloat(value)
            if indicators && CBORFloat.preferredAdditionalInfo(value) < head.additionalInfo {
                out += "_\(head.additionalInfo - 24)"
            }
        default:
            out += "simple(\(head.argument))"
        }
    }
}
