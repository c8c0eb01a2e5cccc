import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import RunLog
import RunModel
import SystemIO
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
      happens before the clock starts and evaluation after it stops. Flags are named as in `nntop \
      train` (--optimizer, --l2; the references' --opt and --wd also work). Unlike the references, --l2 \
      decays weight matrices only (nntop's L2).
      """)

  @Option(help: "Folder holding datasets/ or the mnist files; also NNTOP_DATA.") var data: String?
  @Option(help: "Hidden layer widths, comma-separated.", transform: parseHidden) var hidden: [Int] = [
    256, 128,
  ]
  @Option(help: "Cores to train on, up to the machine's (one slice of the batch each).") var threads: Int = 2
  @Option(help: "Optimiser (default: sgd).") var optimizer: OptimizerKind?
  /// The reference trainers' spelling of --optimizer, kept working but not advertised.
  @Option(name: .customLong("opt"), help: .hidden) var optAlias: OptimizerKind?
  @Option(help: "Batch size.") var batch: Int = 128
  @Option(help: "Learning rate (default: 0.05 for sgd, 0.001 for adam).") var lr: Double?
  @Option(help: "SGD momentum.") var momentum: Double = 0.9
  @Option(help: "L2 weight decay strength on weight matrices, in \(Knob.l2.rangeText) (default: 0).")
  var l2: Double?
  /// The reference trainers' spelling of --l2, kept working but not advertised.
  @Option(name: .customLong("wd"), help: .hidden) var wdAlias: Double?
  @Option(help: "Dropout after each hidden layer, in \(Knob.dropout.rangeText).") var dropout: Double = 0
  @Option(help: "Epochs.") var epochs: Int = 3
  @Option(help: "Random seed.") var seed: UInt64 = 0
  @Option(help: "Also evaluate the test set every N steps (0: only at epoch ends).") var evalEvery: Int = 0
  @Option(help: "Test accuracies whose time to reach is reported, comma-separated.") var targets: String =
    "0.97,0.98"
  @Option(help: "Accepted for compatibility; nntop evaluates in chunks of 1000.") var evalBatch: Int = 10_000
  @Flag(help: "Instead of training, time dashboard frames (200×60, from a real run's events).")
  var render = false
  @Flag(
    help: """
      Instead of training, time only the matrix products of one step (the GEMM-only ceiling), \
      with the same BLAS, replicas and threads as training.
      """)
  var ceiling = false
  @Flag(
    help: """
      Also time the checked update (whole gradient, norms, then update) against the usual one, \
      switching every 25 steps, and print both paths' step times: a paired comparison that the \
      machine's drift between runs does not blur.
      """)
  var pairChecked = false
  @Flag(
    help: """
      Also time the GEMM-only ceiling's step in the same process: after every 25 training steps \
      (from the second epoch), 25 ceiling steps outside the training clock. Prints both step \
      times and their ratio, which the machine's drift between runs does not blur.
      """)
  var pairCeiling = false

  func validate() throws {
    guard (1...64).contains(threads) else {
      throw ValidationError("--threads must be from 1 to 64, got \(threads)")
    }
    guard TrainingConfiguration.batchRange.contains(batch) else {
      throw ValidationError("--batch must be from 1 to 65536, got \(batch)")
    }
    guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    try Knob.dropout.check(dropout)
    if let lr { try Knob.learningRate.check(lr) }
    try Knob.momentum.check(momentum)
    if let l2 = l2 ?? wdAlias { try Knob.l2.check(l2, flag: l2 == self.l2 ? nil : "--wd") }
    if optimizer != nil && optAlias != nil || l2 != nil && wdAlias != nil {
      throw ValidationError("give --optimizer and --l2 once each (--opt and --wd are their old names)")
    }
    guard targetList != nil else {
      throw ValidationError("--targets: expected comma-separated numbers, got '\(targets)'")
    }
    guard evalEvery >= 0 else { throw ValidationError("--eval-every must be 0 or more") }
    if pairChecked && pairCeiling { throw ValidationError("give one of --pair-checked and --pair-ceiling") }
    if (pairChecked || pairCeiling) && epochs < 2 {
      let flag = pairChecked ? "--pair-checked" : "--pair-ceiling"
      throw ValidationError("\(flag) times the steps after the first epoch: give --epochs 2 or more")
    }
  }

  /// The flags as `train` names them, or their old names.
  var opt: OptimizerKind { optimizer ?? optAlias ?? .sgd }
  var wd: Double { l2 ?? wdAlias ?? 0 }

  var targetList: [Double]? {
    let parts = targets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap(Double.init)
    return values.count == parts.count ? values : nil
  }

  func run() throws {
    if render {
      emitJSON(RenderBenchmark.run(width: 200, height: 60, frames: 500))
      emitJSON(RenderBenchmark.run(width: 80, height: 24, frames: 500))
      return
    }
    if ceiling {
      let spec = NetworkSpec(inputSize: 784, hiddenSizes: hidden, outputSize: 10)
      let reading = GemmCeiling.measure(spec: spec, batch: batch, threads: threads) { Stopwatch.now() }
      emitJSON([
        ("kind", .string("ceiling")), ("impl", .string("nntop")), ("blas", .string("openblas")),
        ("threads", .integer(threads)), ("replicas", .integer(reading.replicas)),
        ("sizes", .array(spec.layerSizes.map { JSONValue.integer($0) })), ("batch", .integer(batch)),
        ("samples_per_second", .number((reading.samplesPerSecond * 10).rounded() / 10)),
      ])
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
    let spec = NetworkSpec(
      inputSize: 784, hiddenSizes: hidden, outputSize: 10, activation: .relu,
      loss: .softmaxCrossEntropy, initialization: .pytorch)
    var options = self
    options.threads = usableThreads(threads)
    try MemoryLimit.check(spec, batch: batch, optimizer: opt, threads: options.threads)
    let bench = BenchRun(
      bundle: bundle, spec: spec, optimizer: opt, learningRate: lr ?? (opt == .sgd ? 0.05 : 0.001),
      momentum: momentum, options: options)
    emitJSON(bench.configurationLine(loadSeconds: loadSeconds))
    for epoch in 1...epochs { emitJSON(bench.trainEpoch(epoch)) }
    emitJSON(bench.summaryLine())
    if pairChecked || pairCeiling { emitJSON(bench.pairedLine()) }
  }
}
