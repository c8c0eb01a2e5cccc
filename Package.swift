// swift-tools-version: 6.0
import PackageDescription

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
    .target(name: "NeuralNet", dependencies: ["CBLAS"]),
    .target(name: "Datasets", dependencies: ["CZlib"]),
    .target(name: "Training", dependencies: ["NeuralNet", "Datasets", "CBLAS"]),
    .target(name: "RunLog", dependencies: ["Training", "NeuralNet"]),
    .target(name: "Terminal"),
    .target(name: "Dashboard", dependencies: ["Terminal", "Training", "NeuralNet"]),
    .target(name: "CursesScreen", dependencies: ["Terminal", "CNCurses"]),
    .target(name: "Diagnosis", dependencies: ["Training", "NeuralNet"]),
    .executableTarget(
      name: "nntop",
      dependencies: [
        "NeuralNet", "Datasets", "Training", "RunLog", "Terminal", "Dashboard", "CursesScreen",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet"]),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "CZlib"]),
    .testTarget(name: "TrainingTests", dependencies: ["Training", "NeuralNet", "Datasets"]),
    .testTarget(name: "RunLogTests", dependencies: ["RunLog", "Training", "NeuralNet"]),
    .testTarget(name: "TerminalTests", dependencies: ["Terminal"]),
    .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Terminal", "Training", "NeuralNet"]),
    .testTarget(name: "DiagnosisTests", dependencies: ["Diagnosis", "Training", "NeuralNet"]),
    .testTarget(name: "nntopTests", dependencies: ["nntop"]),
  ],
  swiftLanguageModes: [.v6]
)
