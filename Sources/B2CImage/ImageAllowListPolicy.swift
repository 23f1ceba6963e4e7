/// `MCUBOOT_USE_TLV_ALLOW_LIST` (Zephyr's default `y`): the unprotected area may hold only the TLVs that need not be
/// signed (notes §10 step 4a, catalogue N20).
///
/// The unprotected area is outside the hash and the signature, so anything the bootloader acts on must be protected.
/// bootutil lets through KEYHASH, PUBKEY, the three hashes, the signature types (ECDSA224 included, though it is never
/// verified), ENC_RSA2048, ENC_KW, ENC_EC256, SIG_PURE on a pure build and exactly one of ENC_X25519 /
/// ENC_X25519_SHA512, by build. Every other type in the unprotected area rejects the image: SEC_CNT, DEPENDENCY,
/// BOOT_RECORD, UUIDs and vendor TLVs placed there are the CVE-2024-32883 class. Protected TLVs are not its concern.
public struct ImageAllowListPolicy: ImagePolicy, Hashable {
    /// The types the unprotected area may hold.
    public let allowed: Set<TLVType>

    public init(allowing allowed: Set<TLVType>) {
        self.allowed = allowed
    }

    /// bootutil's list for a build: SIG_PURE only when `pure` (`MCUBOOT_SIGN_PURE`), and ENC_X25519_SHA512 instead of
    /// ENC_X25519 when the X25519 key transport uses HMAC-SHA512.
    public init(pure: Bool, x25519HMACSHA512: Bool = false) {
        var allowed = TLVType.unprotectedAllowList
        if pure { allowed.insert(.sigPure) }
        allowed.insert(x25519HMACSHA512 ? .encX25519SHA512 : .encX25519)
        self.init(allowing: allowed)
    }

    /// Fails with `image.tlv_not_allowed` at the entry for an unprotected TLV whose type is not allowed.
    public func check(_ tlv: TLVEntry, in image: MCUbootImage) -> ImagePolicyResult {
        guard tlv.isProtected || allowed.contains(tlv.type) else {
            return .failsToMeetPolicy(
                ImageError(.tlvNotAllowed, at: tlv.offset, "\(tlv.type) is not allowed in the unprotected TLV area")
            )
        }
        return .meetsPolicy
    }
}
