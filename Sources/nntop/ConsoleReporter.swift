import Diagnosis
import RunModel
import Synchronization
import Training

/// Turns events into the headless output: one line per epoch on stdout, warnings on stderr.
/// Whatever the dashboard's status line would announce (a divergence, a pause, a person's
/// change, a checkpoint) gets a line too, so a headless run or replay says everything the screen
/// said.
final class ConsoleReporter: Sendable {
  private let state = Mutex<State>(State())
  /// Where progress lines and warnings go: stdout and stderr, or a test's collector.
  private let line: @Sendable (String) -> Void
  private let warning: @Sendable (String) -> Void

  init(
    line: @escaping @Sendable (String) -> Void = printLine,
    warning: @escaping @Sendable (String) -> Void = printWarning
  ) {
    self.line = line
    self.warning = warning
  }

  private struct State {
    var epochs = 0
    var divergence: String?
    var divergenceStep: Int?
    /// What the diagnosis reads, so each epoch line can end with the top finding.
    var history = RunHistory()
    /// A run nntop's trainer wrote is advised in `nntop train` flags; another program's run (the
    /// PyTorch client's) in words.
    var nntopFlags = true
  }

  var divergenceMessage: String? { state.withLock { $0.divergence } }

  func handle(_ event: RunEvent) {
    state.withLock { $0.history.record(event) }
    switch event {
    case .started(let header):
      state.withLock {
        $0.epochs = header.epochs
        $0.nntopFlags = header.writer == nil
      }
      line(ConsoleFormat.headerLine(header))
    case .epochEnded(let summary):
      let (total, finding) = state.withLock {
        // No key works where lines are printed: the action without the dashboard's key ("raise
        // L2", not "raise L2 (W)", which a class reading a headless run took for something to press).
        ($0.epochs, Diagnosis.top(for: $0.history).summary(keys: { _, _ in "" }, nntopFlags: $0.nntopFlags))
      }
      line(ConsoleFormat.epochLine(summary, of: total, finding: finding))
    case .warning(let message):
      warning(message)
    case .diverged(let divergence):
      let message = "step \(divergence.step): \(divergence.reason)"
      state.withLock {
        $0.divergence = message
        $0.divergenceStep = divergence.step
      }
      printLine(ConsoleFormat.divergenceLine(divergence))
    case .paused(let step):
      // The pause a divergence makes by itself was announced by the divergence line.
      if state.withLock({ $0.divergenceStep }) != step { printLine("paused at step \(step)") }
    case .resumed(let step):
      printLine("resumed at step \(step)")
    case .hyperparameterChanged(let change) where change.source.isPerson:
      line(ConsoleFormat.changeLine(change))
    case .checkpoint(let c):
      if let failure = c.failure {
        warning("checkpoint failed: \(failure)")
      } else {
        line("checkpoint \(c.path) (\(c.reason), step \(c.step))")
      }
    case .learningRateSweep(let sweep):
      let suggestion = sweep.suggestion.map { "suggested learning rate \(ConsoleFormat.significant($0))" }
      line(
        "lr-find at step \(sweep.step): \(sweep.rates.count) batches, \(sweep.stop); "
          + (suggestion ?? "no suggestion"))
    case .finished(let summary):
      let finding = state.withLock { Diagnosis.top(for: $0.history).summary(nntopFlags: $0.nntopFlags) }
      line(ConsoleFormat.endingLine(finding: finding))
      line(ConsoleFormat.finalLine(summary))
    default:
      break
    }
  }
}
