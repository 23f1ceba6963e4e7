/// Why the boot model refused an operation, or why a boot did not end on an image.
///
/// The codes are the `boot.*` vocabulary of `docs/error-codes.md`. Flash errors name the area and the offset; the
/// bootutil return codes they stand for are cited on each code.
public struct BootError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The injected power failure: the flash operation was not performed, and nothing after it.
        public static let powerFail = Code(rawValue: "boot.power_fail")
        /// A program or erase outside the area, or not on its write-size or sector boundaries (`BOOT_EFLASH`).
        public static let flashBounds = Code(rawValue: "boot.flash_bounds")
        public static let flashAlignment = Code(rawValue: "boot.flash_alignment")
        /// Programming a write unit that is not erased (the simulator's "write to non-erased" check).
        public static let flashNotErased = Code(rawValue: "boot.flash_not_erased")
        /// A layout the model cannot run (sector counts, trailer sizes, write size larger than `BOOT_MAX_ALIGN`).
        public static let geometry = Code(rawValue: "boot.geometry")
        /// `boot_set_next` on a slot whose trailer magic is bad: `BOOT_EBADIMAGE` (secondary), `BOOT_EBADVECT`
        /// (primary).
        public static let badImage = Code(rawValue: "boot.bad_image")
        public static let badVector = Code(rawValue: "boot.bad_vector")
        /// No slot holds an image the bootloader accepts (`boot_go` fails: `FIH_FAILURE`).
        public static let noBootableImage = Code(rawValue: "boot.no_bootable_image")
        /// A state the model does not act out (the swap-scratch path that carries the trailer through scratch).
        public static let unsupported = Code(rawValue: "boot.unsupported")
        /// `BOOT_SWAP_TYPE_PANIC`: a swap that cannot continue.
        public static let panic = Code(rawValue: "boot.panic")
    }

    public let code: Code
    /// Offset in the area where the problem was found, when it is one place.
    public let offset: Int?
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
