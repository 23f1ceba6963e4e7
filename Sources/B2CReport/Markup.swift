/// Escaping shared by the JUnit and HTML writers.
///
/// Reasons, details and outputs come from the target and may hold any text, so every string is escaped, and
/// characters a report must not contain are replaced by U+FFFD (so the reader sees that something was there):
/// the C0 controls other than tab, LF and CR, which XML 1.0 §2.2 (`Char`) forbids; DEL and the C1 controls, which
/// HTML's input stream rules treat as errors; and the noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF, among them
/// U+FFFE and U+FFFF, which XML 1.0 forbids. Swift strings cannot hold lone surrogates.
enum Markup {
    /// The stand-in for a character a report must not contain.
    static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// Whether `scalar` may appear in a report as it is (before escaping).
    /// An ASCII hex digit, either case.
    static func isHexDigit(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c)
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0x09, 0x0A, 0x0D: return true
        case 0x00...0x1F, 0x7F...0x9F: return false
        case 0xFDD0...0xFDEF: return false
        default: return v & 0xFFFE != 0xFFFE
        }
    }

    /// `s` as XML character data: `&`, `<` and `>` escaped, CR kept as `&#13;` so a parser does not turn it into LF.
    static func xmlText(_ s: String) -> String {
        escape(s) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\r": "&#13;"
            default: nil
            }
        }
    }

    /// `s` as a double-quoted XML attribute value; tab, LF and CR become character references so that attribute-value
    /// normalisation (XML 1.0 §3.3.3) keeps them.
    static func xmlAttribute(_ s: String) -> String {
        escape(s) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&apos;"
            case "\t": "&#9;"
            case "\n": "&#10;"
            case "\r": "&#13;"
            default: nil
            }
        }
    }

    /// `s` as HTML text or a double-quoted attribute value. CR LF and lone CR become LF (HTML treats `&#13;` as an
    /// error). The result is also well-formed XML, which the tests rely on.
    static func html(_ s: String) -> String {
        let normalized = s.unicodeScalars.contains("\r") ? normalizeNewlines(s) : s
        return escape(normalized) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            default: nil
            }
        }
    }

    /// Replaces CR LF and lone CR by LF.
    private static func normalizeNewlines(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var afterCR = false
        for scalar in s.unicodeScalars {
            if scalar == "\r" {
                out.append("\n")
                afterCR = true
                continue
            }
            if !(afterCR && scalar == "\n") { out.append(scalar) }
            afterCR = false
        }
        return String(out)
    }

    /// Applies `entity` to every scalar and replaces disallowed ones; returns `s` itself when nothing changes.
    private static func escape(_ s: String, _ entity: (Unicode.Scalar) -> String?) -> String {
        guard s.unicodeScalars.contains(where: { entity($0) != nil || !isAllowed($0) }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            if let replacement = entity(scalar) {
                out += replacement
            } else if isAllowed(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out.unicodeScalars.append(Self.replacement)
            }
        }
        return out
    }
}
