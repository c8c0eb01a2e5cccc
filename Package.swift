// swift-tools-version: 6.0
import PackageDescription

/// The engine's modules are optimised even in debug builds: the end-to-end tests train real
/// networks on MNIST through the debug binary, and unoptimised Swift loops made them ~8× slower
/// (a lesson took 69 s instead of 9 s), which pushed the suite past its 3-minute budget.
let optimisedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
  name: "nntop",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "nntop", targets: ["nntop"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
    .target(name: "SystemIO"),
    .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
    .target(
      name: "NeuralNet", dependencies: ["CBLAS", "CKernels", "SystemIO"], swiftSettings: optimisedEvenInDebug),
    .target(
      name: "Datasets", dependencies: ["CZlib", "CKernels", "SystemIO"], swiftSettings: optimisedEvenInDebug),
    .target(name: "RunModel", dependencies: ["NeuralNet", "SystemIO"]),
    .target(
      name: "Training", dependencies: ["RunModel", "NeuralNet", "Datasets", "SystemIO"],
      swiftSettings: optimisedEvenInDebug),
    .target(name: "RunLog", dependencies: ["RunModel", "NeuralNet", "SystemIO"]),
    .target(name: "Diagnosis", dependencies: ["RunModel", "NeuralNet"], swiftSettings: optimisedEvenInDebug),
    .target(name: "Terminal", dependencies: ["SystemIO"]),
    .target(name: "EventFiles", dependencies: ["SystemIO"]),
    .target(name: "Viewer", dependencies: ["EventFiles", "Terminal", "SystemIO", "RunModel", "Dashboard"]),
    .target(name: "Dashboard", dependencies: ["Terminal", "RunModel", "Diagnosis", "NeuralNet"]),
    .target(name: "CursesScreen", dependencies: ["Terminal", "CNCurses"]),
    .executableTarget(
      name: "nntop",
      dependencies: [
        "NeuralNet", "Datasets", "RunModel", "Training", "RunLog", "Terminal", "Dashboard", "CursesScreen",
        "SystemIO", "EventFiles", "Viewer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Helpers shared by every test target: temporary folders, run fixtures, the `nntop` runner, waits.
    .target(name: "TestSupport", dependencies: ["RunModel", "NeuralNet"], path: "Tests/TestSupport"),
    .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TestSupport"]),
    .testTarget(name: "RunModelTests", dependencies: ["RunModel", "TestSupport"]),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "CZlib", "TestSupport"]),
    .testTarget(
      name: "TrainingTests",
      dependencies: ["Training", "RunModel", "NeuralNet", "Datasets", "Diagnosis", "TestSupport"]),
    .testTarget(name: "RunLogTests", dependencies: ["RunLog", "RunModel", "NeuralNet", "TestSupport"]),
    .testTarget(name: "TerminalTests", dependencies: ["Terminal", "TestSupport"]),
    .testTarget(
      name: "DashboardTests",
      dependencies: ["Dashboard", "Diagnosis", "Terminal", "RunModel", "NeuralNet", "TestSupport"]),
    .testTarget(name: "DiagnosisTests", dependencies: ["Diagnosis", "RunModel", "NeuralNet", "TestSupport"]),
    .testTarget(name: "EventFilesTests", dependencies: ["EventFiles", "TestSupport"]),
    .testTarget(
      name: "ViewerTests", dependencies: ["Viewer", "EventFiles", "Terminal", "RunModel", "TestSupport"]),
    .testTarget(
      name: "nntopTests",
      dependencies: ["nntop", "EventFiles", "TestSupport", "Dashboard", "RunLog", "RunModel", "Terminal"]),
    // Hostile inputs: damaged logs replayed headless and into the dashboard (fixed seeds, bounded).
    .testTarget(
      name: "FuzzTests",
      dependencies: [
        "nntop", "RunLog", "Dashboard", "Terminal", "RunModel", "NeuralNet", "Training", "TestSupport",
      ]),
  ],
  swiftLanguageModes: [.v6]
)
