import B2CVectors

/// Every committed generator, by area. `b2c vectors check` regenerates these and compares them with the files on
/// disk; `b2c vectors generate` writes them.
public enum VectorCatalog {
    public static func all() -> [(path: String, file: VectorFile)] {
        CBORVectorGenerator.files()
    }
}
