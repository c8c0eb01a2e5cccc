import Terminal

/// A growing list of chart points that never holds more than `capacity`: when full, every second
/// point is dropped, so a run of any length costs bounded memory and drawing time while its
/// overall shape stays intact.
public struct SeriesBuffer<Element: Sendable>: Sendable {
  public private(set) var items: [Element] = []
  public let capacity: Int
  /// Keep one of every `stride` appended items (doubles each time the buffer is thinned).
  private var stride = 1
  private var skipped = 0

  public init(capacity: Int = 2_048) { self.capacity = max(4, capacity) }

  public mutating func append(_ item: Element) {
    skipped += 1
    guard skipped >= stride else { return }
    skipped = 0
    items.append(item)
    if items.count > capacity {
      items = items.enumerated().filter { $0.offset % 2 == 0 || $0.offset == items.count - 1 }.map(\.element)
      stride *= 2
    }
  }

  public var last: Element? { items.last }
  public var isEmpty: Bool { items.isEmpty }
  public var count: Int { items.count }
}
