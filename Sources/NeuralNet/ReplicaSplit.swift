/// How one batch is divided among replicas: the single home of the rule that `Learner`, the
/// GEMM ceiling and the memory estimate all follow.
///
/// Each replica runs forward and backward over a contiguous slice of the batch with
/// single-threaded BLAS; their gradients are then summed. Splitting the batch ourselves scales
/// better than letting BLAS split small matrix products internally.
public enum ReplicaSplit {
  /// Replicas for `threads` cores and a batch of `batch` rows: one per core, never more than rows.
  public static func replicas(threads: Int, batch: Int) -> Int {
    max(1, min(threads, batch))
  }

  /// Rows one replica must hold: the largest slice.
  public static func capacity(batch: Int, replicas: Int) -> Int {
    (batch + replicas - 1) / max(1, replicas)
  }

  /// The slices of `rows` rows, largest first, in batch order; slices may be empty when the
  /// batch has fewer rows than there are replicas (a short last batch).
  public static func slices(rows: Int, replicas: Int) -> [Range<Int>] {
    let n = max(1, replicas)
    let bounds = (0...n).map { (($0 * rows) + n - 1) / n }
    return (0..<n).map { bounds[$0]..<max(bounds[$0], bounds[$0 + 1]) }
  }

  /// Rows of a fanIn × fanOut weight matrix whose gradient core `part` of `count` makes (and
  /// which it updates), from every replica's slice; for the first layer, also the inputs whose
  /// columns it loads and multiplies. Cuts fall on multiples of 16 rows: 16 inputs are one cache
  /// line of a row of inputs (cores that load an input row's two halves would otherwise share the
  /// line where they meet), and 16 rows of weights are whole lines too.
  public static func weightRows(fanIn: Int, fanOut: Int, part: Int, count: Int) -> Range<Int> {
    func cut(_ k: Int) -> Int { k == count ? fanIn : (fanIn * k / count) / 16 * 16 }
    return cut(part)..<max(cut(part), cut(part + 1))
  }

  /// Part `part` of `count` parts of a parameter range, cut at multiples of 16 floats (one cache
  /// line) so that cores never write the same line.
  public static func chunk(of range: Range<Int>, part: Int, count: Int) -> Range<Int> {
    func cut(_ k: Int) -> Int {
      k == count ? range.upperBound : range.lowerBound + (range.count * k / count) / 16 * 16
    }
    return cut(part)..<cut(part + 1)
  }

  /// Gradient rows are made (and updated) in blocks of about this many floats (192 KiB), so a
  /// block is still in the core's L2 cache when the update reads it back. Each block re-packs
  /// the deltas, so smaller blocks cost more than they save. A step updated as it goes makes
  /// every block in the same small buffer (`largestGradientBlock`), so the gradient never takes
  /// more of the cache than one block.
  public static let gradientBlockFloats = 49_152

  /// Block `block` of `count` of a core's `rows` of a weight gradient `fanOut` wide, cut on
  /// multiples of 16 rows as `weightRows` cuts; `gradientBlockCount` gives the count.
  public static func gradientBlock(of rows: Range<Int>, fanOut: Int, block: Int, count: Int) -> Range<Int> {
    let cut = weightRows(fanIn: rows.count, fanOut: fanOut, part: block, count: count)
    return (rows.lowerBound + cut.lowerBound)..<(rows.lowerBound + cut.upperBound)
  }

  /// How many blocks `gradientBlock` cuts a core's `rows` into.
  public static func gradientBlockCount(rows: Int, fanOut: Int) -> Int {
    max(1, rows * fanOut / gradientBlockFloats)
  }

  /// The most floats one block of `gradientBlock` holds, over every layer (fanIn × fanOut each)
  /// and each of `count` cores: the size of the buffer a core makes its blocks in.
  public static func largestGradientBlock(shapes: [(fanIn: Int, fanOut: Int)], count: Int) -> Int {
    var largest = 0
    for (fanIn, fanOut) in shapes {
      for part in 0..<max(1, count) {
        let own = weightRows(fanIn: fanIn, fanOut: fanOut, part: part, count: max(1, count))
        let blocks = gradientBlockCount(rows: own.count, fanOut: fanOut)
        for b in 0..<blocks {
          largest = max(
            largest, gradientBlock(of: own, fanOut: fanOut, block: b, count: blocks).count * fanOut)
        }
      }
    }
    return largest
  }
}
