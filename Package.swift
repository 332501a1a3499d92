// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-ml",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "InferenceTesting", targets: ["InferenceTesting"]),
        .library(name: "ML", targets: ["ML"]),
        .executable(name: "ml", targets: ["ml"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The inference contract: no dependencies at all.
        .target(name: "Inference"),
        .target(name: "InferenceTesting", dependencies: ["Inference"]),
        .target(name: "ML", dependencies: ["Inference"]),
        .executableTarget(
            name: "ml",
            dependencies: [
                "Inference", "ML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "InferenceTesting"]),
        .testTarget(name: "MLTests", dependencies: ["Inference", "InferenceTesting", "ML"]),
    ],
    swiftLanguageModes: [.v6]
)
