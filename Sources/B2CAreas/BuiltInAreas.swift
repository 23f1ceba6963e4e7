import B2CArea

/// The areas this build of b2c knows, registered once: the catalogue, `b2c vectors`, the reference device and
/// `--violate` all look them up here.
package enum BuiltInAreas {
    package static let registry = AreaRegistry([CBORArea(), MCUbootArea(), BootArea()])
}
