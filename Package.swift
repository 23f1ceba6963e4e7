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
        .library(name: "B2CHex", targets: ["B2CHex"]),
        .library(name: "B2CCBOR", targets: ["B2CCBOR"]),
        .library(name: "B2CImage", targets: ["B2CImage"]),
        .library(name: "B2CBoot", targets: ["B2CBoot"]),
        .library(name: "B2CSMP", targets: ["B2CSMP"]),
        .library(name: "B2CSMPServer", targets: ["B2CSMPServer"]),
        .library(name: "B2CWire", targets: ["B2CWire"]),
        .library(name: "B2CVectors", targets: ["B2CVectors"]),
        .library(name: "B2CReport", targets: ["B2CReport"]),
        .library(name: "B2CArea", targets: ["B2CArea"]),
        .library(name: "B2CHarness", targets: ["B2CHarness"]),
        .library(name: "B2CTTY", targets: ["B2CTTY"]),
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
        .target(name: "B2CHex", swiftSettings: strict),
        .target(name: "B2CCBOR", swiftSettings: strict),
        .target(
            name: "B2CImage",
            dependencies: [
                "B2CCBOR", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),
        // The boot model: flash areas, trailers, swap strategies and power-fail injection over B2CImage's checks.
        .target(name: "B2CBoot", dependencies: ["B2CImage"], swiftSettings: strict),
        // SMP (mcumgr): header, return codes, typed OS and image commands, serial/raw/UDP framing; sans-I/O.
        .target(name: "B2CSMP", dependencies: ["B2CCBOR"], swiftSettings: strict),
        // An SMP server (OS and image groups, serial recovery) over the boot model; sans-I/O.
        .target(
            name: "B2CSMPServer",
            dependencies: [
                "B2CBoot", "B2CCBOR", "B2CImage", "B2CSMP", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Formats.
        .target(name: "B2CWire", swiftSettings: strict),
        .target(
            name: "B2CVectors",
            dependencies: ["B2CHex", "B2CWire", "B2CImage", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(name: "B2CReport", swiftSettings: strict),
        // Generators of vectors and of property-test inputs.
        .target(
            name: "B2CGenerators",
            dependencies: [
                "B2CCBOR", "B2CHex", "B2CImage", "B2CSMP", "B2CVectors", "B2CWire",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The contract of an area (cases, scenarios, device operations, violations) and the registry.
        .target(
            name: "B2CArea",
            dependencies: ["B2CHex", "B2CReport", "B2CVectors", "B2CWire"],
            swiftSettings: strict
        ),
        // Machinery: transports, sessions, the runner, expectations, the event log.
        .target(name: "CB2CSpawn"),
        .target(name: "CB2CTTY"),
        .target(name: "B2CTTY", dependencies: ["CB2CTTY"], swiftSettings: strict),
        // The SMP client: requests matched to answers over a serial line or UDP, and the uploader.
        .target(
            name: "B2CSMPClient",
            dependencies: [
                "B2CCBOR", "B2CHarness", "B2CHex", "B2CSMP", "B2CWire",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "B2CHarness",
            dependencies: ["B2CArea", "B2CReport", "B2CTTY", "B2CWire", "CB2CSpawn"],
            swiftSettings: strict
        ),
        // The reference device: the registered areas' operations, served over the wire protocol.
        .target(
            name: "B2CDevice",
            dependencies: [
                "B2CArea", "B2CBoot", "B2CHex", "B2CImage", "B2CSMP", "B2CSMPServer", "B2CTTY", "B2CWire",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Content: one folder per area, registered once in BuiltInAreas.
        .target(
            name: "B2CAreas",
            dependencies: [
                "B2CArea", "B2CBoot", "B2CCBOR", "B2CGenerators", "B2CHex", "B2CImage", "B2CReport", "B2CVectors",
                "B2CWire",
            ],
            swiftSettings: strict
        ),
        // libFuzzer entry points, shared by Fuzz/ and the corpus replay tests.
        .systemLibrary(name: "CLibCbor", pkgConfig: "libcbor", providers: [.apt(["libcbor-dev"])]),
        .target(
            name: "B2CFuzzEntries",
            dependencies: [
                "B2CBoot", "B2CCBOR", "B2CHex", "B2CImage", "B2CSMP", "B2CSMPServer", "B2CWire", "CLibCbor",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "b2c",
            dependencies: [
                "B2CArea", "B2CAreas", "B2CCBOR", "B2CDevice", "B2CHarness", "B2CHex", "B2CImage", "B2CReport",
                "B2CSMP", "B2CSMPClient", "B2CVectors", "B2CWire", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "b2c-device", dependencies: ["B2CAreas", "B2CDevice"], swiftSettings: strict),
        // Helpers the test targets share (paths, processes, temporary directories, an in-memory device).
        .target(
            name: "B2CTestSupport",
            dependencies: ["B2CArea", "B2CAreas", "B2CDevice", "B2CHarness", "B2CReport"],
            path: "Tests/B2CTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "B2CCBORTests",
            dependencies: [
                "B2CCBOR", "B2CGenerators", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "B2CImageTests",
            dependencies: [
                "B2CImage", "B2CGenerators", "B2CHex", "B2CTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "B2CBootTests",
            dependencies: ["B2CBoot", "B2CImage", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "B2CSMPClientTests",
            dependencies: [
                "B2CArea", "B2CCBOR", "B2CDevice", "B2CHarness", "B2CReport", "B2CSMP", "B2CSMPClient", "B2CTTY",
                "B2CTestSupport", "B2CWire",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "B2CSMPTests",
            dependencies: [
                "B2CCBOR", "B2CGenerators", "B2CSMP", "B2CTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "B2CSMPServerTests",
            dependencies: [
                "B2CBoot", "B2CCBOR", "B2CDevice", "B2CImage", "B2CSMP", "B2CSMPServer", "B2CTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "B2CReportTests", dependencies: ["B2CReport"], swiftSettings: strict),
        .testTarget(
            name: "B2CVectorsTests",
            dependencies: [
                "B2CArea", "B2CAreas", "B2CCBOR", "B2CGenerators", "B2CHex", "B2CImage", "B2CTestSupport", "B2CVectors",
                "B2CWire",
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "B2CWireTests", dependencies: ["B2CCBOR", "B2CWire"], swiftSettings: strict),
        .testTarget(
            name: "B2CHarnessTests",
            dependencies: [
                "B2CArea", "B2CAreas", "B2CDevice", "B2CHarness", "B2CHex", "B2CReport", "B2CTTY", "B2CTestSupport",
                "B2CVectors",
                "B2CWire",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "B2CEndToEndTests",
            dependencies: [
                "B2CArea", "B2CCBOR", "B2CGenerators", "B2CHarness", "B2CHex", "B2CReport", "B2CTestSupport", "B2CWire",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "B2CFuzzRegressionTests",
            dependencies: ["B2CFuzzEntries", "B2CTestSupport"],
            swiftSettings: strict
        ),
    ]
)
