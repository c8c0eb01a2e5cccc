import ArgumentParser

/// Where a training run reads its data and writes its log: shared by `train` and `rerun`.
struct RunOutputOptions: ParsableArguments {
  @Option(help: "Folder holding datasets/ (or the mnist folder itself); also NNTOP_DATA.")
  var data: String?

  @Option(help: "Write the run log here (default: runs/DATE-TIME-DATASET.jsonl).")
  var log: String?

  @Flag(help: "Write no run log.")
  var noLog = false

  func validate() throws {
    if noLog, let log { throw ValidationError("--log \(log) and --no-log contradict each other: choose one") }
  }
}
