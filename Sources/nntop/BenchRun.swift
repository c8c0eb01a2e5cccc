import Datasets
import NeuralNet
import RunLog
import SystemIO
import Training

/// Prints one JSON line of the benchmark's output.
func emitJSON(_ pairs: [(String, JSONValue)]) { printLine(JSONValue.object(pairs).text) }

/// One `nntop bench` run: trains with `Learner.step(batch:of:from:)`, the step `train` runs, and
/// times only those steps, so the figure is the speed of training itself.
///
/// It keeps the reference trainers' semantics, not the `Trainer`'s: every training image, one
/// shuffling generator for the whole run, test-set evaluations, no statistics or events.
final class BenchRun {
  private let options: BenchCommand
  private let train: DataSplit
  private let test: DataSplit
  private let spec: NetworkSpec
  private let network: Network
  private let learner: Learner
  private let evaluator: Evaluator
  private let settings: UpdateSettings
  private let learningRate: Double
  private var order: BatchOrder
  private var rng: SeededGenerator
  private var step = 0
  /// Seconds spent in training steps so far (the clock the targets are reached on).
  private var trainClock = 0.0
  private var epochSeconds: [Double] = []
  private var testAccuracy = 0.0
  private var reached: [Double: [(String, JSONValue)]] = [:]
  /// With --pair-checked, the seconds of each step after the first epoch: [usual, checked];
  /// with --pair-ceiling: [training step, ceiling step].
  private var pairedSteps: [[Double]] = [[], []]
  /// With --pair-ceiling, the ceiling's step, timed in blocks between blocks of training steps.
  private let ceiling: GemmCeiling.Stepper?
  /// The next training step follows a block of ceiling steps (its caches hold the ceiling's
  /// operands), so its time is left out, as is the first of each ceiling block.
  private var afterCeilingBlock = false

  init(
    bundle: DatasetBundle, spec: NetworkSpec, optimizer: OptimizerKind, learningRate: Double,
    momentum: Double, options: BenchCommand
  ) {
    self.options = options
    self.spec = spec
    self.learningRate = learningRate
    let store = bundle.train.store
    train = DataSplit(store: store, indices: (0..<store.count).map(Int32.init))
    test = bundle.test
    network = Network(spec: spec, seed: options.seed &+ 1_000_003)
    learner = Learner(
      network: network, optimizer: optimizer, batchSize: options.batch, threads: options.threads,
      seed: options.seed)
    evaluator = Evaluator(network: network, cores: learner.threads)
    settings = UpdateSettings(
      learningRate: Float(learningRate), momentum: optimizer == .sgd ? Float(momentum) : 0,
      weightDecay: Float(options.wd))
    order = BatchOrder(count: train.count, batchSize: options.batch)
    rng = SeededGenerator(seed: options.seed)
    ceiling =
      options.pairCeiling
      ? GemmCeiling.Stepper(spec: spec, batch: options.batch, threads: learner.threads) : nil
  }

  /// Steps in a block of each side of a paired comparison.
  static let pairedBlock = 25

  private var sizes: JSONValue { .array(spec.layerSizes.map { JSONValue.integer($0) }) }
  private var isSGD: Bool { options.opt == .sgd }

  func configurationLine(loadSeconds: Double) -> [(String, JSONValue)] {
    [
      ("kind", .string("config")), ("impl", .string("nntop")), ("blas", .string("openblas")),
      ("threads", .integer(options.threads)), ("replicas", .integer(learner.workspaces.count)),
      ("sizes", sizes),
      ("params", .integer(network.parameterCount)), ("opt", .string(options.opt.rawValue)),
      ("lr", .number(learningRate)),
      ("momentum", isSGD ? .number(options.momentum) : .null), ("wd", .number(options.wd)),
      ("dropout", .number(options.dropout)),
      ("batch", .integer(options.batch)), ("epochs", .integer(options.epochs)),
      ("seed", .integer(Int(options.seed))),
      ("eval_every", .integer(options.evalEvery)), ("load_seconds", .number(rounded(loadSeconds, 4))),
    ]
  }

  /// Trains one epoch (printing `eval` lines when `--eval-every` asks) and returns its line.
  func trainEpoch(_ epoch: Int) -> [(String, JSONValue)] {
    let shuffleClock = Stopwatch()
    order.shuffle(using: &rng)
    let shuffleSeconds = shuffleClock.elapsed
    var lossSum = 0.0
    var correct = 0
    var epochTime = 0.0
    var segmentStart = Stopwatch.now()
    let dropout = Float(options.dropout)
    for b in 0..<order.batchCount {
      let checkFirst = options.pairChecked && (step / Self.pairedBlock) % 2 == 1
      let started = Stopwatch.now()
      let result = learner.step(
        batch: b, of: order, from: train, settings: settings, dropout: dropout, checkFirst: checkFirst)
      if (options.pairChecked || ceiling != nil && !afterCeilingBlock) && epoch > 1 {
        pairedSteps[checkFirst ? 1 : 0].append(Stopwatch.now() - started)
      }
      afterCeilingBlock = false
      lossSum += result.lossSum
      correct += result.correct
      step += 1
      if let ceiling, epoch > 1, step % Self.pairedBlock == 0 {
        // The ceiling's block is outside the training clock, as an evaluation is.
        let segment = Stopwatch.now() - segmentStart
        epochTime += segment
        trainClock += segment
        timeCeilingBlock(ceiling)
        segmentStart = Stopwatch.now()
      }
      if options.evalEvery > 0 && step % options.evalEvery == 0 {
        // The evaluation is outside the training clock: stop it, evaluate, restart it.
        let segment = Stopwatch.now() - segmentStart
        epochTime += segment
        trainClock += segment
        evaluateMidEpoch(epoch, seen: (epoch - 1) * train.count + order.batch(b).upperBound)
        segmentStart = Stopwatch.now()
      }
    }
    let segment = Stopwatch.now() - segmentStart
    epochTime += segment
    trainClock += segment
    epochSeconds.append(epochTime)
    let evalClock = Stopwatch()
    let r = evaluator.evaluate(test)
    let evalSeconds = evalClock.elapsed
    testAccuracy = r.accuracy ?? 0
    checkTargets(
      testAccuracy, [("step", .integer(step)), ("epoch", .integer(epoch)), ("at_epoch_end", .bool(true))])
    let n = Double(train.count)
    return [
      ("kind", .string("epoch")), ("epoch", .integer(epoch)),
      ("train_loss", .number(rounded(lossSum / n, 5))),
      ("train_acc", .number(Double(correct) / n)), ("test_loss", .number(rounded(r.loss, 5))),
      ("test_acc", .number(testAccuracy)), ("epoch_seconds", .number(rounded(epochTime, 4))),
      ("samples_per_second", .number(rounded(n / epochTime, 1))),
      ("shuffle_seconds", .number(rounded(shuffleSeconds, 4))),
      ("eval_seconds", .number(rounded(evalSeconds, 4))),
    ]
  }

  /// A block of ceiling steps, each timed; the first (cold after training's steps) is left out.
  private func timeCeilingBlock(_ ceiling: GemmCeiling.Stepper) {
    for index in 0..<Self.pairedBlock {
      let started = Stopwatch.now()
      ceiling.run(1)
      if index > 0 { pairedSteps[1].append(Stopwatch.now() - started) }
    }
    afterCeilingBlock = true
  }

  private func evaluateMidEpoch(_ epoch: Int, seen: Int) {
    let r = evaluator.evaluate(test)
    emitJSON([
      ("kind", .string("eval")), ("step", .integer(step)), ("epoch", .integer(epoch)),
      ("samples_seen", .integer(seen)),
      ("train_seconds", .number(rounded(trainClock, 4))), ("test_loss", .number(rounded(r.loss, 5))),
      ("test_acc", .number(r.accuracy ?? 0)),
    ])
    checkTargets(r.accuracy ?? 0, [("step", .integer(step)), ("epoch", .integer(epoch))])
  }

  /// Notes the first time each target accuracy is reached, with the training time it took.
  private func checkTargets(_ accuracy: Double, _ location: [(String, JSONValue)]) {
    for t in options.targetList ?? [] where reached[t] == nil && accuracy >= t {
      reached[t] = location + [("train_seconds", .number(rounded(trainClock, 4)))]
    }
  }

  func summaryLine() -> [(String, JSONValue)] {
    let steady = epochSeconds.count > 1 ? Array(epochSeconds.dropFirst()) : epochSeconds
    let n = Double(train.count)
    return [
      ("kind", .string("summary")), ("impl", .string("nntop")), ("threads", .integer(options.threads)),
      ("sizes", sizes), ("opt", .string(options.opt.rawValue)),
      ("train_seconds_total", .number(rounded(epochSeconds.reduce(0, +), 4))),
      ("median_epoch_seconds", .number(rounded(median(epochSeconds), 4))),
      ("median_steady_epoch_seconds", .number(rounded(median(steady), 4))),
      ("steady_samples_per_second", .number(rounded(n / median(steady), 1))),
      ("final_test_acc", .number(testAccuracy)),
      (
        "time_to_acc",
        .object(
          (options.targetList ?? []).map { t in (String(t), reached[t].map { JSONValue.object($0) } ?? .null)
          })
      ),
    ]
  }

  /// Both sides' step times in µs (the mean and the fastest tenth's bound): the usual and the
  /// checked update (--pair-checked), or training and the ceiling (--pair-ceiling), with the
  /// ratios ceiling ÷ training that `make bench` reports as nntop's share of the ceiling.
  func pairedLine() -> [(String, JSONValue)] {
    var pairs: [(String, JSONValue)] = [("kind", .string("paired")), ("threads", .integer(options.threads))]
    let names = ceiling == nil ? ["usual", "checked"] : ["nntop", "ceiling"]
    var summaries: [(mean: Double, tenth: Double)] = []
    for (name, times) in zip(names, pairedSteps) {
      let sorted = times.sorted()
      let mean = sorted.reduce(0, +) / Double(max(1, sorted.count))
      let tenth = sorted.isEmpty ? .nan : sorted[sorted.count / 10]
      summaries.append((mean, tenth))
      pairs += [
        ("\(name)_steps", .integer(sorted.count)), ("\(name)_mean_us", .number(rounded(mean * 1e6, 1))),
        ("\(name)_p10_us", .number(rounded(tenth * 1e6, 1))),
      ]
    }
    if ceiling != nil {
      pairs += [
        ("ratio_mean", .number(rounded(summaries[1].mean / summaries[0].mean, 4))),
        ("ratio_p10", .number(rounded(summaries[1].tenth / summaries[0].tenth, 4))),
      ]
    }
    return pairs
  }

  private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }
}
