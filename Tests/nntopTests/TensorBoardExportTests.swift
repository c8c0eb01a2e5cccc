import Foundation
import TestSupport
import Testing

/// TensorBoard's Python package, where it is installed (`NNTOP_PYTHON`, or the virtual
/// environment scripts/ensure-venv.sh makes: `$NNTOP_VENV`, ~/.cache/nntop-venv): the real
/// client of `export --tensorboard`.
enum TensorBoardPython {
  static let python: String = {
    let environment = ProcessInfo.processInfo.environment
    if let explicit = environment["NNTOP_PYTHON"] { return explicit }
    return (environment["NNTOP_VENV"] ?? NSHomeDirectory() + "/.cache/nntop-venv") + "/bin/python"
  }()

  static let available: Bool = {
    guard FileManager.default.isExecutableFile(atPath: python) else { return false }
    return (try? output([python, "-c", "import tensorboard.backend.event_processing.event_accumulator"]))
      != nil
  }()

  /// Runs a command and returns its standard output, or throws when it fails.
  static func output(_ command: [String]) throws -> Data {
    let run = try Run.program(URL(fileURLWithPath: command[0]), Array(command.dropFirst()))
    guard run.status == 0 else { throw CocoaError(.executableLoad) }
    return Data(run.stdout.utf8)
  }
}

/// `nntop export RUN --tensorboard DIR`, read back by TensorBoard's EventAccumulator: every
/// scalar, histogram and knob change of the run log, value by value.
@Suite(.enabled(if: TensorBoardPython.available, "TensorBoard's Python package is not installed"))
struct TensorBoardExportTests {
  typealias Record = [String: Any]

  static func records(_ path: String) throws -> [Record] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as? Record
    }
  }

  static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

  /// The run exported and read back: scalars as `[tag: [(step, value)]]`, and the rest.
  static func exported(_ log: String) throws -> (scalars: [String: [[Double]]], dump: Record) {
    let folder = TemporaryFolder("nntop-tb")
    let run = try Run.nntop(["export", log, "--tensorboard", folder.path])
    #expect(
      run.status == 0 && run.stdout.hasPrefix("wrote " + folder.path + "/events.out.tfevents."), "\(run)")
    let data = try TensorBoardPython.output([
      TensorBoardPython.python, Repository.root + "/Tests/Fixtures/tensorboard/dump.py", folder.path,
    ])
    let dump = try #require(try JSONSerialization.jsonObject(with: data) as? Record)
    let scalars = (dump["scalars"] as? [String: [[Double]]]) ?? [:]
    return (scalars, dump)
  }

  /// A PyTorch run whose `every=` is longer than an epoch writes no progress records: its
  /// training figures and rate come from the epoch records, read back by TensorBoard's reader.
  @Test func aRunWithOnlyEpochRecordsExportsItsTrainingFiguresAndRate() throws {
    let folder = TemporaryFolder("nntop-epochs-only")
    let lines = try String(contentsOfFile: Repository.golden + "/circles.jsonl", encoding: .utf8)
      .split(separator: "\n").filter { !$0.contains("\"type\": \"progress\"") }
    let log = folder.write("epochs.jsonl", text: lines.joined(separator: "\n") + "\n")
    let epochs = try Self.records(log).filter { $0["type"] as? String == "epoch" }
    let (scalars, _) = try Self.exported(log)
    for (tag, key) in [
      ("train/epoch_loss", "train_loss"), ("train/epoch_accuracy", "train_acc"), ("lr", "lr"),
    ] {
      let expected = epochs.compactMap { r -> [Double]? in
        guard let step = Self.number(r["step"]), let v = Self.number(r[key]) else { return nil }
        return [step, Double(Float(v))]
      }
      #expect((scalars[tag] ?? []).map { [$0[0], Double(Float($0[1]))] } == expected, "\(tag)")
      #expect(!expected.isEmpty)
    }
    #expect(scalars["train/loss"] == nil)
  }

  @Test(arguments: ["circles", "mnist-subset", "diverged"])
  func everyValueReadsBackInTensorBoard(name: String) throws {
    let log = Repository.golden + "/\(name).jsonl"
    let records = try Self.records(log)
    let (scalars, dump) = try Self.exported(log)
    func expect(_ tag: String, _ type: String, _ key: String, where keep: (Record) -> Bool = { _ in true }) {
      let expected = records.filter { $0["type"] as? String == type && keep($0) }.compactMap {
        r -> [Double]? in
        guard let step = Self.number(r["step"]), let v = Self.number(r[key]) else { return nil }
        return [step, v]
      }
      // simple_value is a 32-bit float: compared as one (Foundation's JSON parser may be off in
      // the last digit of a double, never by a float's step).
      let read = (scalars[tag] ?? []).map { [$0[0], Double(Float($0[1]))] }
      #expect(read == expected.map { [$0[0], Double(Float($0[1]))] }, "\(name) \(tag)")
    }
    expect("train/loss", "progress", "train_loss")
    expect("lr", "progress", "lr")
    expect("train/accuracy", "progress", "train_acc")
    expect("validation/loss", "epoch", "val_loss")
    expect("validation/accuracy", "epoch", "val_acc")
    expect("train/epoch_loss", "epoch", "train_loss")
    expect("train/epoch_accuracy", "epoch", "train_acc")
    expect("test/accuracy", "evaluation", "acc") { $0["split"] as? String == "test" }
    let snapshots = records.filter { $0["type"] as? String == "layers" }
    let histograms = (dump["histograms"] as? [String: [[Any]]]) ?? [:]
    for snapshot in snapshots {
      let step = Self.number(snapshot["step"]) ?? -1
      for layer in (snapshot["layers"] as? [Record]) ?? [] {
        let name = (layer["name"] as? String) ?? ""
        let grad = scalars["gradient_norm/" + name]?.first { $0[0] == step }
        #expect(
          grad.map { Float($0[1]) } == Float(Self.number(layer["grad_norm"]) ?? .nan), "\(name) at \(step)")
        let h = histograms["activations/" + name]?.first { Self.number($0[0]) == step }
        let counts = ((layer["histogram"] as? [NSNumber]) ?? []).map(\.doubleValue)
        #expect((h?[5] as? [Double]) == counts, "\(name) at \(step)")
        #expect(
          Self.number(h?[1]) == Self.number(layer["min"]) && Self.number(h?[2]) == Self.number(layer["max"]))
        // The exact mean and spread, not the buckets' centres: sum / num and the variance from
        // the sum of squares give back the log's own figures.
        let num = counts.reduce(0, +)
        let mean = (Self.number(h?[6]) ?? .nan) / num
        let variance = (Self.number(h?[7]) ?? .nan) / num - mean * mean
        let logged = (mean: Self.number(layer["mean"]) ?? .nan, std: Self.number(layer["std"]) ?? .nan)
        #expect(abs(mean - logged.mean) <= 1e-12 * max(1, abs(logged.mean)), "\(name) at \(step)")
        #expect(
          abs(max(0, variance).squareRoot() - logged.std) <= 1e-6 * max(1, logged.std), "\(name) at \(step)")
      }
    }
    let changes = records.filter { $0["type"] as? String == "change" }
    let texts = ((dump["texts"] as? [String: [[Any]]])?["knobs"]) ?? []
    #expect(texts.count == changes.count)
    for (text, change) in zip(texts, changes) {
      let line = (text[1] as? String) ?? ""
      #expect(line.contains("at step \(Self.number(change["step"]).map { Int($0) } ?? -1) ("), "\(line)")
    }
  }
}
