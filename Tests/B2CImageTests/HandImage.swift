import B2CImage

/// An image written byte by byte (not by the builder): the 32-byte header, an empty body, the protected area when
/// `protected` is given, then the unprotected area. Its offsets are fixed: the protected info at 32, its first entry
/// at 36 (value at 40); without a protected area the unprotected info is at 32 and its first entry at 36.
func handImage(
    version: [UInt8] = [1, 2, 3, 0, 4, 0, 0, 0],
    protected: [(type: UInt16, value: [UInt8])]? = nil,
    unprotected: [(type: UInt16, value: [UInt8])] = []
) throws -> MCUbootImage {
    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
    func area(_ magic: [UInt8], _ tlvs: [(type: UInt16, value: [UInt8])]) -> [UInt8] {
        let entries = tlvs.flatMap { le16(Int($0.type)) + le16($0.value.count) + $0.value }
        return magic + le16(4 + entries.count) + entries
    }
    let prot = protected.map { area([0x08, 0x69], $0) } ?? []
    var bytes: [UInt8] = [0x3d, 0xb8, 0xf3, 0x96]  // magic
    bytes += [0, 0, 0, 0]  // load address
    bytes += [0x20, 0x00] + le16(prot.count)  // header size 32, protected TLV size
    bytes += [0, 0, 0, 0]  // image size: no body
    bytes += [0, 0, 0, 0]  // flags
    bytes += version  // major, minor, revision (LE), build (LE)
    bytes += [0, 0, 0, 0]  // _pad1
    bytes += prot + area([0x07, 0x69], unprotected)
    return try MCUbootImage(parsing: bytes)
}

/// The failure, as "code@offset: reason", or "meets" (so one comparison checks all three).
func verdict(_ result: ImagePolicyResult) -> String {
    guard let e = result.failure else { return "meets" }
    return "\(e.code)@\(e.offset.map(String.init) ?? "-"): \(e.reason)"
}
