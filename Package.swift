// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "b2c",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "B2CCBOR", targets: ["B2CCBOR"]),
        .library(name: "B2CImage", targets: ["B2CImage"]),
        .library(name: "B2CWire", targets: ["B2CWire"]),
        .library(name: "B2CVectors", targets: ["B2CVectors"]),
        .library(name: "B2CReport", targets: ["B2CReport"]),
        .library(name: "B2CFuzzEntries", targets: ["B2CFuzzEntries"]),
        .executable(name: "b2c", targets: ["b2c"]),
        .executable(name: "b2c-device", targets: ["b2c-device"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // Codecs: dependency-free so fuzz builds stay fast.
        .target(name: "B2CCBOR", swiftSettings: strict),
        .target(
            name: "B2CImage",
            dependencies: [
                "B2CCBOR", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict),
        // Formats.
        .target(name: "B2CWire", swiftSettings: strict),
        .target(
            name: "B2CVectors",
            dependencies: ["B2CWire", "B2CImage", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(name: "B2CReport", swiftSettings: strict),
        // Generators of vectors and of property-test inputs.
        .target(
            name: "B2CGenerators",
            dependencies: ["B2CCBOR", "B2CImage", "B2CVectors", "B2CWire", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        // Machinery and content.
        .target(name: "CB2CSpawn"),
        .target(
            name: "B2CHarness", dependencies: ["B2CWire", "B2CVectors", "B2CReport", "CB2CSpawn"], swiftSettings: strict),
        .target(
            name: "B2CSuites",
            dependencies: ["B2CHarness", "B2CVectors", "B2CWire", "B2CCBOR"],
            swiftSettings: strict),
        // The reference device: every operation the suites know, served over the wire protocol.
        .target(name: "B2CDevice", dependencies: ["B2CWire", "B2CCBOR", "B2CImage", "B2CVectors"], swiftSettings: strict),
        // libFuzzer entry points, shared by Fuzz/ and the corpus replay tests.
        .systemLibrary(name: "CLibCbor", pkgConfig: "libcbor", providers: [.apt(["libcbor-dev"])]),
        .target(
            name: "B2CFuzzEntries",
            dependencies: ["B2CCBOR", "B2CImage", "CLibCbor", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .executableTarget(
            name: "b2c",
            dependencies: [
                "B2CCBOR", "B2CImage", "B2CVectors", "B2CGenerators", "B2CHarness", "B2CSuites", "B2CReport",
                "B2CDevice", "B2CWire", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "b2c-device", dependencies: ["B2CDevice"], swiftSettings: strict),
        .testTarget(
            name: "B2CCBORTests",
            dependencies: ["B2CCBOR", "B2CGenerators", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict),
        .testTarget(
            name: "B2CImageTests",
            dependencies: [
                "B2CImage", "B2CGenerators", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict),
        .testTarget(name: "B2CReportTests", dependencies: ["B2CReport"], swiftSettings: strict),
        .testTarget(
            name: "B2CVectorsTests", dependencies: ["B2CVectors", "B2CGenerators", "B2CCBOR"], swiftSettings: strict),
        .testTarget(
            name: "B2CEndToEndTests",
            dependencies: ["B2CHarness", "B2CSuites", "B2CWire", "B2CReport", "B2CDevice", "B2CCBOR", "B2CGenerators"],
            swiftSettings: strict),
        .testTarget(name: "B2CFuzzRegressionTests", dependencies: ["B2CFuzzEntries"], swiftSettings: strict),
    ]
)
