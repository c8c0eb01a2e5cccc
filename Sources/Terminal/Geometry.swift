/// A rectangle of cells: where a panel or widget draws.
public struct Rect: Sendable, Equatable {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int

  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }

  public var isEmpty: Bool { width <= 0 || height <= 0 }
  public var maxX: Int { x + width }
  public var maxY: Int { y + height }

  /// The rectangle shrunk by `amount` on every side.
  public func inset(_ amount: Int) -> Rect {
    Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
  }

  /// Splits into a top part of `height` rows and the rest.
  public func splitTop(_ rows: Int) -> (Rect, Rect) {
    let top = min(max(0, rows), height)
    return (
      Rect(x: x, y: y, width: width, height: top), Rect(x: x, y: y + top, width: width, height: height - top)
    )
  }

  /// Splits into a bottom part of `rows` rows and the rest (rest first).
  public func splitBottom(_ rows: Int) -> (Rect, Rect) {
    let bottom = min(max(0, rows), height)
    return (
      Rect(x: x, y: y, width: width, height: height - bottom),
      Rect(x: x, y: y + height - bottom, width: width, height: bottom)
    )
  }

  /// Splits into a left part of `columns` columns and the rest.
  public func splitLeft(_ columns: Int) -> (Rect, Rect) {
    let left = min(max(0, columns), width)
    return (
      Rect(x: x, y: y, width: left, height: height),
      Rect(x: x + left, y: y, width: width - left, height: height)
    )
  }

  /// Divides the width into `count` nearly equal columns.
  public func columns(_ count: Int) -> [Rect] {
    guard count > 0 else { return [] }
    return (0..<count).map { i in
      let start = x + width * i / count
      let end = x + width * (i + 1) / count
      return Rect(x: start, y: y, width: end - start, height: height)
    }
  }

  /// Divides the height into rows with the given weights.
  public func rows(weights: [Int]) -> [Rect] {
    let total = max(1, weights.reduce(0, +))
    var result: [Rect] = []
    var acc = 0
    for w in weights {
      let start = y + height * acc / total
      acc += w
      let end = y + height * acc / total
      result.append(Rect(x: x, y: start, width: width, height: end - start))
    }
    return result
  }
}
