import Dashboard
import Datasets
import NeuralNet
import RunLog
import RunModel
import Synchronization
import SystemIO
import Terminal
import Training

/// Times the dashboard's frame rendering on a realistic state (the events of a real short run).
enum RenderBenchmark {
  static func run(width: Int, height: Int, frames: Int) -> [(String, JSONValue)] {
    let data = Synthetic.make(.spiral, seed: 1)
    let spec = NetworkSpec(inputSize: 2, hiddenSizes: [64, 64, 32], outputSize: 3)
    let configuration = TrainingConfiguration(
      network: spec, hyperparameters: Hyperparameters(learningRate: 0.05), batchSize: 32, epochs: 150,
      threads: 1, statisticsEvery: 5)
    let events = Mutex<[RunEvent]>([])
    let trainer = Trainer(configuration: configuration, dataset: data) { event in
      events.withLock { $0.append(event) }
    }
    trainer.run()
    let controller = DashboardController(view: ViewOptions(themes: [.builtIn], glyphs: .unicode))
    let all = events.withLock { $0 }
    for event in all { controller.apply(event, now: 0) }
    var times: [Double] = []
    var previous: Buffer?
    var changed = 0
    for i in 0..<frames {
      let start = Stopwatch.now()
      let frame = controller.render(width: width, height: height, now: Double(i) * 0.1)
      changed = frame.changes(since: previous).count
      times.append((Stopwatch.now() - start) * 1000)
      previous = frame
    }
    times.sort()
    return [
      ("kind", .string("render")), ("width", .integer(width)), ("height", .integer(height)),
      ("events", .integer(all.count)), ("frames", .integer(frames)),
      ("median_ms", .number(rounded(times[times.count / 2], 4))),
      ("p95_ms", .number(rounded(times[times.count * 95 / 100], 4))),
      ("max_ms", .number(rounded(times.last ?? 0, 4))), ("changed_cells_last_frame", .integer(changed)),
    ]
  }
}
