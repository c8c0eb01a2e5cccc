import EventFiles
import Foundation
import RunModel
import SystemIO

/// What a histogram tag is of: which layer, and which of its quantities. The names are those the
/// common writers use (PyTorch's `add_histogram` with a module's parameter names, Keras' weight
/// names, nntop's own export); docs/tensorboard.md has the table.
public struct LayerTag: Sendable, Equatable {
  public enum Quantity: Int, Sendable, Comparable {
    case activations, weight, bias, gradient, other
    public static func < (a: Quantity, b: Quantity) -> Bool { a.rawValue < b.rawValue }
  }

  public var layer: String
  public var quantity: Quantity
  /// For a gradient, the parameter it is of (`fc1.weight.grad`: weight), when the tag says: a
  /// layer's weight and bias gradients both read "0 grad" and could not be told apart.
  public var gradientOf: Quantity?

  /// Words that name the quantity as a tag's first or last part (`activations/fc1`,
  /// `fc1/activations`, `dense/kernel_0`), compared without case.
  static let words: [Quantity: Set<String>] = [
    .activations: ["activations", "activation"],
    .weight: ["weight", "weights", "kernel", "kernel_0"],
    .bias: ["bias", "biases", "bias_0"],
    .gradient: ["grad", "grads", "gradient", "gradients"],
  ]

  public init(layer: String, quantity: Quantity, gradientOf: Quantity? = nil) {
    self.layer = layer
    self.quantity = quantity
    self.gradientOf = gradientOf
  }

  /// `fc1.weight.grad`, `gradients/fc1.weight`: a gradient, of the parameter that remains.
  public init(_ tag: String) {
    var rest = tag
    var gradient = false
    for suffix in [".grad", "_grad", "/grad", "/gradient", "/gradients"]
    where rest.lowercased().hasSuffix(suffix) {
      rest = String(rest.dropLast(suffix.count))
      gradient = true
      break
    }
    for prefix in ["grad/", "grads/", "gradients/"] where !gradient && rest.lowercased().hasPrefix(prefix) {
      rest = String(rest.dropFirst(prefix.count))
      gradient = true
      break
    }
    let (layer, quantity) = Self.split(rest)
    self.layer = layer.isEmpty ? tag : layer
    self.quantity = gradient ? .gradient : quantity
    if gradient, quantity == .weight || quantity == .bias { gradientOf = quantity }
  }

  /// The layer and quantity of a tag without a gradient mark: `L.weight`, `L/weight`,
  /// `weight/L`, `activations/L`, `L/activations`; anything else is a layer of its own name.
  private static func split(_ tag: String) -> (String, Quantity) {
    for separator: Character in [".", "/"] {
      let parts = tag.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
      guard parts.count >= 2 else { continue }
      // In a fixed order, so that an odd tag (`weights/bias`) always reads the same way.
      for quantity in [Quantity.activations, .weight, .bias, .gradient] {
        let names = words[quantity] ?? []
        if names.contains(parts.last!.lowercased()) {
          return (parts.dropLast().joined(separator: String(separator)), quantity)
        }
        if separator == "/", names.contains(parts[0].lowercased()) {
          return (parts.dropFirst().joined(separator: "/"), quantity)
        }
      }
    }
    return (tag, .other)
  }

  /// The row's name in the panel: the layer for its activations, "fc1 weight" for the others.
  public var rowName: String {
    switch quantity {
    case .activations, .other: return layer
    case .weight: return layer + " weight"
    case .bias: return layer + " bias"
    case .gradient:
      switch gradientOf {
      case .weight?: return layer + " weight grad"
      case .bias?: return layer + " bias grad"
      default: return layer + " grad"
      }
    }
  }

  /// Layers in their numbers' order (`fc2` before `fc10`), then activations, weights, biases,
  /// gradients.
  static func precedes(_ a: LayerTag, _ b: LayerTag) -> Bool {
    if a.layer != b.layer { return a.layer.compare(b.layer, options: .numeric) == .orderedAscending }
    if a.quantity != b.quantity { return a.quantity < b.quantity }
    return (a.gradientOf ?? .other) < (b.gradientOf ?? .other)
  }
}

/// A run's histograms as the per-layer panel's snapshots: every tag's histograms up to a step,
/// so that the panel shows the last of each and the spread over the ones before.
public enum LayerHistograms {
  /// The dashboard's own bin count (`StatisticsCollector`), so a viewed run's bars read like a
  /// live run's.
  static let bins = 24
  static let spreadColumns = 1_024

  /// Snapshots of `data`'s histograms at or before `step` (nil: all): one per step for the
  /// earlier histograms, oldest first, then one holding the last histogram of every tag, the
  /// one the panel draws.
  public static func snapshots(of data: RunData, upTo step: Int64? = nil) -> [LayerSnapshot] {
    let tags = data.histograms.keys.map { (tag: $0, layer: LayerTag($0)) }.sorted {
      LayerTag.precedes($0.layer, $1.layer)
    }
    var earlier: [Int64: [LayerStatistics]] = [:]
    var last: [LayerStatistics] = []
    var lastStep: Int64 = 0
    for (tag, layer) in tags {
      let points = (data.histograms[tag] ?? []).filter { step == nil || $0.step <= step! }
      guard let final = points.last else { continue }
      let dead = deadFractions(of: layer, in: data)
      func statisticsAt(_ point: HistogramPoint) -> LayerStatistics? {
        guard var stats = statistics(layer.rowName, point.histogram) else { return nil }
        stats.deadFraction = dead[point.step] ?? .nan
        return stats
      }
      // The spread keeps as many columns as the dashboard's (1 024, more than a terminal is
      // wide): older histograms would only cost time at every frame.
      for point in points.dropLast().suffix(spreadColumns) {
        if let stats = statisticsAt(point) { earlier[point.step, default: []].append(stats) }
      }
      if let stats = statisticsAt(final) { last.append(stats) }
      lastStep = max(lastStep, final.step)
    }
    guard !last.isEmpty else { return [] }
    return earlier.keys.sorted().map { LayerSnapshot(step: Int($0), epoch: Double($0), layers: earlier[$0]!) }
      + [LayerSnapshot(step: Int(lastStep), epoch: Double(lastStep), layers: last)]
  }

  /// The dead fraction of a layer's activations by step, where the run recorded one (nntop's
  /// run logs and exports do, as `dead_fraction/<layer>`; other writers' runs have none, and their
  /// rows say nothing of dead units rather than "dead 0%").
  static func deadFractions(of layer: LayerTag, in data: RunData) -> [Int64: Double] {
    guard layer.quantity == .activations else { return [:] }
    let points = data.scalars[SummaryTag.deadFraction + layer.layer] ?? []
    return Dictionary(points.map { ($0.step, $0.value) }, uniquingKeysWith: { _, latest in latest })
  }

  /// A layer's statistics from a histogram: the range from the outer edges, the counts spread
  /// over `bins` equal bins by overlap (as `relative` proportions) (TensorBoard's own buckets are
  /// unequal, growing away from 0), quartiles with each bucket's count taken as uniform over it,
  /// and the mean and spread from the exact moments where the record has them (from the buckets
  /// otherwise). Nil for a histogram without a finite bucket.
  static func statistics(_ name: String, _ histogram: Histogram) -> LayerStatistics? {
    let finite = histogram.buckets.filter {
      $0.left.isFinite && $0.right.isFinite && $0.count.isFinite && $0.count >= 0
    }
    guard let first = finite.first, let last = finite.last else { return nil }
    // The outer edges are the recorded minimum and maximum (the reader's form of both kinds);
    // an inner bucket may reach past them (PyTorch keeps whole buckets), so each is cut to them.
    var low = first.left
    var high = last.right
    if !(low <= high) {
      low = finite.map { Swift.min($0.left, $0.right) }.min()!
      high = finite.map { Swift.max($0.left, $0.right) }.max()!
    }
    let usable = finite.map { b in
      let l = Swift.min(Swift.max(b.left, low), high)
      let r = Swift.min(Swift.max(b.right, low), high)
      return HistogramBucket(left: Swift.min(l, r), right: Swift.max(l, r), count: b.count)
    }
    let total = usable.reduce(0) { $0 + $1.count }
    var counts = [Double](repeating: 0, count: bins)
    let width = (high - low) / Double(bins)
    for bucket in usable {
      if width <= 0 || bucket.right == bucket.left {
        counts[bin(of: bucket.left, low: low, width: width)] += bucket.count
        continue
      }
      let first = bin(of: bucket.left, low: low, width: width)
      let lastBin = bin(of: bucket.right, low: low, width: width)
      for b in first...lastBin {
        let from = max(bucket.left, low + Double(b) * width)
        let to = min(bucket.right, low + Double(b + 1) * width)
        if to > from { counts[b] += bucket.count * (to - from) / (bucket.right - bucket.left) }
      }
    }
    var mean = total > 0 ? usable.reduce(0) { $0 + $1.count * ($1.left + $1.right) / 2 } / total : .nan
    var std =
      (total > 0
      ? usable.reduce(0) { $0 + $1.count * pow(($1.left + $1.right) / 2 - mean, 2) } / total : .nan)
      .squareRoot()
    if let moments = histogram.moments, moments.isUsable {
      mean = moments.mean
      std = moments.standardDeviation
    }
    return LayerStatistics(
      name: name, units: Int(saturating: total), mean: mean, std: std, min: low, max: high,
      quartiles: [0.25, 0.5, 0.75].map { quantile($0, usable, total: total) },
      histogram: relative(counts), deadFraction: .nan, saturatedFraction: 0,
      weightNorm: .nan, gradientNorm: .nan, updateRatio: .nan)
  }

  /// The panel draws bars relative to the fullest bin: counts spread by overlap are fractions,
  /// so they are kept as parts in a million of the fullest (a bin with anything in it is never
  /// rounded to an empty one).
  static func relative(_ counts: [Double]) -> [Int] {
    guard let peak = counts.max(), peak > 0 else { return counts.map { _ in 0 } }
    return counts.map { Int(saturating: ($0 / peak * 1_000_000).rounded(.up)) }
  }

  private static func bin(of x: Double, low: Double, width: Double) -> Int {
    guard width > 0 else { return 0 }
    return max(0, min(bins - 1, Int(saturating: ((x - low) / width).rounded(.down))))
  }

  /// The value below which a fraction `q` of the count lies, uniform within each bucket.
  private static func quantile(_ q: Double, _ buckets: [HistogramBucket], total: Double) -> Double {
    let target = q * total
    var seen = 0.0
    for bucket in buckets.sorted(by: { $0.left < $1.left }) where bucket.count > 0 {
      if seen + bucket.count >= target {
        return bucket.left + (bucket.right - bucket.left) * (target - seen) / bucket.count
      }
      seen += bucket.count
    }
    return buckets.last?.right ?? .nan
  }
}
