import ArgumentParser
import CursesScreen
import EventFiles
import Foundation
import RunLog
import RunModel
import SystemIO
import Terminal
import Training
import Viewer

#if canImport(Glibc)
  import Glibc
#endif

/// `nntop view PATH…`: TensorBoard logdirs and nntop run logs, side by side.
struct ViewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "view",
    abstract: "Watch TensorBoard logdirs, event files and nntop run logs: every run on the same charts.",
    discussion: """
      Each PATH is an nntop run log, a TensorBoard event file, or a folder searched recursively for \
      both (a TensorBoard run is a folder holding *tfevents* files, read in name order). On a \
      terminal: the runs on loss, accuracy and learning-rate charts, read as they grow (keys in the \
      footer: ←/→ move a cursor, f forks an nntop run log from its checkpoint at the cursor, g makes \
      the marked chart logarithmic, h shows the layers' histograms). With --no-tui (or when stdout \
      is not a terminal): one line per run and scalar tag, RUN TAG points=N last_step=S last=V (V to \
      6 significant digits), then exit.
      """)

  @Argument(help: "Run logs, event files or folders.")
  var paths: [String]

  @OptionGroup var display: DisplayOptions

  @Flag(
    help:
      "Keep reading as writers append (on screen: the default; --no-tui: print a tag's line again when it grows)."
  )
  var follow = false

  @Flag(name: .customLong("skip-data-checksums"), help: "Check only the record lengths' checksums (faster).")
  var skipDataChecksums = false

  func run() throws {
    var view = try LoadedRuns(
      paths: paths, verifiesData: !skipDataChecksums, waitsForRuns: follow || display.wantsDashboard,
      quietly: display.wantsDashboard)
    if display.wantsDashboard {
      let (status, fork) = try ViewerHost(display: display).run(&view)
      if status != 0 { throw ExitCode(status) }
      if let fork { try start(fork) }
      return
    }
    var printed: [String: Int] = [:]
    view.printChanged(since: &printed)
    guard follow else {
      for path in view.eventRuns.flatMap(\.filesEndingMidRecord) {
        printWarning(
          "\(path): ends in an incomplete record (cut short, or still being written)".printable(limit: 300))
      }
      // A listing of nothing is not a success: empty or foreign files named like event files.
      if printed.isEmpty {
        throw fail(
          "no scalars in the \(view.all.count == 1 ? "run" : "\(view.all.count) runs") under "
            + paths.joined(separator: " ").printable(limit: 300), code: view.warnings.isEmpty ? 66 : 65)
      }
      return
    }
    // Following ends only by a signal: exit at once with the shell's status for it, whatever
    // disposition the signal had when nntop started (a test runner may have left it ignored).
    let signals = TerminationSignals()
    while !signals.raised {
      usleep(250_000)
      view.refresh()
      view.printChanged(since: &printed)
    }
    throw ExitCode(signals.exitStatus)
  }
}

extension ViewCommand {
  /// `f` in the viewer: what a replay's `f` does, from the log the cursor was on.
  func start(_ request: ForkRequest) throws {
    let contents = try RunLogSetup.read(request.log)
    guard let header = contents.header else {
      throw fail("\(request.log): no header, so no dataset to train on", code: 65)
    }
    try Fork(
      log: request.log, checkpoint: request.checkpoint, dataset: header.dataset,
      original: contents.context?.command ?? []
    ).start(display: display)
  }
}

/// The runs under the user's paths, read and kept reading.
struct LoadedRuns {
  let paths: [String]
  let verifiesData: Bool
  private(set) var eventRuns: [EventRun] = []
  private(set) var logRuns: [FollowedRunLog] = []
  private var reported = Set<String>()
  private var lastDiscovery = Date.distantPast

  /// `waitsForRuns`: a folder without runs is watched for them instead of being an error;
  /// `quietly`: the waiting is said on screen, not on stderr.
  init(paths: [String], verifiesData: Bool, waitsForRuns: Bool = false, quietly: Bool = false) throws {
    self.paths = paths
    self.verifiesData = verifiesData
    let (runs, problems) = RunDiscovery.runs(under: paths)
    // Folders that exist but hold no run yet are waited for when following (a viewer started
    // before the trainer, as TensorBoard allows); a path that cannot be read is the error itself.
    if runs.isEmpty && !(waitsForRuns && problems.isEmpty) {
      for problem in problems.dropFirst() { printWarning(problem.printable(limit: 300)) }
      throw fail(
        problems.first?.printable(limit: 300)
          ?? "no runs under \(paths.joined(separator: " ")) (no *tfevents* files or run logs)", code: 66)
    }
    for problem in problems { printWarning(problem.printable(limit: 300)) }
    if runs.isEmpty && !quietly {
      printWarning(
        "no runs under \(paths.joined(separator: " ")) yet: waiting for *tfevents* files or run logs")
    }
    var seen = Set<DiscoveredRun.Source>()
    var unreadable: RunLogSetup.ReadProblem?
    // The same file named twice (directly and inside a folder given too) is one run.
    for run in runs where seen.insert(run.source).inserted {
      switch run.source {
      case .eventFiles(let files):
        eventRuns.append(EventRun(name: run.name, files: files, verifiesData: verifiesData))
      case .runLog(let path):
        let contents: RunLogContents
        switch RunLogSetup.load(path) {
        case .success(let read): contents = read
        case .failure(let problem):
          printWarning("\(problem.message); skipped".printable(limit: 300))
          reported.insert(problem.message)
          unreadable = unreadable ?? problem
          continue
        }
        logRuns.append(FollowedRunLog(name: run.name, path: path, contents: contents))
      }
    }
    // Nothing left to show: the first unreadable file's code (65 for a file that is not a run
    // log), not 0 for a view of nothing.
    if let unreadable, eventRuns.isEmpty && logRuns.isEmpty {
      throw fail("no readable runs under \(paths.joined(separator: " "))", code: unreadable.code)
    }
    // The runs were just found: the first refresh only reads them, without a second walk.
    lastDiscovery = Date()
    refresh()
  }

  /// Every problem met so far (damaged files, unreadable folders), one line each.
  private(set) var warnings: [String] = []

  /// Reads what was appended and, once a second, adopts event files that appeared; returns
  /// whether anything new arrived. `quietly` keeps problems in `warnings` instead of printing
  /// them (a full-screen view draws them itself).
  @discardableResult
  mutating func refresh(quietly: Bool = false) -> Bool {
    var changed = false
    if Date().timeIntervalSince(lastDiscovery) >= 1 {
      lastDiscovery = Date()
      let found = RunDiscovery.runs(under: paths).runs
      for run in found {
        switch run.source {
        case .eventFiles(let files):
          if let known = eventRuns.first(where: { $0.name == run.name }) {
            known.adopt(files: files)
          } else {
            eventRuns.append(EventRun(name: run.name, files: files, verifiesData: verifiesData))
            changed = true
          }
        case .runLog(let path):
          // A run log that appeared since (a run started after the view): adopted once it has
          // a header; a file that is not a log is said once.
          guard !logRuns.contains(where: { $0.path == path }) else { continue }
          switch RunLogSetup.load(path) {
          case .success(let contents) where contents.header != nil:
            logRuns.append(FollowedRunLog(name: run.name, path: path, contents: contents))
            changed = true
          case .failure(let problem) where reported.insert(problem.message).inserted:
            warnings.append("\(problem.message); skipped".printable(limit: 300))
            if !quietly { printWarning("\(problem.message); skipped".printable(limit: 300)) }
          default: break
          }
        }
      }
    }
    for log in logRuns where log.poll() { changed = true }
    for run in eventRuns {
      if run.poll() { changed = true }
      for problem in run.problems where reported.insert(problem).inserted {
        warnings.append(problem.printable(limit: 300))
        if !quietly { printWarning(problem.printable(limit: 300)) }
      }
    }
    return changed
  }

  /// Every run's data by name, in name order.
  var all: [ViewedRun] {
    (eventRuns.map { ViewedRun(name: $0.name, data: $0.data) } + logRuns.map(\.viewed)).sorted {
      $0.name < $1.name
    }
  }

  /// Prints `RUN TAG points=N last_step=S last=V` for each scalar tag whose count changed.
  func printChanged(since printed: inout [String: Int]) {
    var lines = ""
    for run in all {
      let (name, data) = (run.name, run.data)
      for tag in data.scalars.keys.sorted() {
        guard let points = data.scalars[tag], let last = points.last else { continue }
        let key = name + "\u{0}" + tag
        guard printed[key] != points.count else { continue }
        printed[key] = points.count
        lines +=
          "\(name.listingField) \(tag.listingField) points=\(points.count) last_step=\(last.step) "
          + "last=\(String(format: "%.6g", last.value))\n"
      }
    }
    if !lines.isEmpty { writeAll(STDOUT_FILENO, lines) }
  }
}

extension String {
  /// A name from a file as one field of a listing line: printable (no control characters reach
  /// the terminal), spaces shown as `_` so the line keeps its five fields, `""` when empty.
  var listingField: String {
    let clean = printable(limit: 300)
    return clean.isEmpty ? "\"\"" : String(clean.map { $0 == " " ? "_" : $0 })
  }
}
