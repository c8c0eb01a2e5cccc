/// Which layers a panel lists when not all fit, and how it counts the rest: one rule for the
/// Activations, Gradients and Layer health panels.
enum LayerFit {
  /// One row of a layer table: a layer, or the count of those left out.
  enum Row: Equatable {
    case layer(Int)
    case more(Int)
  }

  /// The rows for `count` layers in `room` rows. Every layer when they fit; otherwise the first
  /// layers, the count of those left out, and the last layer. The last is the output, which the
  /// vanishing lesson compares the first against: listing only the first three of nine hid it
  /// at 80×24.
  static func rows(count: Int, room: Int) -> [Row] {
    guard count > room else { return (0..<count).map(Row.layer) }
    guard room >= 3 else { return (0..<max(0, room - 1)).map(Row.layer) + [.more(count - max(0, room - 1))] }
    let first = room - 2
    return (0..<first).map(Row.layer) + [.more(count - first - 1), .layer(count - 1)]
  }

  /// `slots` of `count` layers for a panel that counts the rest elsewhere: the first ones and
  /// the last.
  static func firstAndLast(count: Int, slots: Int) -> [Int] {
    guard count > slots else { return Array(0..<count) }
    guard slots >= 2 else { return Array(0..<max(0, slots)) }
    return Array(0..<(slots - 1)) + [count - 1]
  }

  /// "+5 more · 4 shows all": the layers not listed, and the key that shows them ("(4 zooms)"
  /// read as "four zooms").
  static func moreNote(hidden: Int, key: String?) -> String {
    "+\(hidden) more" + (key.map { " · \($0) shows all" } ?? "")
  }
}
