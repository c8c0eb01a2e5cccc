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

/// What one summary value carries, in the forms nntop reads: a number, a histogram or a text.
public enum SummaryValue: Sendable, Equatable {
  case scalar(Double)
  case histogram([HistogramBucket])
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
