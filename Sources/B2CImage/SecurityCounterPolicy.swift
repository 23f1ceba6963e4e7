/// `MCUBOOT_HW_ROLLBACK_PROT`: the image's security counter must not be below the one stored on the device for its
/// image index (notes §4.4 and §12.1, catalogue N22 and N30).
///
/// During validation bootutil checks every SEC_CNT TLV it meets, in **either** area: the length must be 4, the u32 LE
/// value at least the stored counter (`boot_nv_security_counter_get`); after the walk the image must have had at least
/// one. Duplicates are each checked, so one low copy rejects. (Reading the counter to *update* the stored one,
/// `bootutil_get_img_security_cnt`, looks in the protected area only; with the allow list an unprotected SEC_CNT
/// never gets that far.)
///
/// A boot model asks the same question without a verifier: ``evaluate(counter:at:)`` for a value it already read,
/// ``ImagePolicy/evaluate(_:)`` for a candidate image.
public struct SecurityCounterPolicy: ImagePolicy, Hashable {
    /// The SEC_CNT payload: a u32, little-endian.
    package static let valueByteCount = 4

    /// The stored counter (`boot_nv_security_counter_get`): the lowest value an image may carry.
    public let floor: UInt32

    public init(floor: UInt32) {
        self.floor = floor
    }

    /// Whether `counter` passes against the stored one: equal or higher. `offset`, when known, is where the value
    /// sits in the image, for the error.
    public func evaluate(counter: UInt32, at offset: Int? = nil) -> ImagePolicyResult {
        guard counter < floor else { return .meetsPolicy }
        return .failsToMeetPolicy(
            ImageError(.securityCounter, at: offset, "security counter \(counter) is below the stored \(floor)")
        )
    }

    /// A SEC_CNT TLV must be 4 bytes (the error points at the entry) and at least the floor (it points at the value).
    public func check(_ tlv: TLVEntry, in image: MCUbootImage) -> ImagePolicyResult {
        guard tlv.type == .securityCounter else { return .meetsPolicy }
        guard tlv.length == Self.valueByteCount, let counter = image.bytes.le32(at: tlv.valueOffset) else {
            return .failsToMeetPolicy(
                ImageError(
                    .securityCounter,
                    at: tlv.offset,
                    "SEC_CNT is \(tlv.length) bytes, not \(Self.valueByteCount)"
                )
            )
        }
        return evaluate(counter: counter, at: tlv.valueOffset)
    }

    /// The image must carry a SEC_CNT TLV (every one it has met the policy in the walk).
    public func finish(_ image: MCUbootImage) -> ImagePolicyResult {
        guard !image.tlvs.contains(where: { $0.type == .securityCounter }) else { return .meetsPolicy }
        return .failsToMeetPolicy(
            ImageError(.securityCounter, "no SEC_CNT TLV and hardware rollback protection is on")
        )
    }
}
