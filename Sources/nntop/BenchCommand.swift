import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import RunLog
import RunModel
import Training

/// `nntop bench`: the reference benchmark, with the flags, semantics and JSON lines of
/// `numpy_mlp.py` and `torch_mlp.py`, so the three compare directly.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmark training on MNIST; prints JSON lines like the reference trainers.",
    discussion: """
      Trains on all 60000 training images, tests on the 10000 test images, PyTorch's default \
      initialisation U(±1/sqrt(fan_in)). epoch_seconds times the training pass only: the shuffle \
      happens before the clock starts and evaluation after it stops. Unlike the references, --wd \
      decays weight matrices only (nntop's L2).
      """)

  @Option(help: "Folder holding datasets/ or the mnist files; also NNTOP_DATA.") var data: String?
  @Option(help: "Hidden layer widths, comma-separated.") var hidden: String = "256,128"
  @Option(help: "Cores to train on (1 or 2).") var threads: Int = 2
  @Option(help: "Optimiser: sgd or adam.") var opt: String = "sgd"
  @Option(help: "Batch size.") var batch: Int = 128
  @Option(help: "Learning rate (default: 0.05 for sgd, 0.001 for adam).") var lr: Double?
  @Option(help: "SGD momentum.") var momentum: Double = 0.9
  @Option(help: "L2 weight decay on weight matrices.") var wd: Double = 0
  @Option(help: "Dropout after each hidden layer.") var dropout: Double = 0
  @Option(help: "Epochs.") var epochs: Int = 3
  @Option(help: "Random seed.") var seed: UInt64 = 0
  @Option(help: "Also evaluate the test set every N steps (0: only at epoch ends).") var evalEvery: Int = 0
  @Option(help: "Test accuracies whose time to reach is reported, comma-separated.") var targets: String =
    "0.97,0.98"
  @Option(help: "Accepted for compatibility; nntop evaluates in chunks of 1000.") var evalBatch: Int = 10_000
  @Flag(help: "Instead of training, time dashboard frames (200×60, from a real run's events).")
  var render = false

  func validate() throws {
    _ = try parseHidden(hidden)
    guard (1...64).contains(threads) else {
      throw ValidationError("--threads must be from 1 to 64, got \(threads)")
    }
    guard OptimizerKind(rawValue: opt) != nil else {
      throw ValidationError("--opt: choose sgd or adam, got '\(opt)'")
    }
    guard (1...65_536).contains(batch) else {
      throw ValidationError("--batch must be from 1 to 65536, got \(batch)")
    }
    guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    guard dropout >= 0 && dropout <= 0.95 else { throw ValidationError("--dropout must be in [0, 0.95]") }
    guard targetList != nil else {
      throw ValidationError("--targets: expected comma-separated numbers, got '\(targets)'")
    }
    guard evalEvery >= 0 else { throw ValidationError("--eval-every must be 0 or more") }
  }

  private var targetList: [Double]? {
    let parts = targets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap(Double.init)
    return values.count == parts.count ? values : nil
  }

  func run() throws {
    if render {
      emit(RenderBenchmark.run(width: 200, height: 60, frames: 500))
      emit(RenderBenchmark.run(width: 80, height: 24, frames: 500))
      return
    }
    let loadClock = Stopwatch()
    let bundle: DatasetBundle
    do {
      bundle = try DatasetChoice.mnist.load(dataFolder: data, noise: nil, seed: seed)
    } catch {
      throw error.exit
    }
    let loadSeconds = loadClock.elapsed
    let store = bundle.train.store
    let train = DataSplit(store: store, indices: (0..<store.count).map(Int32.init))
    let test = bundle.test
    let kind = OptimizerKind(rawValue: opt)!
    let learningRate = lr ?? (kind == .sgd ? 0.05 : 0.001)
    let spec = NetworkSpec(
      inputSize: 784, hiddenSizes: try parseHidden(hidden), outputSize: 10, activation: .relu,
      loss: .softmaxCrossEntropy, initialization: .pytorch)
    let network = Network(spec: spec, seed: seed &+ 1_000_003)
    let learner = Learner(network: network, optimizer: kind, batchSize: batch, threads: threads, seed: seed)
    let evaluator = Evaluator(network: network)
    let settings = UpdateSettings(
      learningRate: Float(learningRate), momentum: kind == .sgd ? Float(momentum) : 0, weightDecay: Float(wd))
    let sizes = spec.layerSizes.map { JSONValue.integer($0) }
    emit([
      ("kind", .string("config")), ("impl", .string("nntop")), ("blas", .string("openblas")),
      ("threads", .integer(threads)), ("replicas", .integer(learner.workspaces.count)),
      ("sizes", .array(sizes)),
      ("params", .integer(network.parameterCount)), ("opt", .string(opt)), ("lr", .number(learningRate)),
      ("momentum", kind == .sgd ? .number(momentum) : .null), ("wd", .number(wd)),
      ("dropout", .number(dropout)),
      ("batch", .integer(batch)), ("epochs", .integer(epochs)), ("seed", .integer(Int(seed))),
      ("eval_every", .integer(evalEvery)), ("load_seconds", .number(rounded(loadSeconds, 4))),
    ])
    var rng = SeededGenerator(seed: seed)
    var order = BatchOrder(count: train.count, batchSize: batch)
    var reached: [Double: [(String, JSONValue)]] = [:]
    let targetValues = targetList ?? []
    var trainClock = 0.0
    var epochSeconds: [Double] = []
    var step = 0
    var testAccuracy = 0.0
    func checkTargets(_ accuracy: Double, _ location: [(String, JSONValue)]) {
      for t in targetValues where reached[t] == nil && accuracy >= t {
        reached[t] = location + [("train_seconds", .number(rounded(trainClock, 4)))]
      }
    }
    for epoch in 1...epochs {
      let shuffleClock = Stopwatch()
      order.shuffle(using: &rng)
      let shuffleSeconds = shuffleClock.elapsed
      var lossSum = 0.0
      var correct = 0
      var epochTime = 0.0
      var segmentStart = Stopwatch.now()
      for b in 0..<order.batchCount {
        let range = order.batch(b)
        let result = order.positions.withUnsafeBufferPointer { positions in
          learner.step(rows: range.count, settings: settings, dropout: Float(dropout)) { ws, part in
            let slice = positions[(range.lowerBound + part.lowerBound)..<(range.lowerBound + part.upperBound)]
            train.copyRows(
              UnsafeBufferPointer(rebasing: slice), features: ws.input.base, labels: ws.labels.base,
              targets: ws.targets.base)
          }
        }
        lossSum += result.lossSum
        correct += result.correct
        step += 1
        if evalEvery > 0 && step % evalEvery == 0 {
          let segment = Stopwatch.now() - segmentStart
          epochTime += segment
          trainClock += segment
          let r = evaluator.evaluate(test)
          emit([
            ("kind", .string("eval")), ("step", .integer(step)), ("epoch", .integer(epoch)),
            ("samples_seen", .integer((epoch - 1) * train.count + range.upperBound)),
            ("train_seconds", .number(rounded(trainClock, 4))), ("test_loss", .number(rounded(r.loss, 5))),
            ("test_acc", .number(r.accuracy ?? 0)),
          ])
          checkTargets(r.accuracy ?? 0, [("step", .integer(step)), ("epoch", .integer(epoch))])
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
      emit([
        ("kind", .string("epoch")), ("epoch", .integer(epoch)),
        ("train_loss", .number(rounded(lossSum / n, 5))),
        ("train_acc", .number(Double(correct) / n)), ("test_loss", .number(rounded(r.loss, 5))),
        ("test_acc", .number(testAccuracy)), ("epoch_seconds", .number(rounded(epochTime, 4))),
        ("samples_per_second", .number(rounded(n / epochTime, 1))),
        ("shuffle_seconds", .number(rounded(shuffleSeconds, 4))),
        ("eval_seconds", .number(rounded(evalSeconds, 4))),
      ])
    }
    let steady = epochSeconds.count > 1 ? Array(epochSeconds.dropFirst()) : epochSeconds
    let n = Double(train.count)
    emit([
      ("kind", .string("summary")), ("impl", .string("nntop")), ("threads", .integer(threads)),
      ("sizes", .array(sizes)), ("opt", .string(opt)),
      ("train_seconds_total", .number(rounded(epochSeconds.reduce(0, +), 4))),
      ("median_epoch_seconds", .number(rounded(median(epochSeconds), 4))),
      ("median_steady_epoch_seconds", .number(rounded(median(steady), 4))),
      ("steady_samples_per_second", .number(rounded(n / median(steady), 1))),
      ("final_test_acc", .number(testAccuracy)),
      (
        "time_to_acc",
        .object(targetValues.map { t in (String(t), reached[t].map { JSONValue.object($0) } ?? .null) })
      ),
    ])
  }

  private func emit(_ pairs: [(String, JSONValue)]) { printLine(JSONValue.object(pairs).text) }

  private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }
}
