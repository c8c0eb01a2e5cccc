/// Small generated datasets that train in seconds: the 2-D sets of TensorFlow Playground and a
/// 1-D regression, for demos, lectures and fast tests.
public enum SyntheticKind: String, CaseIterable, Sendable {
  case xor, circles, spiral, gaussians, sine

  /// Noise used when the user gives none: jitter of the points (2-D sets) or of the target (sine).
  public var defaultNoise: Double {
    switch self {
    case .xor: return 0.05
    case .circles: return 0.08
    case .spiral: return 0.15
    case .gaussians: return 0.35
    case .sine: return 0.1
    }
  }

  public var task: Task {
    switch self {
    case .xor, .circles: return .classification(classes: 2)
    case .spiral: return .classification(classes: 3)
    case .gaussians: return .classification(classes: 4)
    case .sine: return .regression(outputs: 1)
    }
  }
}

public enum Synthetic {
  public static let defaultTrainCount = 1_000
  public static let evaluationCount = 500

  /// Generates train, validation and test splits (independent draws) from `seed`.
  public static func make(
    _ kind: SyntheticKind, noise: Double? = nil, trainCount: Int = defaultTrainCount, seed: UInt64
  ) -> DatasetBundle {
    var rng = SplitMix64(seed: seed ^ 0x5917_7E71_C000_0000 &+ UInt64(kind.rawValue.utf8.count))
    let sigma = noise ?? kind.defaultNoise
    let total = trainCount + 2 * evaluationCount
    var features: [Float] = []
    var labels: [Int32] = []
    var targets: [Float] = []
    features.reserveCapacity(total * 2)
    for i in 0..<total {
      switch kind {
      case .xor:
        let x = rng.unitDouble() * 2 - 1
        let y = rng.unitDouble() * 2 - 1
        features += [Float(x + sigma * rng.gaussian()), Float(y + sigma * rng.gaussian())]
        labels.append(x * y >= 0 ? 0 : 1)
      case .circles:
        let inner = i % 2 == 0
        let angle = rng.unitDouble() * 2 * Double.pi
        let radius = inner ? 0.5 : 1.0
        features += [
          Float(radius * cosine(angle) + sigma * rng.gaussian()),
          Float(radius * sine(angle) + sigma * rng.gaussian()),
        ]
        labels.append(inner ? 1 : 0)
      case .spiral:
        let arm = i % 3
        let t = rng.unitDouble()
        let angle = Double(arm) * 2 * Double.pi / 3 + t * 4 + sigma * rng.gaussian()
        features += [Float(t * cosine(angle)), Float(t * sine(angle))]
        labels.append(Int32(arm))
      case .gaussians:
        let blob = i % 4
        let cx: Double = blob % 2 == 0 ? -1 : 1
        let cy: Double = blob < 2 ? -1 : 1
        features += [Float(cx + sigma * 2 * rng.gaussian()), Float(cy + sigma * 2 * rng.gaussian())]
        labels.append(Int32(blob))
      case .sine:
        let x = (rng.unitDouble() * 2 - 1) * Double.pi
        features.append(Float(x))
        targets.append(Float(sine(x) + sigma * rng.gaussian()))
      }
    }
    let width = kind == .sine ? 1 : 2
    let store = ExampleStore(
      features: .floats(features), featureCount: width, labels: labels, targets: targets,
      targetCount: kind == .sine ? 1 : 0)
    let train = (0..<trainCount).map(Int32.init)
    let validation = (trainCount..<(trainCount + evaluationCount)).map(Int32.init)
    let test = ((trainCount + evaluationCount)..<total).map(Int32.init)
    return DatasetBundle(
      name: kind.rawValue, task: kind.task, train: DataSplit(store: store, indices: train),
      validation: DataSplit(store: store, indices: validation), test: DataSplit(store: store, indices: test))
  }
}
