import NeuralNet
import RunModel

/// Facts about the run that are not training events: written into the header record.
public struct RunContext: Sendable, Equatable {
  public var command: [String]
  public var created: String
  public var hostname: String
  public var cores: Int
  /// The checkpoint this run continues from, if any.
  public var resumedFrom: String?
  /// The writing process: on the same host, a watch can tell a writer that exited without
  /// finishing its log (Ctrl-C in a PyTorch loop, an exception, kill -9) from one still training.
  public var pid: Int?

  public init(
    command: [String], created: String, hostname: String, cores: Int, resumedFrom: String? = nil,
    pid: Int? = nil
  ) {
    self.command = command
    self.created = created
    self.hostname = hostname
    self.cores = cores
    self.resumedFrom = resumedFrom
    self.pid = pid
  }
}

/// What a header line holds: the run's configuration, and the facts about where it ran when the
/// writer knew them.
struct HeaderRecord: Sendable {
  var header: RunHeader
  var context: RunContext?
}

/// The field tables of the header and of the network and hyperparameter objects it shares with
/// checkpoint metadata (one description, so a log and a checkpoint of the same run agree).
enum HeaderFields {
  static let network = ObjectCodec(
    blank: NetworkSpec(inputSize: 0, hiddenSizes: [], outputSize: 0),
    [
      Field("input", \.inputSize, .int), Field("hidden", \.hiddenSizes, .list(.int)),
      Field("output", \.outputSize, .int), Field("activation", \.activation, .name),
      Field("loss", \.loss, .name), Field("batch_norm", \.batchNorm, .bool, whenMissing: { _ in false }),
      Field("init", \.initialization, .name),
    ],
    check: { $0.sizeProblem })

  /// A checkpoint's knobs: a run is trained from them, so they stay within what a flag allows.
  static let hyperparameters = hyperparameters(within: \.range)

  /// A log header's knobs: what the run was trained with, whoever trained it (`Knob.recordedRange`).
  static let recordedHyperparameters = hyperparameters(within: \.recordedRange)

  static func hyperparameters(within range: KeyPath<Knob, ClosedRange<Double>> & Sendable) -> ObjectCodec<
    Hyperparameters
  > {
    // Outside the range (NaN included) the file is refused: a checkpoint may not set what neither
    // a key nor a flag could.
    let value = { (knob: Knob) in Conversion<Double>.number.within(knob[keyPath: range]) }
    return ObjectCodec(
      blank: Hyperparameters(learningRate: 0),
      [
        Field("lr", \.learningRate, value(.learningRate)), Field("momentum", \.momentum, value(.momentum)),
        Field("dropout", \.dropout, value(.dropout)), Field("l2", \.l2, value(.l2)),
      ])
  }

  static let header = ObjectCodec(
    blank: RunHeader(
      dataset: "", network: network.blank, optimizer: .sgd, hyperparameters: recordedHyperparameters.blank,
      batchSize: 0,
      epochs: 0, schedule: .constant, seed: 0, threads: 0, trainCount: 0, validationCount: 0, testCount: 0,
      parameterCount: 0, stepsPerEpoch: 0, datasetChecksums: [:]),
    [
      Field("dataset", \.dataset, .oneLine), Field("network", \.network, network.object),
      Field("optimizer", \.optimizer, .name),
      Field("hyperparameters", \.hyperparameters, recordedHyperparameters.object),
      // 0: not known (a run another trainer wrote, such as the PyTorch client before its first batch).
      Field("batch", \.batchSize, .int(in: 0...TrainingConfiguration.batchRange.upperBound)),
      Field("epochs", \.epochs, .int(in: 0...TrainingConfiguration.epochRange.upperBound)),
      Field("schedule", \.schedule, .text({ $0.specification }, { LearningRateSchedule(parsing: $0) })),
      Field("seed", \.seed, .decimal), Field("threads", \.threads, .int), Field("train", \.trainCount, .int),
      Field("validation", \.validationCount, .int), Field("test", \.testCount, .int),
      Field("parameters", \.parameterCount, .int), Field("steps_per_epoch", \.stepsPerEpoch, .int),
      // Logs older than these keys read as "all examples available" and "no early stopping".
      Field("train_available", \.trainAvailable, .int, whenMissing: { $0.trainCount }),
      Field("early_stopping", \.earlyStoppingPatience, .int, whenMissing: { _ in 0 }),
      Field("dataset_checksums", \.datasetChecksums, .stringMap, whenMissing: { _ in [:] }),
      // Written only by other trainers, so nntop's own headers keep their bytes.
      Field("writer", \.writer, .optional(.string, omitted: true)),
      // Written only by lessons' runs.
      Field("lesson", \.lesson, .optional(.string, omitted: true)),
    ])

  /// `resumed_from` is written only by resumed runs, so every other run's header keeps its bytes.
  static let context = ObjectCodec(
    blank: RunContext(command: [], created: "", hostname: "", cores: 0),
    [
      Field("created", \.created, .string), Field("command", \.command, .list(.string)),
      .nested(
        "machine",
        [
          Field("hostname", \.hostname, .string), Field("cores", \.cores, .int),
          Field("pid", \.pid, .optional(.int, omitted: true)),
        ]),
      Field("resumed_from", \.resumedFrom, .optional(.string, omitted: true)),
    ])

  /// The header line after its `type`, `version` and `t`: the configuration, then the context
  /// (present when the line has `created`).
  static let record = ObjectCodec(
    blank: HeaderRecord(header: header.blank, context: nil),
    header.fields.map { $0.lifted(\HeaderRecord.header) }
      + context.fields.enumerated().map { index, field in
        field.lifted(\HeaderRecord.context, blank: context.blank, opens: index == 0)
      },
    check: { header.check($0.header) ?? $0.context.flatMap(context.check) })
}
