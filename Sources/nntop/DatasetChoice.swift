import Datasets
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A dataset named on the command line, with the defaults that suit it.
enum DatasetChoice: Equatable {
  case mnist
  case synthetic(SyntheticKind)

  static let names = ["mnist"] + SyntheticKind.allCases.map(\.rawValue)

  init?(name: String) {
    if name.lowercased() == "mnist" {
      self = .mnist
    } else if let kind = SyntheticKind(rawValue: name.lowercased()) {
      self = .synthetic(kind)
    } else {
      return nil
    }
  }

  var defaultHidden: [Int] { self == .mnist ? [256, 128] : [32, 32] }
  var defaultEpochs: Int { self == .mnist ? 10 : 100 }
  var defaultBatch: Int { self == .mnist ? 128 : 32 }

  /// SGD's default learning rate: 0.05, but 0.01 for the sine regression, whose unscaled inputs
  /// (±π) and squared error made 0.05 with momentum 0.9 diverge within the first epoch.
  var defaultSGDLearningRate: Double { self == .synthetic(.sine) ? 0.01 : 0.05 }

  /// Loads (MNIST) or generates (synthetic) the data.
  func load(dataFolder: String?, noise: Double?, seed: UInt64) throws(DatasetError) -> DatasetBundle {
    switch self {
    case .mnist:
      var environment: [String: String] = [:]
      if let value = getenv("NNTOP_DATA") { environment["NNTOP_DATA"] = String(cString: value) }
      let folder = try DataLocator.locate(
        "mnist", explicit: dataFolder, environment: environment, executable: executablePath())
      return try MNIST.load(folder: folder)
    case .synthetic(let kind):
      return Synthetic.make(kind, noise: noise, seed: seed)
    }
  }
}
