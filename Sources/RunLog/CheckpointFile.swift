import NeuralNet
import RunModel
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Why a checkpoint was refused; each names the problem so a damaged file never loads as a
/// wrong model.
public struct CheckpointError: Error, CustomStringConvertible, Sendable, Equatable {
  public let path: String
  public let problem: String
  public var description: String { "\(path): \(problem)" }
  /// 66 when the file is missing, 65 when it is damaged or does not fit.
  public let exitCode: Int32
}

/// Checkpoints in the safetensors layout: an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range, then raw little-endian float32 data. The
/// network, optimiser and position in training go in `__metadata__` (strings, as the format
/// requires), so other safetensors readers can open the weights too.
public enum CheckpointFile {
  public static let format = "nntop-checkpoint"

  /// Where a tensor's values live in a `CheckpointState`.
  enum Home: Sendable {
    case parameters(Range<Int>)
    case statistics(Range<Int>)
    case firstMoment
    case secondMoment
  }

  /// The tensors of a network, in file order: per layer weight, bias / gamma, beta, running
  /// statistics; then the optimiser's moments. Computed from the architecture alone, so a file's
  /// entries are checked against it before anything is allocated.
  static func plan(_ spec: NetworkSpec, _ optimizer: OptimizerKind) -> [(
    name: String, shape: [Int], home: Home
  )] {
    let layout = spec.layout()
    var list: [(String, [Int], Home)] = []
    for layer in layout.layers {
      list.append((layer.name + ".weight", [layer.fanIn, layer.fanOut], .parameters(layer.weightRange)))
      let n = layer.fanOut
      if let bias = layer.bias { list.append((layer.name + ".bias", [n], .parameters(bias..<(bias + n)))) }
      if let gamma = layer.gamma, let beta = layer.beta, let stats = layer.runningStats {
        list.append((layer.name + ".gamma", [n], .parameters(gamma..<(gamma + n))))
        list.append((layer.name + ".beta", [n], .parameters(beta..<(beta + n))))
        list.append((layer.name + ".running_mean", [n], .statistics(stats..<(stats + n))))
        list.append((layer.name + ".running_var", [n], .statistics((stats + n)..<(stats + 2 * n))))
      }
    }
    list.append(("optimizer.first_moment", [layout.count], .firstMoment))
    if optimizer == .adam { list.append(("optimizer.second_moment", [layout.count], .secondMoment)) }
    return list
  }

  /// The tensors of a checkpoint with their values, in file order.
  static func tensors(_ state: CheckpointState) -> [(name: String, shape: [Int], values: ArraySlice<Float>)] {
    plan(state.network, state.optimizer).map { tensor in
      switch tensor.home {
      case .parameters(let range): (tensor.name, tensor.shape, state.parameters[range])
      case .statistics(let range): (tensor.name, tensor.shape, state.runningStats[range])
      case .firstMoment: (tensor.name, tensor.shape, state.firstMoment[...])
      case .secondMoment: (tensor.name, tensor.shape, state.secondMoment[...])
      }
    }
  }

  /// `__metadata__`: the run's position and the same network and hyperparameter objects a log
  /// header holds, each as JSON text (safetensors metadata values are strings).
  static let metadata = ObjectCodec(
    blank: CheckpointState(
      dataset: "", network: HeaderFields.network.blank, optimizer: .sgd,
      hyperparameters: HeaderFields.hyperparameters.blank, parameters: [], runningStats: [], firstMoment: [],
      secondMoment: [], optimizerSteps: 0, epochsCompleted: 0, step: 0, seed: 0, batchSize: 0, totalEpochs: 0),
    [
      .constant("format", format, .string) { _ in "not an nntop checkpoint" },
      .constant("version", "1", .string) { "checkpoint version \($0), this nntop reads 1" },
      Field("dataset", \.dataset, .string), Field("network", \.network, HeaderFields.network.jsonText),
      // The rest is training state: a weights-only file may leave it out (see `trainingKeys`).
      Field("optimizer", \.optimizer, .name, whenMissing: { _ in .sgd }),
      Field(
        "hyperparameters", \.hyperparameters, HeaderFields.hyperparameters.jsonText,
        whenMissing: { _ in HeaderFields.hyperparameters.blank }),
      Field(
        "optimizer_steps", \.optimizerSteps, .countText(in: TrainingConfiguration.stepRange),
        whenMissing: { _ in 0 }),
      Field(
        "epochs_completed", \.epochsCompleted,
        .countText(in: 0...TrainingConfiguration.epochRange.upperBound),
        whenMissing: { _ in 0 }),
      Field("step", \.step, .countText(in: TrainingConfiguration.stepRange), whenMissing: { _ in 0 }),
      Field("seed", \.seed, .decimal, whenMissing: { _ in 0 }),
      Field("batch", \.batchSize, .countText(in: TrainingConfiguration.batchRange), whenMissing: { _ in 0 }),
      Field(
        "epochs", \.totalEpochs, .countText(in: TrainingConfiguration.epochRange), whenMissing: { _ in 0 }),
      // Absent from older checkpoints, and left out when not known, so their bytes stay the same.
      Field(
        "train_size", \.trainSize,
        .optional(.countText(in: 1...TrainingConfiguration.stepRange.upperBound), omitted: true)),
      Field(
        "schedule", \.schedule,
        .optional(.text({ $0.specification }, { LearningRateSchedule(parsing: $0) }), omitted: true)),
      Field(
        "epoch_progress", \.epochProgress,
        .optional(.text({ $0.specification }, { EpochProgress(parsing: $0) }), omitted: true)),
    ],
    check: { state in
      state.epochsCompleted <= state.totalEpochs
        ? nil : "'epochs_completed' \(state.epochsCompleted) is more than 'epochs' \(state.totalEpochs)"
    })

  /// Metadata keys that only training needs; a file without one of them is weights-only.
  static let trainingKeys = [
    "optimizer", "hyperparameters", "optimizer_steps", "epochs_completed", "step", "batch",
  ]

  /// A tensor's entry in the header: its element type, shape and byte range in the data.
  struct TensorEntry: Sendable {
    var dtype = "F32"
    var shape: [Int] = []
    var offsets: [Int] = []
  }

  static let tensorEntry = ObjectCodec(
    blank: TensorEntry(),
    [
      Field("dtype", \.dtype, .string), Field("shape", \.shape, .list(.int)),
      Field("data_offsets", \.offsets, .list(.int)),
    ])

  /// The file's bytes.
  public static func encode(_ state: CheckpointState) -> [UInt8] {
    var header: [(String, JSONValue)] = [("__metadata__", .object(metadata.pairs(state)))]
    var offset = 0
    let list = tensors(state)
    for t in list {
      let size = t.values.count * 4
      let entry = TensorEntry(shape: t.shape, offsets: [offset, offset + size])
      header.append((t.name, .object(tensorEntry.pairs(entry))))
      offset += size
    }
    var json = Array(JSONValue.object(header).text.utf8)
    while (8 + json.count) % 8 != 0 { json.append(0x20) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + json.count + offset)
    var length = UInt64(json.count).littleEndian
    withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
    bytes += json
    for t in list {
      t.values.withUnsafeBufferPointer { buffer in
        for v in buffer {
          var bits = v.bitPattern.littleEndian
          withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
        }
      }
    }
    return bytes
  }

  /// Writes atomically: a temporary file in the same folder, fsync, rename, fsync of the folder.
  /// A crash leaves either the old file or the new one, never half of one.
  public static func write(_ state: CheckpointState, to path: String) throws(CheckpointError) {
    let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    let temporary = "\(folder)/.\(name).tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw CheckpointError(
        path: path, problem: "cannot create: \(String(cString: strerror(errno)))", exitCode: 73)
    }
    let bytes = encode(state)
    var failure = SystemIO.writeAll(fd, bytes)
    if failure == nil && fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
    close(fd)
    if let failure {
      unlink(temporary)
      throw CheckpointError(path: path, problem: "write failed: \(failure)", exitCode: 74)
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw CheckpointError(path: path, problem: "cannot rename into place: \(reason)", exitCode: 74)
    }
    let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dir >= 0 {
      fsync(dir)
      close(dir)
    }
  }
}
