import NeuralNet
import RunModel

/// Computes `LayerStatistics` from the state a step left behind.
///
/// Quartiles come from a strided sample of at most `sampleLimit` activations and the histogram
/// from one pass, so the cost stays bounded whatever the layer width and batch size.
struct StatisticsCollector {
  static let bins = 24
  static let sampleLimit = 4_096
  private var scratch: [Float] = []
  /// Parameters before the update, to measure the update's size.
  private var before: FloatBuffer

  init(parameterCount: Int) {
    before = FloatBuffer(count: parameterCount)
  }

  /// The parameters as they were before the last remembered step.
  var parametersBeforeStep: FloatBuffer { before }

  /// Call before a step whose statistics will be collected.
  mutating func rememberParameters(of network: Network) { before.copy(from: network.parameters) }

  /// The layers' statistics after a step of `rows` rows. Activations are summarised from the
  /// first replica's slice; a unit is dead only if no row of the whole batch, in any replica,
  /// fires it: judged on one replica's 64 rows, a unit that fires rarely looked dead in one batch
  /// and alive in the next, and a student read that as dead units coming back.
  mutating func collect(learner: Learner, rows: Int, gradientNorms: [Float]) -> [LayerStatistics] {
    let network = learner.network
    let ws = learner.workspaces[0]
    let batch = Array(learner.workspaces.prefix(learner.split(rows: rows).count))
    let activation = network.spec.activation
    var result: [LayerStatistics] = []
    for layer in network.layers {
      let units = layer.fanOut
      let values = UnsafeBufferPointer(start: ws.outputs[layer.index].base, count: ws.rows * units)
      var stats = summarize(values)
      if !layer.isOutput {
        if activation.canDie {
          stats.dead = deadFraction(
            batch.map { UnsafeBufferPointer(start: $0.outputs[layer.index].base, count: $0.rows * units) },
            units: units)
        }
        if activation.canSaturate {
          let (low, high): (Float, Float) = activation == .sigmoid ? (0.01, 0.99) : (-0.99, 0.99)
          var saturated = 0
          for v in values where v <= low || v >= high { saturated += 1 }
          stats.saturated = values.isEmpty ? 0 : Double(saturated) / Double(values.count)
        }
      }
      let w = network.parameters.base + layer.weights
      var weightSquares = 0.0
      var deltaSquares = 0.0
      for i in 0..<layer.weightCount {
        let v = Double(w[i])
        let d = v - Double(before[layer.weights + i])
        weightSquares += v * v
        deltaSquares += d * d
      }
      let weightNorm = weightSquares.squareRoot()
      result.append(
        LayerStatistics(
          name: layer.name, units: units, mean: stats.mean, std: stats.std, min: stats.min, max: stats.max,
          quartiles: stats.quartiles, histogram: stats.histogram, deadFraction: stats.dead,
          saturatedFraction: stats.saturated, weightNorm: weightNorm,
          gradientNorm: Double(gradientNorms[layer.index]),
          updateRatio: weightNorm > 0 ? deltaSquares.squareRoot() / weightNorm : 0))
    }
    return result
  }

  struct Summary {
    var mean = 0.0, std = 0.0, min = 0.0, max = 0.0
    var quartiles: [Double] = [0, 0, 0]
    var histogram: [Int] = []
    var dead = 0.0, saturated = 0.0
  }

  /// Mean and spread over every value, so a non-finite activation shows in them; range,
  /// histogram and quartiles over the finite values only (an inf or NaN has no bin, and a NaN
  /// made the bin's index trap).
  mutating func summarize(_ values: UnsafeBufferPointer<Float>) -> Summary {
    var s = Summary()
    s.histogram = Array(repeating: 0, count: Self.bins)
    guard !values.isEmpty else { return s }
    var sum = 0.0
    var squares = 0.0
    var low = Float.infinity
    var high = -Float.infinity
    for v in values {
      let d = Double(v)
      sum += d
      squares += d * d
      if v.isFinite {
        low = Swift.min(low, v)
        high = Swift.max(high, v)
      }
    }
    let n = Double(values.count)
    s.mean = sum / n
    s.std = squares.isFinite ? Swift.max(0, squares / n - s.mean * s.mean).squareRoot() : squares
    guard low <= high else {
      (s.min, s.max, s.quartiles) = (.nan, .nan, [.nan, .nan, .nan])
      return s
    }
    s.min = Double(low)
    s.max = Double(high)
    let width = Double(high - low)
    for v in values where v.isFinite {
      // In float, as the PyTorch client's histc bins (so both writers bin alike); a range wider
      // than float's puts everything in the first bin rather than trapping.
      let bin = width > 0 && width.isFinite ? Int(Double(v - low) / width * Double(Self.bins)) : 0
      s.histogram[Swift.min(Swift.max(bin, 0), Self.bins - 1)] += 1
    }
    let stride = Swift.max(1, values.count / Self.sampleLimit)
    scratch.removeAll(keepingCapacity: true)
    var i = 0
    while i < values.count {
      if values[i].isFinite { scratch.append(values[i]) }
      i += stride
    }
    scratch.sort()
    s.quartiles = [0.25, 0.5, 0.75].map { q in
      scratch.isEmpty
        ? .nan : Double(scratch[Swift.min(scratch.count - 1, Int(q * Double(scratch.count - 1) + 0.5))])
    }
    return s
  }

  /// The fraction of `units` columns that no row of any of `slices` (row-major, `units` wide)
  /// makes positive.
  func deadFraction(_ slices: [UnsafeBufferPointer<Float>], units: Int) -> Double {
    guard units > 0, slices.contains(where: { !$0.isEmpty }) else { return 0 }
    var dead = 0
    for c in 0..<units {
      let alive = slices.contains { values in
        stride(from: c, to: values.count, by: units).contains { values[$0] > 0 }
      }
      if !alive { dead += 1 }
    }
    return Double(dead) / Double(units)
  }
}
