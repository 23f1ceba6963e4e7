/// `MCUBOOT_UUID_VID` / `MCUBOOT_UUID_CID`: the image must name the device's vendor and image class (notes §10 step
/// 4f and §12.4, catalogue N23).
///
/// With a check enabled, bootutil compares every UUID_VID (0x74) or UUID_CID (0x75) TLV it meets, in either area,
/// with the platform's expected 16 bytes: a length other than 16 or other bytes reject the image. After the walk a
/// UUID whose check is enabled must have been seen. A check that is off ignores its TLV type. (With the allow list
/// on, a UUID TLV in the unprotected area is rejected by that policy first.)
public struct ImageUUIDPolicy: ImagePolicy, Hashable {
    /// A UUID TLV's payload: 16 raw bytes.
    package static let valueByteCount = 16

    /// The expected UUID_VID; nil turns the vendor check off.
    public let vendorID: [UInt8]?
    /// The expected UUID_CID; nil turns the class check off.
    public let classID: [UInt8]?

    public init(vendorID: [UInt8]? = nil, classID: [UInt8]? = nil) {
        self.vendorID = vendorID
        self.classID = classID
    }

    /// The UUID the device expects in a TLV of `type`, or nil when that type is not checked.
    func expected(_ type: TLVType) -> [UInt8]? {
        switch type {
        case .uuidVID: vendorID
        case .uuidCID: classID
        default: nil
        }
    }

    /// A checked UUID TLV must be 16 bytes equal to the expected UUID; the error points at the entry.
    public func check(_ tlv: TLVEntry, in image: MCUbootImage) -> ImagePolicyResult {
        guard let expected = expected(tlv.type) else { return .meetsPolicy }
        guard tlv.length == Self.valueByteCount, image.value(of: tlv).elementsEqual(expected) else {
            return .failsToMeetPolicy(
                ImageError(.uuidMismatch, at: tlv.offset, "\(tlv.type) does not match the device's UUID")
            )
        }
        return .meetsPolicy
    }

    /// Every checked UUID must be present (each one present met the policy in the walk).
    public func finish(_ image: MCUbootImage) -> ImagePolicyResult {
        let missing = [TLVType.uuidVID, .uuidCID].contains { type in
            expected(type) != nil && !image.tlvs.contains { $0.type == type }
        }
        guard missing else { return .meetsPolicy }
        return .failsToMeetPolicy(ImageError(.uuidMismatch, "a UUID TLV the device checks is missing"))
    }
}
