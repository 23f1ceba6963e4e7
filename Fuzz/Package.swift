// swift-tools-version: 6.1
// libFuzzer targets for b2c. A separate package so that the root build never sees them; build and run them with
// scripts/fuzz (see README.md here), which passes the sanitizer flags.
import Foundation
import PackageDescription

// A path dependency's package identity is the directory name of the checkout (not the manifest's `name:`), so a clone
// in a directory with another name must still resolve: derive it from where this manifest lives.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent
let entries: Target.Dependency = .product(name: "B2CFuzzEntries", package: root)

let package = Package(
    name: "b2c-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "FuzzCBORDecode", dependencies: [entries]),
        .executableTarget(name: "FuzzCBORRoundTrip", dependencies: [entries]),
        .executableTarget(name: "FuzzCBORDifferential", dependencies: [entries]),
        .executableTarget(name: "FuzzImageParse", dependencies: [entries]),
        .executableTarget(name: "FuzzKeyFile", dependencies: [entries]),
        .executableTarget(name: "FuzzImageVerify", dependencies: [entries]),
        .executableTarget(name: "FuzzTLVWalk", dependencies: [entries]),
        .executableTarget(name: "FuzzImageDecrypt", dependencies: [entries]),
        .executableTarget(name: "FuzzLineFramer", dependencies: [entries]),
        .executableTarget(name: "FuzzCBORStream", dependencies: [entries]),
        .executableTarget(name: "FuzzBootTrailer", dependencies: [entries]),
        .executableTarget(name: "FuzzSMPServer", dependencies: [entries]),
        .executableTarget(name: "FuzzSMPFrame", dependencies: [entries]),
        .executableTarget(name: "FuzzSMPMessage", dependencies: [entries]),
    ]
)
