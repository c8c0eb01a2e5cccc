import ArgumentParser
import EventFiles
import Foundation
import RunLog
import RunModel
import Terminal
import Training

/// `nntop runs [DIR]`: a table of the runs whose logs are in a folder.
struct RunsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "List the run logs in a folder (default: runs/).",
    discussion: """
      Oldest first and the newest last, like `ls -tr`, so the latest run is next to the prompt. \
      The date is when the run started; epochs are those the log trained (a resumed run's \
      start-end of the total).
      """)

  enum SortKey: String, ExpressibleByArgument, CaseIterable {
    case time, name, accuracy, test
  }

  @Argument(help: "Folder of run logs.")
  var folder: String = "runs"

  @Option(help: "Order by start time, log name, best validation accuracy or test accuracy (default: time).")
  var sort: SortKey = .time

  @Flag(name: [.short, .long], help: "Reverse the order (newest or best first).")
  var reverse = false

  @Option(help: "Only runs on this dataset.")
  var dataset: String?

  @Option(
    help: "Only runs with this outcome: finished, stopped, diverged, early-stopped, running or interrupted.")
  var outcome: String?

  /// One log's row and what it sorts by.
  struct Entry {
    var cells: [String]
    var name: String
    var started: Date
    var bestAccuracy: Double?
    var testAccuracy: Double?
    var dataset: String
    var outcome: String
  }

  static let columns = [
    "date", "run", "dataset", "network", "activation", "epochs", "best val acc", "test acc", "time",
    "outcome",
  ]

  /// The outcomes a row can show: a typo had listed nothing and exited 0.
  static let outcomes =
    RunSummary.Outcome.allCases.map(\.rawValue) + ["running", "interrupted", "unreadable"]

  func validate() throws {
    if let outcome, !Self.outcomes.contains(outcome) {
      throw ValidationError(
        "--outcome \(outcome.printable(limit: 40)): one of \(Self.outcomes.joined(separator: ", "))")
    }
  }

  func run() throws {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory)
    if exists && !isDirectory.boolValue {
      throw fail(
        "\(folder) is a file: runs lists a folder of run logs (nntop replay \(folder) shows this one)",
        code: 64)
    }
    guard exists else { throw fail("\(folder): no such folder", code: 66) }
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
      $0.hasSuffix(".jsonl")
    }
    var entries: [Entry] = names.compactMap { name in
      let path = folder + "/" + name
      guard let data = FileManager.default.contents(atPath: path) else { return nil }
      return RunsCommand.entry(name: name, path: path, contents: RunLogReader.parse([UInt8](data)))
    }
    entries = entries.filter { entry in
      (dataset.map { $0.lowercased() == entry.dataset } ?? true)
        && (outcome.map { $0 == entry.outcome } ?? true)
    }
    guard !entries.isEmpty else {
      printLine(names.isEmpty ? "no run logs in \(folder)" : "no run logs in \(folder) match")
      return
    }
    entries.sort(by: order)
    if reverse { entries.reverse() }
    for line in RunsCommand.table([RunsCommand.columns] + entries.map(\.cells)) { printLine(line) }
  }

  /// Ascending, ties by name; runs without an accuracy first (as `ls` puts what it cannot date).
  func order(_ a: Entry, _ b: Entry) -> Bool {
    func byName() -> Bool { a.name < b.name }
    switch sort {
    case .time: return a.started != b.started ? a.started < b.started : byName()
    case .name: return byName()
    case .accuracy, .test:
      let x = sort == .accuracy ? a.bestAccuracy : a.testAccuracy
      let y = sort == .accuracy ? b.bestAccuracy : b.testAccuracy
      return x != y ? (x ?? -1) < (y ?? -1) : byName()
    }
  }

  static func entry(name: String, path: String, contents: RunLogContents) -> Entry {
    let modified =
      (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? nil
    // When the run started, from its header; the file's time for logs without one.
    let started =
      contents.context.flatMap { ISO8601DateFormatter().date(from: $0.created) } ?? modified
      ?? Date(timeIntervalSince1970: 0)
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    let date = formatter.string(from: started)
    let run = String(name.dropLast(6))
    guard let header = contents.header else {
      return Entry(
        cells: [date, run, "?", "?", "?", "-", "-", "-", "-", "unreadable"], name: run, started: started,
        dataset: "?", outcome: "unreadable")
    }
    let epochs = contents.events.compactMap { event -> EpochSummary? in
      if case .epochEnded(let e) = event { return e } else { return nil }
    }
    let bestAccuracy = epochs.compactMap(\.validationAccuracy).max()
    let summary = contents.summary
    let outcome: String
    if let summary {
      outcome = summary.outcome == .stopped ? "stopped" : summary.outcome.rawValue
    } else {
      // A log without its end is a run still going while its writer is there on this host (it
      // had read "interrupted" beside a watch showing it RUNNING).
      let raised = contents.records.last?.event.raisedMessage != nil
      outcome = !raised && WriterProcess.hasExited(contents.context) == false ? "running" : "interrupted"
    }
    // Training time (pauses excluded); a run cut short has it up to its last epoch.
    let elapsed = summary?.elapsed ?? epochs.last?.elapsed ?? contents.records.last?.time ?? 0
    // A resumed run's log starts after epoch 1: say which epochs it trained.
    var trained = "\(epochs.last?.epoch ?? 0)/\(header.epochs)"
    if let first = epochs.first?.epoch, let last = epochs.last?.epoch, first > 1 {
      trained = "\(first)-\(last)/\(header.epochs)"
    }
    // A long name (another writer's `name=` of 200 characters) gives up its middle: every row
    // had grown to 415 columns.
    let cells = [
      date, RunNames.fitted(run, among: [], width: 48), RunNames.fitted(header.dataset, among: [], width: 24),
      header.network.layerSizes.map(String.init).joined(separator: "-"),
      header.network.activation.rawValue, trained, NumberFormat.percent(bestAccuracy),
      NumberFormat.percent(summary?.testAccuracy), NumberFormat.duration(elapsed), outcome,
    ]
    return Entry(
      cells: cells, name: run, started: started, bestAccuracy: bestAccuracy,
      testAccuracy: summary?.testAccuracy,
      dataset: header.dataset, outcome: outcome)
  }

  static func table(_ rows: [[String]]) -> [String] {
    let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { c, cell in cell + String(repeating: " ", count: widths[c] - cell.count) }
        .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
  }
}

/// `nntop export FILE`: a run's per-epoch metrics as CSV (the only format, so `--csv` is optional).
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Write a run's per-epoch metrics as CSV (stdout, or --output), or the run as TensorBoard event files.")

  @Argument(help: "The run log.")
  var file: String

  @Flag(help: "CSV output: the only format and the default, accepted for scripts that name it.")
  var csv = false

  @Option(help: "Write here instead of stdout.")
  var output: String?

  @Option(
    help: ArgumentHelp(
      "Write the run as a TensorBoard event file in this folder (scalars, layer histograms, knob changes).",
      valueName: "dir"))
  var tensorboard: String?

  @Flag(
    help: ArgumentHelp(
      "Overwrite an existing --output file, or remove the event files already in the --tensorboard folder "
        + "(TensorBoard would show both)."))
  var replace = false

  func validate() throws {
    guard !(csv && tensorboard != nil) else {
      throw ValidationError("--csv and --tensorboard are one at a time")
    }
    guard !replace || tensorboard != nil || output != nil else {
      throw ValidationError("--replace goes with --output or --tensorboard")
    }
  }

  func run() throws {
    let contents = try RunLogSetup.read(file)
    for warning in contents.warnings(path: file) { printWarning(warning) }
    if let tensorboard {
      let path = try TensorBoardExport.write(contents, to: tensorboard, replacing: replace)
      writeAll(STDOUT_FILENO, "wrote \(path)\n")
      return
    }
    let text = ExportCommand.csv(contents.events)
    if let output {
      try OutputFile.write(text, to: output, input: file, replacing: replace)
    } else {
      writeAll(STDOUT_FILENO, text)
    }
  }

  /// One row per epoch; the loop's own metrics (the PyTorch client's `run.epoch(f1=…)`) follow as
  /// columns of their own, `metrics/f1` by name, empty in epochs that lack them.
  static func csv(_ events: [RunEvent]) -> String {
    let epochs = events.compactMap { if case .epochEnded(let e) = $0 { e } else { nil } }
    let metricNames = Set(epochs.flatMap(\.metrics.keys)).sorted()
    let header =
      [
        "epoch", "step", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "samples_per_second",
        "elapsed_seconds",
      ]
      // Named as their TensorBoard tags: `run.epoch(lr=…)` had made a second `lr` column.
      + metricNames.map { SummaryTag.metrics + $0 }
    var lines = [header.map(csvField).joined(separator: ",")]
    func cell(_ v: Double?) -> String {
      guard let v else { return "" }
      return v.isNaN ? "nan" : (v.isInfinite ? (v > 0 ? "inf" : "-inf") : "\(v)")
    }
    for e in epochs {
      lines.append(
        ([
          "\(e.epoch)", "\(e.step)", cell(e.trainLoss), cell(e.trainAccuracy), cell(e.validationLoss),
          cell(e.validationAccuracy), cell(e.learningRate), cell(e.samplesPerSecond), cell(e.elapsed),
        ] + metricNames.map { cell(e.metrics[$0]) }).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma or a
  /// quote (a metric's name is the loop's, and "f1,macro" must stay one column).
  static func csvField(_ text: String) -> String {
    text.contains(",") || text.contains("\"")
      ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
  }
}
