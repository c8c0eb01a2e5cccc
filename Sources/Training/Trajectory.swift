import NeuralNet
import RunModel

/// Keeps snapshots of a fixed random subset of the parameters (at most 4 096 of them, so memory
/// and time stay small whatever the network) and projects them with PCA.
struct TrajectoryRecorder {
  static let coordinates = 4_096
  static let snapshotLimit = 256
  private let indices: [Int]
  private var snapshots: [[Float]] = []
  private var steps: [Int] = []
  /// Uncentred Gram matrix of the snapshots, grown one row per snapshot (so projecting costs
  /// O(n²), not O(n²·d)); centring is applied when projecting.
  private var gram: [[Double]] = []

  init(parameterCount: Int, seed: UInt64) {
    indices = Self.chosenIndices(parameterCount: parameterCount, seed: seed)
  }

  /// The last `coordinates` indices of a seeded shuffle of all of them, sorted. Only the
  /// shuffle's first swaps are made (`fixingLast`): the suffix is the one a whole shuffle gives
  /// (a test compares them), and a run no longer spends 25 ms of its start-up shuffling 235 000
  /// indices to keep 4 096.
  static func chosenIndices(parameterCount: Int, seed: UInt64) -> [Int] {
    var all = Array(0..<parameterCount)
    var rng = SeededGenerator(seed: seed &+ 0x7AA1_EC70)
    let kept = min(coordinates, parameterCount)
    rng.shuffle(&all, fixingLast: kept)
    return Array(all.suffix(kept)).sorted()
  }

  mutating func record(_ parameters: FloatBuffer, step: Int) {
    let snapshot = indices.map { parameters[$0] }
    let count = snapshot.count
    let (row, own) = snapshot.withUnsafeBufferPointer { new in
      let row = snapshots.map { other in
        other.withUnsafeBufferPointer {
          VectorKernels.dotInDouble(new.baseAddress!, $0.baseAddress!, count: count)
        }
      }
      return (row, VectorKernels.dotInDouble(new.baseAddress!, new.baseAddress!, count: count))
    }
    for i in 0..<gram.count { gram[i].append(row[i]) }
    gram.append(row + [own])
    snapshots.append(snapshot)
    steps.append(step)
    if snapshots.count > TrajectoryRecorder.snapshotLimit {
      // Thin to every other snapshot, keeping the newest.
      let keep = snapshots.indices.filter { $0 % 2 == 0 || $0 == snapshots.count - 1 }
      snapshots = keep.map { snapshots[$0] }
      steps = keep.map { steps[$0] }
      gram = keep.map { a in keep.map { b in gram[a][b] } }
    }
  }

  /// PCA of the snapshots so far (nil with fewer than three).
  func project(step: Int, epoch: Double) -> Trajectory? {
    let n = snapshots.count
    guard n >= 3 else { return nil }
    // Centre: G_c = G − r·1ᵀ − 1·rᵀ + m, with r the row means and m the overall mean.
    let rowMeans = gram.map { $0.reduce(0, +) / Double(n) }
    let overall = rowMeans.reduce(0, +) / Double(n)
    var gram = [Double](repeating: 0, count: n * n)
    for a in 0..<n {
      for b in 0..<n { gram[a * n + b] = self.gram[a][b] - rowMeans[a] - rowMeans[b] + overall }
    }
    let trace = (0..<n).reduce(0.0) { $0 + gram[$1 * n + $1] }
    guard trace > 0 else { return nil }
    var components: [(value: Double, vector: [Double])] = []
    var matrix = gram
    for k in 0..<2 {
      var v = (0..<n).map { Double(($0 * 7 + k * 3) % 11) + 1 }
      var value = 0.0
      var w = [Double](repeating: 0, count: n)
      for _ in 0..<200 {
        VectorKernels.multiply(matrix, n: n, by: v, into: &w)
        let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { break }
        value = norm
        v = w.map { $0 / norm }
      }
      components.append((value, v))
      // Deflate: remove the found component.
      for a in 0..<n { for b in 0..<n { matrix[a * n + b] -= value * v[a] * v[b] } }
    }
    // Coordinates: √λ · u; signs chosen so the path ends on the positive side.
    var xs = components[0].vector.map { $0 * components[0].value.squareRoot() }
    var ys = components[1].vector.map { $0 * max(0, components[1].value).squareRoot() }
    if let last = xs.last, last < 0 { xs = xs.map { -$0 } }
    if let last = ys.last, last < 0 { ys = ys.map { -$0 } }
    return Trajectory(
      step: step, epoch: epoch, points: zip(xs, ys).map { ($0, $1) }, steps: steps,
      explained: [components[0].value / trace, max(0, components[1].value) / trace])
  }
}
