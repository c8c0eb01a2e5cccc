/// One bucket of a histogram: the values in `left ..< right` (the last bucket includes its
/// right edge), as TensorBoard's `[k, 3]` tensor form has them.
public struct HistogramBucket: Sendable, Equatable {
  public var left: Double
  public var right: Double
  public var count: Double
  public init(left: Double, right: Double, count: Double) {
    self.left = left
    self.right = right
    self.count = count
  }
}

/// The exact count, sum and sum of squares a legacy `HistogramProto` carries beside its buckets.
/// A mean taken from the buckets alone is off by up to a bucket's width, and TensorBoard's buckets
/// widen by 10 % a step away from 0: weights around 5 with a spread of 0.01 fall in one bucket and
/// would read σ 0.
public struct HistogramMoments: Sendable, Equatable {
  public var count: Double
  public var sum: Double
  public var sumOfSquares: Double
  public init(count: Double, sum: Double, sumOfSquares: Double) {
    self.count = count
    self.sum = sum
    self.sumOfSquares = sumOfSquares
  }

  /// The moments of values with this mean and (population) standard deviation.
  public init(count: Double, mean: Double, standardDeviation: Double) {
    self.init(
      count: count, sum: count * mean,
      sumOfSquares: count * (standardDeviation * standardDeviation + mean * mean))
  }

  /// Whether the moments describe some values (a writer may leave them out, as zeros).
  public var isUsable: Bool { count > 0 && sum.isFinite && sumOfSquares.isFinite && sumOfSquares >= 0 }
  /// Whether the moments can be of values between `low` and `high`: a writer that fills in only
  /// the count (the others then read as 0) must not turn a spread-out histogram into μ 0 σ 0.
  public func fit(low: Double, high: Double) -> Bool {
    let slack = 1e-9 * Swift.max(1, abs(low), abs(high))
    return isUsable && mean >= low - slack && mean <= high + slack
      && (sumOfSquares > 0 || (low == 0 && high == 0))
  }

  public var mean: Double { sum / count }
  /// The population standard deviation, as the run log's `std` and PyTorch's histograms mean it;
  /// never negative where rounding would make the variance so.
  public var standardDeviation: Double { Swift.max(0, sumOfSquares / count - mean * mean).squareRoot() }
}

/// A histogram: its buckets, and its exact moments when the record carries them (the tensor form
/// of TF2 does not).
public struct Histogram: Sendable, Equatable {
  public var buckets: [HistogramBucket]
  public var moments: HistogramMoments?
  public init(buckets: [HistogramBucket], moments: HistogramMoments? = nil) {
    self.buckets = buckets
    self.moments = moments
  }
}

/// What one summary value carries, in the forms nntop reads: a number, a histogram or a text.
public enum SummaryValue: Sendable, Equatable {
  case scalar(Double)
  case histogram(Histogram)
  case text(String)
}

public struct TaggedValue: Sendable, Equatable {
  public var tag: String
  public var value: SummaryValue
  public init(tag: String, value: SummaryValue) {
    self.tag = tag
    self.value = value
  }
}

/// One `Event` record: when, at which step, and the summary values it holds (images, audio,
/// graphs and other plugins' data are skipped).
public struct Event: Sendable, Equatable {
  public var wallTime: Double
  public var step: Int64
  public var fileVersion: String?
  public var values: [TaggedValue]
  public init(wallTime: Double, step: Int64, fileVersion: String? = nil, values: [TaggedValue] = []) {
    self.wallTime = wallTime
    self.step = step
    self.fileVersion = fileVersion
    self.values = values
  }
}

/// The protobuf field numbers of the messages read and written (tensorboard/compat/proto).
enum ProtoField {
  enum Event { static let wallTime = 1, step = 2, fileVersion = 3, summary = 5 }
  enum Summary { static let value = 1 }
  enum Value { static let tag = 1, simpleValue = 2, histo = 5, tensor = 8, metadata = 9 }
  enum Metadata { static let pluginData = 1 }
  enum PluginData { static let pluginName = 1, content = 2 }
  enum Histogram {
    static let min = 1, max = 2, num = 3, sum = 4, sumSquares = 5, bucketLimit = 6, bucket = 7
  }
  enum Tensor {
    static let dtype = 1, shape = 2, content = 4, floatVal = 5, doubleVal = 6, intVal = 7, stringVal = 8
    static let int64Val = 10
  }
  enum Shape { static let dim = 2 }
  enum Dim { static let size = 1 }
}

/// TensorFlow's `DataType` values nntop reads.
enum DataType {
  static let float = 1, double = 2, int32 = 3, string = 7, int64 = 9
}
