/// One check that a bootloader build adds to image validation, asked on its own: it answers with an
/// ``ImagePolicyResult`` instead of throwing, so the verifier, a boot model or a test can apply it alone.
///
/// bootutil's `bootutil_img_validate` (notes §10) walks every TLV of both areas in media order and applies each check
/// the build enables to the TLV at hand (step 4); what can only be judged once every TLV was seen ("SEC_CNT / UUID must
/// have validated", step 5) is checked after the walk. A policy has the same two hooks: ``check(_:in:)`` sees one TLV,
/// in media order, and ``finish(_:)`` runs once every TLV met the policy.
///
/// Policies are values without walk state. A TLV that fails ends the walk, so when ``finish(_:)`` runs, every TLV of
/// the image met the policy, and "a TLV of this type was seen and passed" is "the image has a TLV of this type".
public protocol ImagePolicy: Sendable {
    /// Judges one TLV of the walk (protected and unprotected areas, media order). The default meets the policy.
    func check(_ tlv: TLVEntry, in image: MCUbootImage) -> ImagePolicyResult

    /// Judges the image after every TLV met the policy. The default meets the policy.
    func finish(_ image: MCUbootImage) -> ImagePolicyResult
}

extension ImagePolicy {
    public func check(_ tlv: TLVEntry, in image: MCUbootImage) -> ImagePolicyResult { .meetsPolicy }

    public func finish(_ image: MCUbootImage) -> ImagePolicyResult { .meetsPolicy }

    /// The walk for this policy alone: every TLV in media order, then ``finish(_:)``; the first failure is the answer.
    public func evaluate(_ image: MCUbootImage) -> ImagePolicyResult {
        for tlv in image.tlvs {
            let result = check(tlv, in: image)
            guard case .meetsPolicy = result else { return result }
        }
        return finish(image)
    }
}

/// What an ``ImagePolicy`` says about an image, a TLV or a plain value: it meets the policy, or it fails with the
/// ``ImageError`` (code, offset, reason) a verifier reports for it.
public enum ImagePolicyResult: Hashable, Sendable {
    case meetsPolicy
    case failsToMeetPolicy(ImageError)

    /// The error, when the policy is not met.
    public var failure: ImageError? {
        guard case .failsToMeetPolicy(let error) = self else { return nil }
        return error
    }

    /// Throws the failure, for callers that stop at the first one (the verifier).
    package func enforce() throws(ImageError) {
        if let failure { throw failure }
    }
}
