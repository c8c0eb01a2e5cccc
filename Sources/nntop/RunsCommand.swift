import ArgumentParser
import Foundation
import RunLog
import RunModel
import Terminal
import Training

/// `nntop runs [DIR]`: a table of the runs whose logs are in a folder.
struct RunsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "List the run logs in a folder (default: runs/).")

  @Argument(help: "Folder of run logs.")
  var folder: String = "runs"

  func run() throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
    else {
      throw fail("\(folder): no such folder", code: 66)
    }
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
      $0.hasSuffix(".jsonl")
    }
    .sorted()
    guard !names.isEmpty else {
      printLine("no run logs in \(folder)")
      return
    }
    var rows: [[String]] = [
      ["date", "run", "dataset", "network", "epochs", "best val acc", "test acc", "time", "outcome"]
    ]
    for name in names {
      let path = folder + "/" + name
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      rows.append(RunsCommand.row(name: name, path: path, contents: RunLogReader.parse([UInt8](data))))
    }
    for line in RunsCommand.table(rows) { printLine(line) }
  }

  static func row(name: String, path: String, contents: RunLogContents) -> [String] {
    let modified =
      (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? nil
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    let date = modified.map { formatter.string(from: $0) } ?? "-"
    let run = String(name.dropLast(6))
    guard let header = contents.header else {
      return [date, run, "?", "?", "-", "-", "-", "-", "unreadable"]
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
      outcome = "interrupted"
    }
    let elapsed = summary?.elapsed ?? contents.records.last?.time ?? 0
    return [
      date, run, header.dataset, header.network.layerSizes.map(String.init).joined(separator: "-"),
      "\(epochs.count)/\(header.epochs)", NumberFormat.percent(bestAccuracy),
      NumberFormat.percent(summary?.testAccuracy), NumberFormat.duration(elapsed), outcome,
    ]
  }

  static func table(_ rows: [[String]]) -> [String] {
    let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { c, cell in cell + String(repeating: " ", count: widths[c] - cell.count) }
        .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
  }
}

/// `nntop export FILE --csv`: a run's per-epoch metrics as CSV.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Write a run's per-epoch metrics as CSV (stdout, or --output).")

  @Argument(help: "The run log.")
  var file: String

  @Flag(help: "CSV output (the only format).")
  var csv = false

  @Option(help: "Write here instead of stdout.")
  var output: String?

  func validate() throws {
    guard csv else { throw ValidationError("choose a format: --csv") }
  }

  func run() throws {
    let contents = try RunLogSetup.read(file)
    for warning in contents.warnings(path: file) { printWarning(warning) }
    let text = ExportCommand.csv(contents.events)
    if let output {
      try OutputFile.write(text, to: output, input: file)
    } else {
      writeAll(STDOUT_FILENO, text)
    }
  }

  static func csv(_ events: [RunEvent]) -> String {
    var lines = ["epoch,step,train_loss,train_acc,val_loss,val_acc,lr,samples_per_second,elapsed_seconds"]
    func cell(_ v: Double?) -> String {
      guard let v else { return "" }
      return v.isNaN ? "nan" : (v.isInfinite ? (v > 0 ? "inf" : "-inf") : "\(v)")
    }
    for event in events {
      guard case .epochEnded(let e) = event else { continue }
      lines.append(
        [
          "\(e.epoch)", "\(e.step)", cell(e.trainLoss), cell(e.trainAccuracy), cell(e.validationLoss),
          cell(e.validationAccuracy), cell(e.learningRate), cell(e.samplesPerSecond), cell(e.elapsed),
        ].joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
