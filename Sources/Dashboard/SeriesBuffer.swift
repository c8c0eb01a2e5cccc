import Terminal

/// A value a series can be thinned by.
public protocol SeriesSample: Sendable {
  /// What thinning compares: of the points a halving merges, the one farthest from the point
  /// kept before them stays.
  var sampleValue: Double { get }
}

extension ChartPoint: SeriesSample {
  public var sampleValue: Double { y }
}

extension SpreadChart.Column: SeriesSample {
  public var sampleValue: Double { max }
}

/// A growing list of chart points that never holds more than `capacity`: when full, it is
/// halved, so a run of any length costs bounded memory and drawing time.
///
/// Each halving keeps, of every two neighbours, the one farther from the point kept before
/// them (a non-finite value farthest of all), and later appends are merged the same way. Dropping
/// every second point instead lost the diverge lesson's explosion: a loss of 3 683 at step 4,
/// among losses of 2.3, was gone from the chart by the end of the run, and with it the climb the
/// lesson is about.
public struct SeriesBuffer<Element: SeriesSample>: Sendable {
  /// The points kept, then the one standing for the appends still being merged, then the newest
  /// (when it is not that one): the chart reaches the newest step at any stride.
  public var items: [Element] {
    var all = kept
    if let candidate { all.append(candidate) }
    if let last, merged > 0, !candidateIsNewest { all.append(last) }
    return all
  }
  private var candidateIsNewest = false
  private var kept: [Element] = []
  /// The newest point appended (the legend's value), whether or not it is kept.
  public private(set) var last: Element?
  public let capacity: Int
  /// One point kept for every `stride` appended (doubles each time the buffer is halved).
  private var stride = 1
  private var merged = 0
  /// The most prominent point of the appends being merged, not yet in `items`.
  private var candidate: Element?

  public init(capacity: Int = 2_048) { self.capacity = max(4, capacity) }

  public mutating func append(_ item: Element) {
    last = item
    if let held = candidate, !Self.stands(item, outOver: held, after: kept.last) {
      candidate = held
      candidateIsNewest = false
    } else {
      candidate = item
      candidateIsNewest = true
    }
    merged += 1
    guard merged >= stride, let kept = candidate else { return }
    merged = 0
    candidate = nil
    self.kept.append(kept)
    if self.kept.count > capacity { halve() }
  }

  /// Pairs of neighbours become their more prominent one; the first point (the run's start)
  /// and the newest stay as they are.
  private mutating func halve() {
    var halved = [kept[0]]
    halved.reserveCapacity(kept.count / 2 + 2)
    var index = 1
    while index + 1 < kept.count - 1 {
      let a = kept[index]
      let b = kept[index + 1]
      halved.append(Self.stands(b, outOver: a, after: halved.last) ? b : a)
      index += 2
    }
    halved.append(contentsOf: kept[index...])
    kept = halved
    stride *= 2
  }

  /// Whether `a`, the later point, is farther than `b` from `previous`, the point kept before
  /// them: ties, and a start with nothing kept, keep the earlier one.
  private static func stands(_ a: Element, outOver b: Element, after previous: Element?) -> Bool {
    guard let reference = previous?.sampleValue else { return false }
    return distance(a.sampleValue, reference) > distance(b.sampleValue, reference)
  }

  private static func distance(_ value: Double, _ reference: Double) -> Double {
    guard value.isFinite else { return .infinity }
    let d = abs(value - reference)
    return d.isNaN ? .infinity : d
  }

  public var isEmpty: Bool { last == nil }
  public var count: Int { items.count }
}
