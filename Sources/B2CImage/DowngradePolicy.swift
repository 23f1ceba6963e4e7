/// `MCUBOOT_DOWNGRADE_PREVENTION`: a candidate image must not be older than the running one (notes §4.3, catalogue
/// N27).
///
/// bootutil compares with `boot_compare_version` (notes §4.2, ``ImageVersion/compare(to:useBuildNumber:)``):
/// lexicographic on (major, minor, revision), and on the build number too only in a build with
/// `MCUBOOT_VERSION_CMP_USE_BUILD_NUMBER`. Only an older candidate fails: an equal version re-installs (issue #1740).
/// In overwrite-only mode a failing candidate in the secondary slot is erased and the primary keeps booting; this type
/// judges the version and leaves what follows to the caller. (The swap-mode variant
/// `MCUBOOT_DOWNGRADE_PREVENTION_SECURITY_COUNTER` compares the two slots' protected SEC_CNT values instead and lets
/// any candidate through when the primary has none; ``SecurityCounterPolicy/evaluate(counter:at:)`` with the
/// primary's counter as the floor is its comparison.)
///
/// A boot model asks ``evaluate(version:)`` with the candidate's version; as an ``ImagePolicy`` it judges the
/// image's header version after the TLV walk, last of the verifier's checks.
public struct DowngradePolicy: ImagePolicy, Hashable {
    /// The version of the image that runs now (the primary slot's).
    public let runningVersion: ImageVersion
    /// `MCUBOOT_VERSION_CMP_USE_BUILD_NUMBER`.
    public let compareBuildNumber: Bool

    public init(runningVersion: ImageVersion, compareBuildNumber: Bool = false) {
        self.runningVersion = runningVersion
        self.compareBuildNumber = compareBuildNumber
    }

    /// Whether a candidate of `version` may replace the running image: not older than it. The error points at the
    /// header's version field.
    public func evaluate(version: ImageVersion) -> ImagePolicyResult {
        guard version.compare(to: runningVersion, useBuildNumber: compareBuildNumber) < 0 else { return .meetsPolicy }
        return .failsToMeetPolicy(
            ImageError(
                .downgrade,
                at: ImageHeader.Offset.version,
                "version \(version) is older than the running \(runningVersion)"
            )
        )
    }

    /// The header's version, judged by ``evaluate(version:)``.
    public func finish(_ image: MCUbootImage) -> ImagePolicyResult {
        evaluate(version: image.header.version)
    }
}
