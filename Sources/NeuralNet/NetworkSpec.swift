/// The shape of a multilayer perceptron: what a run log records and a checkpoint must match.
public struct NetworkSpec: Sendable, Codable, Equatable {
  public var inputSize: Int
  public var hiddenSizes: [Int]
  public var outputSize: Int
  public var activation: Activation
  public var loss: LossFunction
  public var batchNorm: Bool
  public var initialization: Initialization

  public init(
    inputSize: Int, hiddenSizes: [Int], outputSize: Int, activation: Activation = .relu,
    loss: LossFunction = .softmaxCrossEntropy, batchNorm: Bool = false,
    initialization: Initialization? = nil
  ) {
    self.inputSize = inputSize
    self.hiddenSizes = hiddenSizes
    self.outputSize = outputSize
    self.activation = activation
    self.loss = loss
    self.batchNorm = batchNorm
    self.initialization = initialization ?? .suited(to: activation)
  }

  /// Widths from input to output, e.g. [784, 256, 128, 10].
  public var layerSizes: [Int] { [inputSize] + hiddenSizes + [outputSize] }
  /// Each dense layer's (inputs, outputs), first to last.
  public var layerShapes: [(fanIn: Int, fanOut: Int)] {
    zip(layerSizes, layerSizes.dropFirst()).map { (fanIn: $0, fanOut: $1) }
  }

  /// "784-256-128-10 relu", the way the header and the console name a network.
  public var summary: String {
    layerSizes.map(String.init).joined(separator: "-") + " " + activation.rawValue
      + (batchNorm ? " +bn" : "")
  }
}

/// Where one dense layer's parameters live inside the network's single parameter buffer.
public struct DenseLayout: Sendable, Equatable {
  public let index: Int
  public let fanIn: Int
  public let fanOut: Int
  public let isOutput: Bool
  /// Offset of the fanIn × fanOut weight matrix (row-major, so forward is x · W).
  public let weights: Int
  /// Offset of the bias; absent on hidden layers followed by batch norm (which makes it redundant).
  public let bias: Int?
  /// Offsets of batch norm's scale and shift.
  public let gamma: Int?
  public let beta: Int?
  /// Offset of this layer's running mean and variance in the network's batch-norm state.
  public let runningStats: Int?

  public var weightCount: Int { fanIn * fanOut }
  public var usesBatchNorm: Bool { gamma != nil }
  /// Every parameter of this layer, as a range of the parameter buffer.
  public var parameterRange: Range<Int> {
    let end = beta.map { $0 + fanOut } ?? bias.map { $0 + fanOut } ?? weights + weightCount
    return weights..<end
  }
  public var weightRange: Range<Int> { weights..<(weights + weightCount) }
  /// Rows `rows` of the weight matrix (a core's share, or a block of it), as a range of the
  /// parameter buffer.
  public func weightRange(rows: Range<Int>) -> Range<Int> {
    (weights + rows.lowerBound * fanOut)..<(weights + rows.upperBound * fanOut)
  }
  /// The parameters after the weights (bias, or batch norm's γ and β).
  public var otherRange: Range<Int> { weightRange.upperBound..<parameterRange.upperBound }
  public var name: String { isOutput ? DenseLayout.outputName : "hidden\(index + 1)" }
  /// The output layer's name in statistics and logs.
  public static let outputName = "output"
}

/// A contiguous run of parameters that is either decayed by L2 or not.
///
/// L2 applies to weight matrices only: biases and batch-norm parameters are not decayed, the usual
/// choice (decaying a bias does not reduce the model's capacity, it only shifts its outputs).
public struct ParameterGroup: Sendable, Equatable {
  public let layer: Int
  public let range: Range<Int>
  public let decays: Bool
}

extension NetworkSpec {
  /// Lays out every layer's parameters one after the other.
  public func layout() -> (layers: [DenseLayout], groups: [ParameterGroup], count: Int, statsCount: Int) {
    let sizes = layerSizes
    var offset = 0
    var statsOffset = 0
    var layers: [DenseLayout] = []
    var groups: [ParameterGroup] = []
    for i in 0..<(sizes.count - 1) {
      let fanIn = sizes[i]
      let fanOut = sizes[i + 1]
      let isOutput = i == sizes.count - 2
      let norm = batchNorm && !isOutput
      let weights = offset
      offset += fanIn * fanOut
      groups.append(ParameterGroup(layer: i, range: weights..<offset, decays: true))
      let restStart = offset
      var bias: Int?
      var gamma: Int?
      var beta: Int?
      var running: Int?
      if norm {
        gamma = offset
        beta = offset + fanOut
        offset += 2 * fanOut
        running = statsOffset
        statsOffset += 2 * fanOut
      } else {
        bias = offset
        offset += fanOut
      }
      groups.append(ParameterGroup(layer: i, range: restStart..<offset, decays: false))
      layers.append(
        DenseLayout(
          index: i, fanIn: fanIn, fanOut: fanOut, isOutput: isOutput, weights: weights, bias: bias,
          gamma: gamma, beta: beta, runningStats: running))
    }
    return (layers, groups, offset, statsOffset)
  }
}

extension NetworkSpec {
  /// Widths a layer may have. The command line, run logs and checkpoints all check against this,
  /// so no file can describe a network the command line would refuse to build.
  public static let widthRange = 1...65_536
  /// Hidden layers a network may have (far beyond any useful depth for an MLP; bounds the work a
  /// file's description can ask for).
  public static let maximumHiddenLayers = 256

  /// What is wrong with the sizes, or nil when every width and the depth are in range.
  public var sizeProblem: String? {
    if hiddenSizes.count > Self.maximumHiddenLayers {
      return "\(hiddenSizes.count) hidden layers, at most \(Self.maximumHiddenLayers)"
    }
    let range = Self.widthRange
    for (name, width) in [("input", inputSize), ("output", outputSize)] + hiddenSizes.map({ ("hidden", $0) })
    where !range.contains(width) {
      return "\(name) width \(width) is outside \(range.lowerBound)...\(range.upperBound)"
    }
    return nil
  }

  /// The number of parameters and of batch-norm statistics, counted with overflow checks (nil
  /// when either does not fit an Int): `layout()` may then run without trapping.
  public var checkedCounts: (parameters: Int, statistics: Int)? {
    let sizes = layerSizes
    var parameters = 0
    var statistics = 0
    for i in 0..<(sizes.count - 1) {
      let (weights, o1) = sizes[i].multipliedReportingOverflow(by: sizes[i + 1])
      let norm = batchNorm && i < sizes.count - 2
      let (rest, o2) = sizes[i + 1].multipliedReportingOverflow(by: norm ? 2 : 1)
      let (sum, o3) = parameters.addingReportingOverflow(weights)
      let (total, o4) = sum.addingReportingOverflow(rest)
      let (stats, o5) = statistics.addingReportingOverflow(norm ? rest : 0)
      guard !(o1 || o2 || o3 || o4 || o5), sizes[i] >= 0, sizes[i + 1] >= 0 else { return nil }
      parameters = total
      statistics = stats
    }
    return (parameters, statistics)
  }
}

extension NetworkSpec {
  /// Bytes training this network takes, roughly, or nil when the count overflows: the parameters
  /// with a gradient per core, the optimiser's moments and two copies (best weights, a finder's
  /// restore point), each core's buffer for a block of gradient rows, plus each core's
  /// activations for its share of the batch (and its part of the first layer's product) and the
  /// evaluator's 1 000-row chunk. Checked before anything is allocated, so a network too large
  /// for the machine is a message, not an allocation failure.
  public func trainingBytes(batch: Int, optimizer: OptimizerKind, threads: Int) -> Int? {
    guard let counts = checkedCounts else { return nil }
    let cores = ReplicaSplit.replicas(threads: threads, batch: batch)
    let moments = optimizer == .adam ? 2 : 1
    let perRow = [inputSize, outputSize] + hiddenSizes.map { $0 * (batchNorm ? 5 : 4) } + [2 * outputSize]
    var floats = 0
    var overflow = false
    func add(_ a: Int, times b: Int) {
      let (product, o1) = a.multipliedReportingOverflow(by: b)
      let (sum, o2) = floats.addingReportingOverflow(product)
      overflow = overflow || o1 || o2
      floats = sum
    }
    add(counts.parameters, times: 1 + cores + moments + 2)
    add(counts.statistics, times: 1)
    for width in perRow {
      add(width, times: batch)
      add(width, times: 1_000)
    }
    // Each core's buffer for the block of weight-gradient rows it is making (`Learner`).
    add(ReplicaSplit.largestGradientBlock(shapes: layerShapes, count: cores), times: cores)
    if cores > 1 && !batchNorm {
      // Each core's part of the first layer's product, for the whole batch (`Learner`).
      add((hiddenSizes.first ?? outputSize) * cores, times: batch)
    }
    let (bytes, o3) = floats.multipliedReportingOverflow(by: 4)
    return overflow || o3 ? nil : bytes
  }
}
