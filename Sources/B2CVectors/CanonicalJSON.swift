import B2CWire

/// The one textual form of a JSON value that vector files, manifests and target files are kept in: keys sorted by
/// their UTF-8 bytes, two-space indentation, `"key": value`, arrays of scalars on one line, a trailing newline.
/// `b2c vectors fmt --check` compares files against it byte for byte.
public enum CanonicalJSON {
    public static func render(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        out += "\n"
        return out
    }

    /// The same value on one line, without spaces: `{"a":[1,2],"b":"x"}` (keys sorted the same way).
    public static func compact(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: nil, into: &out)
        return out
    }

    /// `indent` nil writes the compact form.
    static func write(_ value: JSONValue, indent: Int?, into out: inout String) {
        let comma = indent == nil ? "," : ", "
        func newline(_ level: Int) -> String {
            indent == nil ? "" : "\n" + String(repeating: "  ", count: level)
        }
        let level = indent ?? 0
        let inner = indent.map { $0 + 1 }
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): out += quote(s)
        case .array(let items):
            if items.isEmpty {
                out += "[]"
            } else if items.allSatisfy(\.isScalar) {
                out += "["
                for (n, item) in items.enumerated() {
                    if n > 0 { out += comma }
                    write(item, indent: indent, into: &out)
                }
                out += "]"
            } else {
                out += "["
                for (n, item) in items.enumerated() {
                    out += (n > 0 ? "," : "") + newline(level + 1)
                    write(item, indent: inner, into: &out)
                }
                out += newline(level) + "]"
            }
        case .object(let fields):
            if fields.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            let keys = fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (n, key) in keys.enumerated() {
                out += (n > 0 ? "," : "") + newline(level + 1) + quote(key) + (indent == nil ? ":" : ": ")
                write(fields[key] ?? .null, indent: inner, into: &out)
            }
            out += newline(level) + "}"
        }
    }

    /// A JSON string literal; non-ASCII is kept as UTF-8, control characters are escaped.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension JSONValue {
    var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }
}
