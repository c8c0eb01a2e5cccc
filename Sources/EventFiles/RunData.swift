/// One scalar reading of a tag.
public struct ScalarPoint: Sendable, Equatable {
  public var step: Int64
  public var wallTime: Double
  public var value: Double
  public init(step: Int64, wallTime: Double, value: Double) {
    self.step = step
    self.wallTime = wallTime
    self.value = value
  }
}

/// One histogram of a tag at a step.
public struct HistogramPoint: Sendable, Equatable {
  public var step: Int64
  public var wallTime: Double
  public var histogram: Histogram
  public var buckets: [HistogramBucket] { histogram.buckets }
}

/// Everything read from a run so far, by tag, in the order it was written.
public struct RunData: Sendable {
  public var scalars: [String: [ScalarPoint]] = [:]
  public var histograms: [String: [HistogramPoint]] = [:]
  public var texts: [String: [(step: Int64, text: String)]] = [:]
  public init() {}

  public mutating func add(_ event: Event) {
    for v in event.values {
      switch v.value {
      case .scalar(let x):
        scalars[v.tag, default: []].append(ScalarPoint(step: event.step, wallTime: event.wallTime, value: x))
      case .histogram(let histogram):
        histograms[v.tag, default: []].append(
          HistogramPoint(step: event.step, wallTime: event.wallTime, histogram: histogram))
      case .text(let t):
        texts[v.tag, default: []].append((event.step, t))
      }
    }
  }
}

/// A TensorBoard run: its event files, read in name order, each as far as it is whole.
public final class EventRun {
  public let name: String
  public private(set) var data = RunData()
  private var readers: [EventFileReader]

  public init(name: String, files: [String], verifiesData: Bool = true) {
    self.name = name
    readers = files.map { EventFileReader(path: $0, verifiesData: verifiesData) }
  }

  /// Reads what was appended; returns whether anything new arrived.
  @discardableResult
  public func poll() -> Bool {
    var changed = false
    for reader in readers {
      for event in reader.poll() {
        data.add(event)
        changed = true
      }
    }
    return changed
  }

  /// Starts reading event files that appeared since (a writer's new file, another rank's).
  public func adopt(files: [String]) {
    let known = Set(readers.map(\.path))
    for path in files where !known.contains(path) {
      readers.append(EventFileReader(path: path, verifiesData: readers.first?.verifiesData ?? true))
    }
  }

  /// Files ending in an incomplete record: still being written, or cut short.
  public var filesEndingMidRecord: [String] {
    readers.filter { $0.hasPartialRecord && $0.problem == nil }.map(\.path)
  }

  /// One line per file that stopped being read, naming the file and the offset.
  public var problems: [String] { readers.compactMap(\.problem) }
}
