import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Writes an event file TensorBoard reads: TFRecord framing with masked CRC-32C, the
/// `brain.Event:2` version record first, then scalars as `simple_value` (what PyTorch's
/// SummaryWriter writes by default), histograms as `HistogramProto` and texts as string tensors
/// of the text plugin.
public final class EventFileWriter {
  public let path: String
  private let fd: Int32
  private var buffer: [UInt8] = []

  /// `events.out.tfevents.<time>.<host>.<pid>.0` in `folder` (created if missing). Throws a
  /// one-line reason when the file cannot be created.
  public init(folder: String, wallTime: Double, host: String) throws(EventFileError) {
    try EventFileWriter.makeFolders(folder)
    let name = "events.out.tfevents.\(Int(wallTime.isFinite ? wallTime : 0)).\(host).\(getpid()).0"
    path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw EventFileError("\(path): \(String(cString: strerror(errno)))") }
    append(Event(wallTime: wallTime, step: 0, fileVersion: "brain.Event:2"))
  }

  deinit { if fd >= 0 { close(fd) } }

  static func makeFolders(_ folder: String) throws(EventFileError) {
    var prefix = folder.hasPrefix("/") ? "/" : ""
    for part in folder.split(separator: "/") {
      prefix += part + "/"
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
        throw EventFileError("\(prefix): \(String(cString: strerror(errno)))")
      }
    }
  }

  public func append(_ event: Event) {
    let data = event.encoded()
    var length = UInt64(data.count).littleEndian
    let lengthBytes = withUnsafeBytes(of: &length) { Array($0) }
    func littleEndian(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    buffer +=
      lengthBytes + littleEndian(CRC32C.masked(lengthBytes)) + data + littleEndian(CRC32C.masked(data))
    if buffer.count > 1 << 20 { _ = try? flush() }
  }

  /// Writes what is buffered; a failure (disk full) is returned as its reason.
  public func flush() throws(EventFileError) {
    guard !buffer.isEmpty else { return }
    if let problem = SystemIO.writeAll(fd, buffer) { throw EventFileError("\(path): \(problem)") }
    buffer.removeAll(keepingCapacity: true)
  }
}

public struct EventFileError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

extension Event {
  func encoded() -> [UInt8] {
    var w = ProtoWriter()
    w.double(ProtoField.Event.wallTime, wallTime)
    if step != 0 { w.integer(ProtoField.Event.step, step) }
    if let fileVersion { w.string(ProtoField.Event.fileVersion, fileVersion) }
    if !values.isEmpty {
      w.message(ProtoField.Event.summary) { summary in
        for value in values { summary.message(ProtoField.Summary.value) { value.encode(into: &$0) } }
      }
    }
    return w.bytes
  }
}

extension TaggedValue {
  func encode(into w: inout ProtoWriter) {
    w.string(ProtoField.Value.tag, tag)
    switch value {
    case .scalar(let v):
      w.float(ProtoField.Value.simpleValue, Float(v))
    case .histogram(let histogram):
      w.message(ProtoField.Value.histo) { h in
        let buckets = histogram.buckets
        let counts = buckets.map(\.count)
        // Without exact moments, the buckets' centres are the best estimate there is.
        let centres = buckets.map { ($0.left + $0.right) / 2 }
        let moments =
          histogram.moments
          ?? HistogramMoments(
            count: counts.reduce(0, +), sum: zip(centres, counts).reduce(0) { $0 + $1.0 * $1.1 },
            sumOfSquares: zip(centres, counts).reduce(0) { $0 + $1.0 * $1.0 * $1.1 })
        h.double(ProtoField.Histogram.min, buckets.first?.left ?? 0)
        h.double(ProtoField.Histogram.max, buckets.last?.right ?? 0)
        h.double(ProtoField.Histogram.num, moments.count)
        h.double(ProtoField.Histogram.sum, moments.sum)
        h.double(ProtoField.Histogram.sumSquares, moments.sumOfSquares)
        h.packedDoubles(ProtoField.Histogram.bucketLimit, buckets.map(\.right))
        h.packedDoubles(ProtoField.Histogram.bucket, counts)
      }
    case .text(let text):
      w.message(ProtoField.Value.metadata) { m in
        m.message(ProtoField.Metadata.pluginData) { $0.string(ProtoField.PluginData.pluginName, "text") }
      }
      w.message(ProtoField.Value.tensor) { t in
        t.integer(ProtoField.Tensor.dtype, Int64(DataType.string))
        t.message(ProtoField.Tensor.shape) { _ in }
        t.string(ProtoField.Tensor.stringVal, text)
      }
    }
  }
}
