/// Decodes an `Event` message by hand. Unknown fields and summary kinds are skipped; a message
/// whose framing is damaged is an error (the record's checksum should have caught it).
extension Event {
  init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoReader.Malformed) {
    self.init(wallTime: .nan, step: 0)
    var reader = ProtoReader(bytes)
    while let (field, payload) = try reader.next() {
      switch field {
      case ProtoField.Event.wallTime: wallTime = payload.double ?? .nan
      case ProtoField.Event.step: step = payload.integer ?? 0
      case ProtoField.Event.fileVersion: fileVersion = payload.string
      case ProtoField.Event.summary:
        guard let summary = payload.data else { continue }
        var values = ProtoReader(summary)
        while let (f, value) = try values.next() {
          if f == ProtoField.Summary.value, let data = value.data, let v = try TaggedValue(decoding: data) {
            self.values.append(v)
          }
        }
      default: continue
      }
    }
  }
}

extension Event {
  /// The event in `bytes`, or nil when the message is damaged.
  static func decoded(_ bytes: [UInt8]) -> Event? {
    bytes.withUnsafeBytes { raw in try? Event(decoding: raw) }
  }
}

extension TaggedValue {
  /// A `Summary.Value`, or nil for the kinds nntop does not show (images, audio, …).
  init?(decoding bytes: UnsafeRawBufferPointer) throws(ProtoReader.Malformed) {
    var reader = ProtoReader(bytes)
    var tag = ""
    var plugin = ""
    var value: SummaryValue?
    var tensor: UnsafeRawBufferPointer?
    while let (field, payload) = try reader.next() {
      switch field {
      case ProtoField.Value.tag: tag = payload.string ?? ""
      case ProtoField.Value.simpleValue: value = payload.float.map { .scalar(Double($0)) }
      case ProtoField.Value.histo:
        if let data = payload.data { value = .histogram(try Self.legacyHistogram(data)) }
      case ProtoField.Value.tensor: tensor = payload.data
      case ProtoField.Value.metadata:
        if let data = payload.data { plugin = try Self.pluginName(data) }
      default: continue
      }
    }
    if value == nil, let tensor { value = try Self.tensorValue(tensor, plugin: plugin) }
    guard let value else { return nil }
    self.init(tag: tag, value: value)
  }

  static func pluginName(_ metadata: UnsafeRawBufferPointer) throws(ProtoReader.Malformed) -> String {
    var reader = ProtoReader(metadata)
    while let (field, payload) = try reader.next() {
      guard field == ProtoField.Metadata.pluginData, let data = payload.data else { continue }
      var plugin = ProtoReader(data)
      while let (f, p) = try plugin.next() {
        if f == ProtoField.PluginData.pluginName { return p.string ?? "" }
      }
    }
    return ""
  }

  /// A legacy `HistogramProto` in TensorBoard's bucket form: left edges are the minimum and then
  /// each previous limit, right edges the limits with the last replaced by the maximum; its
  /// count, sum and sum of squares are kept when they can be of values in its range.
  static func legacyHistogram(_ bytes: UnsafeRawBufferPointer) throws(ProtoReader.Malformed) -> Histogram {
    var reader = ProtoReader(bytes)
    var low = 0.0
    var high = 0.0
    var moments = HistogramMoments(count: 0, sum: 0, sumOfSquares: 0)
    var limits: [Double] = []
    var counts: [Double] = []
    while let (field, payload) = try reader.next() {
      switch field {
      case ProtoField.Histogram.min: low = payload.double ?? 0
      case ProtoField.Histogram.max: high = payload.double ?? 0
      case ProtoField.Histogram.num: moments.count = payload.double ?? 0
      case ProtoField.Histogram.sum: moments.sum = payload.double ?? 0
      case ProtoField.Histogram.sumSquares: moments.sumOfSquares = payload.double ?? 0
      case ProtoField.Histogram.bucketLimit: limits += payload.doubles
      case ProtoField.Histogram.bucket: counts += payload.doubles
      default: continue
      }
    }
    let n = min(limits.count, counts.count)
    let buckets = (0..<n).map { i in
      HistogramBucket(
        left: i == 0 ? low : limits[i - 1], right: i == n - 1 ? high : limits[i], count: counts[i])
    }
    return Histogram(buckets: buckets, moments: moments.fit(low: low, high: high) ? moments : nil)
  }

  /// A `TensorProto`: a rank-0 number is a scalar (TF2, PyTorch's new style), a `[k, 3]` double
  /// tensor of the histograms plugin a histogram, a string of the text plugin a text.
  static func tensorValue(_ bytes: UnsafeRawBufferPointer, plugin: String) throws(ProtoReader.Malformed)
    -> SummaryValue?
  {
    var reader = ProtoReader(bytes)
    var dtype = 0
    var shape: [Int64] = []
    var numbers: [Double] = []
    var strings: [String] = []
    var content: UnsafeRawBufferPointer?
    while let (field, payload) = try reader.next() {
      switch field {
      case ProtoField.Tensor.dtype: dtype = Int(payload.integer ?? 0)
      case ProtoField.Tensor.shape: shape = try payload.data.map(Self.dimensions) ?? []
      case ProtoField.Tensor.content: content = payload.data
      case ProtoField.Tensor.floatVal: numbers += payload.floats.map(Double.init)
      case ProtoField.Tensor.doubleVal: numbers += payload.doubles
      case ProtoField.Tensor.intVal, ProtoField.Tensor.int64Val: numbers += payload.integers.map(Double.init)
      case ProtoField.Tensor.stringVal: payload.string.map { strings.append($0) }
      default: continue
      }
    }
    if let content, numbers.isEmpty {
      switch dtype {
      case DataType.float: numbers = ProtoReader.Payload.bytes(content).floats.map(Double.init)
      case DataType.double: numbers = ProtoReader.Payload.bytes(content).doubles
      default: break
      }
    }
    if dtype == DataType.string || plugin == "text" {
      return strings.first.map { .text($0) }
    }
    if plugin == "histograms" || (shape.count == 2 && shape[1] == 3) {
      guard shape.count == 2, shape[1] == 3, numbers.count == Int(clamping: shape[0]) * 3 else { return nil }
      return .histogram(
        Histogram(
          buckets: stride(from: 0, to: numbers.count, by: 3).map {
            HistogramBucket(left: numbers[$0], right: numbers[$0 + 1], count: numbers[$0 + 2])
          }))
    }
    // A scalar: rank 0 (or one element), whatever the plugin says.
    guard shape.allSatisfy({ $0 == 1 }), numbers.count == 1 else { return nil }
    return .scalar(numbers[0])
  }

  static func dimensions(_ shape: UnsafeRawBufferPointer) throws(ProtoReader.Malformed) -> [Int64] {
    var reader = ProtoReader(shape)
    var sizes: [Int64] = []
    while let (field, payload) = try reader.next() {
      guard field == ProtoField.Shape.dim, let dim = payload.data else { continue }
      var d = ProtoReader(dim)
      var size: Int64 = 0
      while let (f, p) = try d.next() {
        if f == ProtoField.Dim.size { size = p.integer ?? 0 }
      }
      sizes.append(size)
    }
    return sizes
  }
}
