import Crypto

/// The 16-byte UUIDs of the UUID_VID / UUID_CID TLVs, as imgtool's `--vid` / `--cid` make them.
public enum ImageUUID {
    /// RFC 9562's DNS namespace, 6ba7b810-9dad-11d1-80b4-00c04fd430c8.
    static let namespaceDNS: [UInt8] = [
        0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
    ]

    /// A raw UUID (`8-4-4-4-12` or 32 hex digits), else nil.
    public static func raw(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        let hexDigits = utf8.filter { $0 != 0x2d }
        let dashed = utf8.count == 36 && [8, 13, 18, 23].allSatisfy { utf8[$0] == 0x2d }
        guard dashed || utf8.count == 32, hexDigits.count == 32 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < 32 {
            guard let b = UInt8(String(decoding: hexDigits[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
            i += 2
        }
        return out
    }

    /// A name-based (SHA-1, version 5) UUID.
    public static func v5(namespace: [UInt8], name: String) -> [UInt8] {
        var sha = Insecure.SHA1()
        sha.update(data: namespace)
        sha.update(data: Array(name.utf8))
        var out = Array(sha.finalize().prefix(16))
        out[6] = (out[6] & 0x0f) | 0x50
        out[8] = (out[8] & 0x3f) | 0x80
        return out
    }

    /// `--vid`: a raw UUID, or UUIDv5 of the text in the DNS namespace.
    public static func vendor(_ text: String) -> [UInt8] { raw(text) ?? v5(namespace: namespaceDNS, name: text) }

    /// `--cid`: a raw UUID, or UUIDv5 of the text in the vendor UUID's namespace.
    public static func imageClass(_ text: String, vendor: [UInt8]?) throws(ImageError) -> [UInt8] {
        if let r = raw(text) { return r }
        guard let vendor else {
            throw ImageError(.badArgument, "--cid \"\(text)\" is a name, so it needs --vid for its namespace")
        }
        return v5(namespace: vendor, name: text)
    }
}
