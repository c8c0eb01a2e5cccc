import ArgumentParser
import Dashboard
import Datasets
import Diagnosis
import RunLog
import RunModel
import SystemIO
import Training

/// A configured training run, wired to its outputs: the run log and checkpoints (the same either
/// way), and either the live dashboard or the console's epoch lines.
struct TrainRun {
  var configuration: TrainingConfiguration
  let bundle: DatasetBundle
  let logger: RunLogWriter?
  let saver: CheckpointSaver?
  /// Log write failures: on stderr headless, in the status line under the dashboard.
  let relay: WarningRelay
  /// An earlier run to draw beside this one (`--compare LOG`).
  var comparison: ComparisonRun? = nil

  /// Prints a line per epoch. A signal stops a headless run early (exit 128 + its number; a scripted stop
  /// exits 0); a diverged run exits 1 naming the step.
  func headless() throws {
    let reporter = ConsoleReporter()
    let session = TrainingSession()
    let mailbox = session.mailbox
    let signals = TerminationSignals { _ in mailbox.post(.stop, source: .signal) }
    session.start(configuration: configuration, dataset: bundle, saver: saver) { [logger] event in
      logger?.write(event)
      reporter.handle(event)
    }
    let summary = session.waitUntilFinished()
    signals.cancel()
    if summary.outcome == .diverged {
      throw fail("training diverged: \(reporter.divergenceMessage ?? "non-finite loss")", code: 1)
    }
    if summary.outcome == .stopped && signals.raised { throw ExitCode(signals.exitStatus) }
  }

  /// Trains under the dashboard; keys steer the run, and a divergence pauses it for the user
  /// instead of ending it. After the dashboard closes, the header, last epoch and final line are
  /// printed, so the terminal keeps a record.
  func dashboard(host: DashboardHost) throws {
    var configuration = configuration
    configuration.divergencePolicy = .pause
    let session = TrainingSession()
    let inbox = EventInbox()
    var view = host.view(feed: .live)
    view.pace = configuration.pace
    let controller = DashboardController(view: view)
    controller.compare(with: comparison)
    host.greet(controller, warnings: bundle.warnings)
    let mailbox = session.mailbox
    var summary: RunSummary?
    let status = host.run(
      controller: controller, inbox: inbox,
      send: { commands in for (command, source) in commands { mailbox.post(command, source: source) } },
      opening: { [logger, relay, saver, bundle] in
        relay.route { inbox.post(.warning($0)) }
        session.start(configuration: configuration, dataset: bundle, saver: saver) { event in
          logger?.write(event)
          inbox.post(event)
        }
      },
      closing: { exit in
        // End the run cleanly before giving the terminal back.
        mailbox.post(.stop, source: exit == .quit ? .key("q") : .signal)
        summary = session.waitUntilFinished()
      })
    for event in inbox.drain() { controller.apply(event, now: Stopwatch.now()) }
    let state = controller.state
    if let header = state.header { printLine(ConsoleFormat.headerLine(header)) }
    if let last = state.epochs.last {
      let paced = configuration.pace == nil ? nil : state.lastEpochWallRate
      printLine(ConsoleFormat.epochLine(last, of: configuration.epochs, pacedRate: paced))
    }
    // The run has ended: the reading names what a next run should change, as headless prints it.
    if summary != nil {
      printLine(ConsoleFormat.endingLine(finding: Diagnosis.top(for: state.history).summary()))
    }
    if let summary { printLine(ConsoleFormat.finalLine(summary)) }
    // Quitting while the run still stands at its divergence (no step taken since) ends a diverged
    // run, as headless does: exit 1, with a warning. A run steered back into training and then
    // quit exits 0, and its divergence is history, not a warning.
    let unrecovered = state.divergence.flatMap { (summary?.step ?? 0) <= $0.step ? $0 : nil }
    if let divergence = unrecovered {
      printWarning("diverged at step \(divergence.step): \(divergence.reason)")
    } else if let divergence = state.divergence {
      printLine("diverged at step \(divergence.step) (\(divergence.reason)), then trained on")
    }
    if status != 0 { throw ExitCode(status) }
    if unrecovered != nil { throw ExitCode(1) }
  }
}
