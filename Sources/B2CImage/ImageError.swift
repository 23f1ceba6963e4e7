/// Why an MCUboot image is rejected, by which layer, and where.
///
/// The code names the first layer that must reject the image (header, TLV info, TLV bounds, hash, key, signature,
/// encryption…), so a parser bug is never hidden by a later integrity failure. The vocabulary is in
/// `docs/error-codes.md`; the N-numbers are the negative catalogue of the MCUboot notes (§15).
public struct ImageError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Header (N1–N3, N28, N33).
        public static let truncated = Code(rawValue: "image.truncated")
        public static let badMagic = Code(rawValue: "image.bad_magic")
        public static let sizeOverflow = Code(rawValue: "image.size_overflow")
        public static let badFlags = Code(rawValue: "image.bad_flags")
        /// N33: `IMAGE_F_NON_BOOTABLE`; the loader does not boot the image (`loader.c` `boot_validate_slot`).
        public static let nonBootable = Code(rawValue: "image.non_bootable")
        // TLV areas (N4–N8).
        public static let protectSizeMismatch = Code(rawValue: "image.protect_size_mismatch")
        public static let protectedInfoMissing = Code(rawValue: "image.protected_info_missing")
        public static let badTLVInfo = Code(rawValue: "image.bad_tlv_info")
        public static let tlvOutOfBounds = Code(rawValue: "image.tlv_out_of_bounds")
        public static let tlvBeyondMaxSize = Code(rawValue: "image.tlv_beyond_max_size")
        public static let tlvNotAllowed = Code(rawValue: "image.tlv_not_allowed")
        // Integrity (N9–N11) and keys (N12–N14).
        public static let hashMissing = Code(rawValue: "image.hash_missing")
        public static let hashLength = Code(rawValue: "image.hash_length")
        public static let hashMismatch = Code(rawValue: "image.hash_mismatch")
        public static let keyHashLength = Code(rawValue: "image.keyhash_length")
        public static let keyLength = Code(rawValue: "image.key_length")
        // Signatures (N14–N17, N21).
        public static let noValidSignature = Code(rawValue: "image.no_valid_signature")
        public static let signatureLength = Code(rawValue: "image.signature_length")
        public static let signatureInvalid = Code(rawValue: "image.signature_invalid")
        public static let sigPure = Code(rawValue: "image.sig_pure")
        // Policy TLVs (N22–N24).
        public static let securityCounter = Code(rawValue: "image.security_counter")
        public static let uuidMismatch = Code(rawValue: "image.uuid_mismatch")
        public static let dependency = Code(rawValue: "image.dependency")
        public static let downgrade = Code(rawValue: "image.downgrade")
        // Encryption (N25).
        public static let encTLVMissing = Code(rawValue: "image.enc_tlv_missing")
        public static let encTLVLength = Code(rawValue: "image.enc_tlv_length")
        public static let encHMAC = Code(rawValue: "image.enc_hmac")
        public static let encKey = Code(rawValue: "image.enc_key")
        // Configuration and inputs of our own tools (never an image property).
        public static let unsupported = Code(rawValue: "image.unsupported")
        public static let badKey = Code(rawValue: "image.bad_key")
        public static let badArgument = Code(rawValue: "image.bad_argument")
        // Trailer (N26).
        public static let trailer = Code(rawValue: "image.trailer")
    }

    public let code: Code
    /// Byte offset in the image where the problem was found (nil when it is not a property of one place).
    public let offset: Int?
    /// One line for a person.
    public let reason: String

    public init(_ code: Code, at offset: Int? = nil, _ reason: String) {
        self.code = code
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        if let offset { return "\(code) at offset \(offset): \(reason)" }
        return "\(code): \(reason)"
    }
}
