import B2CVectors

/// Every committed generator, by area. `b2c vectors check` regenerates these and compares them with the files on
/// disk; `b2c vectors generate` writes them.
public enum VectorCatalog {
    /// What the generators produce: vector files, image blobs by SHA-256, and the signature pins they used.
    public struct Generated {
        public var files: [(path: String, file: VectorFile)]
        public var blobs: [String: [UInt8]]
        public var pins: [(path: String, pins: SignaturePins)]
    }

    /// Pins files, relative to the vectors directory: inputs of the generators, not generated files.
    public static let pinsPaths = ["mcuboot/pins.json"]

    /// Runs every generator with the pins committed under `vectorsDir`.
    public static func generate(vectorsDir: String) throws(VectorError) -> Generated {
        let mcubootPins = try SignaturePins(path: vectorsDir + "/" + pinsPaths[0])
        let mcuboot = try MCUbootVectorGenerator.files(pins: mcubootPins)
        return Generated(
            files: CBORVectorGenerator.files() + mcuboot.files, blobs: mcuboot.blobs,
            pins: [(pinsPaths[0], mcubootPins)])
    }
}
