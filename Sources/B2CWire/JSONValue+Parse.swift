import Foundation

extension JSONValue {
    /// Parses JSON text. The error is one line: `not valid JSON (line L, column C)` at the first problem, columns
    /// counted in bytes from 1.
    public static func parse(_ bytes: [UInt8]) throws(WireError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw WireError("not valid JSON" + (errorLocation(bytes).map { " (\($0))" } ?? ""))
        }
    }

    /// Where the JSON parser stopped in `bytes`, as `line L, column C`.
    static func errorLocation(_ bytes: [UInt8]) -> String? {
        let offset: Int
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            return nil
        } catch {
            let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            guard let range = text.range(of: "character "),
                let n = Int(text[range.upperBound...].prefix { $0.isNumber })
            else {
                return bytes.isEmpty ? "the input is empty" : "line \(lineCount(bytes)), at the end"
            }
            offset = min(n, bytes.count)
        }
        var line = 1
        var column = 1
        for b in bytes.prefix(offset) {
            if b == 0x0a {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return "line \(line), column \(column)"
    }

    private static func lineCount(_ bytes: [UInt8]) -> Int { bytes.reduce(1) { $1 == 0x0a ? $0 + 1 : $0 } }
}
