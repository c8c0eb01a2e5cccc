import CKernels

/// What a dataset asks the network to do.
public enum Task: Sendable, Equatable {
  /// One label in 0..<classes; classes == 2 uses a single sigmoid output.
  case classification(classes: Int)
  /// Real-valued targets, `outputs` per example.
  case regression(outputs: Int)
}

/// The examples of one dataset, stored once and shared by its train/validation/test splits.
///
/// MNIST stays as bytes (47 MB instead of 188 MB as floats) and is converted a batch at a time;
/// the synthetic sets are small and stored as floats.
public final class ExampleStore: Sendable {
  public enum Features: Sendable {
    /// Row-major bytes, scaled by 1/255 when read.
    case bytes([UInt8])
    case floats([Float])
  }
  public let features: Features
  public let featureCount: Int
  public let labels: [Int32]
  /// Regression targets, `targetCount` per example.
  public let targets: [Float]
  public let targetCount: Int
  public let count: Int
  /// The largest |feature| of any example (NaN if a feature is NaN): lets a training step know,
  /// before it makes the gradient, that the gradient cannot overflow.
  public let featureMagnitude: Float

  public init(
    features: Features, featureCount: Int, labels: [Int32], targets: [Float] = [], targetCount: Int = 0
  ) {
    self.features = features
    self.featureCount = featureCount
    self.labels = labels
    self.targets = targets
    self.targetCount = targetCount
    switch features {
    case .bytes(let b):
      count = b.count / max(featureCount, 1)
      featureMagnitude = Float(255) * (1 / 255)
    case .floats(let f):
      count = f.count / max(featureCount, 1)
      featureMagnitude = f.reduce(Float(0)) { $1.isNaN || $0.isNaN ? .nan : max($0, abs($1)) }
    }
  }

  /// Feature `j` of example `i` as the network sees it.
  public func feature(_ i: Int, _ j: Int) -> Float {
    switch features {
    case .bytes(let b): return Float(b[i * featureCount + j]) * (1 / 255)
    case .floats(let f): return f[i * featureCount + j]
    }
  }
}

/// A subset of a store's examples, addressed by position 0..<count.
public struct DataSplit: Sendable {
  public let store: ExampleStore
  public let indices: [Int32]

  public init(store: ExampleStore, indices: [Int32]) {
    self.store = store
    self.indices = indices
  }

  public var count: Int { indices.count }

  /// The first `n` examples of this split (the `--train-size` subset).
  public func prefix(_ n: Int) -> DataSplit { DataSplit(store: store, indices: Array(indices.prefix(n))) }

  public func label(at position: Int) -> Int32 { store.labels[Int(indices[position])] }

  /// The raw bytes of an example stored as bytes (an image), nil otherwise.
  public func imageBytes(at position: Int) -> [UInt8]? {
    guard case .bytes(let bytes) = store.features else { return nil }
    let start = Int(indices[position]) * store.featureCount
    return Array(bytes[start..<(start + store.featureCount)])
  }

  /// Starts fetching features `columns` (all when nil) of the examples at `positions` into the
  /// CPU's caches, so that a later `copyRows` of them does not wait on memory. Rows are gathered
  /// in shuffled order from a 47 MB array: without this, a 784-byte row costs a dozen cache
  /// misses, and the copy took ≈ 7 % of a single-threaded MNIST step, almost all of it waiting.
  public func prefetchRows(_ positions: UnsafeBufferPointer<Int32>, columns: Range<Int>? = nil) {
    let width = store.featureCount
    let columns = columns ?? 0..<width
    guard !columns.isEmpty else { return }
    switch store.features {
    case .bytes(let bytes):
      bytes.withUnsafeBufferPointer { src in
        for position in positions {
          nntop_prefetch(
            src.baseAddress! + Int(indices[Int(position)]) * width + columns.lowerBound, columns.count)
        }
      }
    case .floats(let floats):
      floats.withUnsafeBufferPointer { src in
        for position in positions {
          nntop_prefetch(
            src.baseAddress! + Int(indices[Int(position)]) * width + columns.lowerBound, columns.count * 4)
        }
      }
    }
  }

  /// Rows ahead of the one being converted whose loads `copyRows` starts: the batch-ahead
  /// prefetch brings rows near the core, this one the last stretch into L1.
  static let copyLookahead = 4

  /// Copies the examples at `positions` into consecutive rows of the three outputs.
  ///
  /// With `columns`, only those features are written (each output row is still the whole
  /// feature width apart), and the labels and targets only by the call whose columns start at 0:
  /// cores that split a batch's features between them then write disjoint memory.
  public func copyRows(
    _ positions: UnsafeBufferPointer<Int32>,
    features out: UnsafeMutablePointer<Float>,
    labels: UnsafeMutablePointer<Int32>,
    targets: UnsafeMutablePointer<Float>,
    columns: Range<Int>? = nil
  ) {
    let width = store.featureCount
    let columns = columns ?? 0..<width
    copyFeatures(positions, into: out, columns: columns)
    guard columns.lowerBound == 0 else { return }
    let tc = store.targetCount
    for (row, position) in positions.enumerated() {
      let example = Int(indices[Int(position)])
      if !store.labels.isEmpty { labels[row] = store.labels[example] }
      for j in 0..<tc { targets[row * tc + j] = store.targets[example * tc + j] }
    }
  }

  private func copyFeatures(
    _ positions: UnsafeBufferPointer<Int32>, into out: UnsafeMutablePointer<Float>, columns: Range<Int>
  ) {
    let width = store.featureCount
    let first = columns.lowerBound
    guard !columns.isEmpty else { return }
    switch store.features {
    case .bytes(let bytes):
      bytes.withUnsafeBufferPointer { src in
        for (row, position) in positions.enumerated() {
          if row + Self.copyLookahead < positions.count {
            let ahead = Int(indices[Int(positions[row + Self.copyLookahead])])
            nntop_prefetch(src.baseAddress! + ahead * width + first, columns.count)
          }
          let example = Int(indices[Int(position)])
          let s = src.baseAddress! + example * width + first
          ByteConversion.scaled(s, into: out + row * width + first, count: columns.count, scale: 1 / 255)
        }
      }
    case .floats(let floats):
      floats.withUnsafeBufferPointer { src in
        for (row, position) in positions.enumerated() {
          let example = Int(indices[Int(position)])
          (out + row * width + first).update(
            from: src.baseAddress! + example * width + first, count: columns.count)
        }
      }
    }
  }
}

/// A dataset ready to train on: three splits, what they are for, and what loading noticed.
public struct DatasetBundle: Sendable {
  public let name: String
  public let task: Task
  public let train: DataSplit
  public let validation: DataSplit
  public let test: DataSplit
  /// Height and width when the features are a greyscale image (MNIST), for drawing digits.
  public let imageShape: (rows: Int, cols: Int)?
  /// SHA-256 of the files read, name → digest, for the run log.
  public let checksums: [String: String]
  /// Problems that did not stop loading (e.g. a checksum mismatch).
  public let warnings: [String]

  public init(
    name: String, task: Task, train: DataSplit, validation: DataSplit, test: DataSplit,
    imageShape: (rows: Int, cols: Int)? = nil, checksums: [String: String] = [:], warnings: [String] = []
  ) {
    self.name = name
    self.task = task
    self.train = train
    self.validation = validation
    self.test = test
    self.imageShape = imageShape
    self.checksums = checksums
    self.warnings = warnings
  }

  public var featureCount: Int { train.store.featureCount }

  /// Number of network outputs the task needs.
  public var outputCount: Int {
    switch task {
    case .classification(let classes): return classes == 2 ? 1 : classes
    case .regression(let outputs): return outputs
    }
  }

  /// The same bundle training on only the first `n` training examples.
  public func withTrainSize(_ n: Int) -> DatasetBundle {
    DatasetBundle(
      name: name, task: task, train: train.prefix(n), validation: validation, test: test,
      imageShape: imageShape, checksums: checksums, warnings: warnings)
  }
}

/// Bytes to scaled floats (MNIST pixels are converted per batch, on every step). The plain loop
/// is what the vectoriser turns into widening loads and conversions; the generic SIMD
/// conversion initialisers are not inlined and were 8 % of a training step.
enum ByteConversion {
  /// out[j] = source[j] × scale, in the C kernel built for the CPU's widest vectors.
  @inline(__always)
  static func scaled(
    _ source: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>, count: Int, scale: Float
  ) {
    nntop_bytes_to_floats(source, out, count, scale)
  }
}
