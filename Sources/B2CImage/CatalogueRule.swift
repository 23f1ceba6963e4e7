/// Numbers of the negative-conformance catalogue (§15 of the MCUboot notes) for the classes bootutil **tolerates**:
/// ``ImageVerifier/Tolerance/rule``, the linter's warnings and the mutators name them with these strings.
///
/// A bootutil-like verifier accepts these images and reports the class as a tolerance; a strict implementation may
/// reject them, and a conformance run scores either verdict as acceptable.
public enum CatalogueRule {
    /// N7 (the tolerated part): a protected TLV whose length runs past the protected area's end but not past the TLV
    /// end. `tlv.c` `bootutil_tlv_iter_next` bounds a whole-area walk by the TLV end only and skips the unprotected
    /// info only when the cursor lands on the protected end, so the entry swallows what follows; when the walk then
    /// lands on an entry boundary the image can still verify.
    public static let protectedTLVOverrun = "N7"
    /// N13: a KEYHASH shorter than the hash (empty included) selects a key whose hash it prefixes
    /// (`bootutil_find_key` compares only the TLV's length).
    public static let keyHashPrefix = "N13"
    /// N28: header fields bootutil never checks: `ih_hdr_size` below 32, `_pad1` not zero, the PIC flag.
    public static let uncheckedHeaderField = "N28"
    /// N29: an unknown or vendor TLV type in the protected area: ignored by the walk, authenticated by the hash.
    public static let unknownProtectedTLV = "N29"
}
