import RunModel
import Synchronization
import TestSupport
import Testing

@testable import nntop  // ConsoleReporter: the headless lines, collected instead of printed

/// `replay --no-tui` of a run another program wrote: the epoch line's advice is in words, not in
/// `nntop train` flags the user's script does not take; nntop's own runs keep their flags.
@Suite struct ConsoleWriterWordingTests {
  func lastLine(writer: String?) -> String {
    let lines = Mutex<[String]>([])
    let reporter = ConsoleReporter(line: { text in lines.withLock { $0.append(text) } }, warning: { _ in })
    var header = RunFixture.header()
    header.writer = writer
    reporter.handle(.started(header))
    // Two epochs at chance, validation steady, no blow-up: "at chance → new run with batch norm".
    for epoch in 1...2 {
      reporter.handle(
        .epochEnded(
          EpochSummary(
            epoch: epoch, step: epoch * 430, trainLoss: 2.31, trainAccuracy: 0.1, validationLoss: 2.30,
            validationAccuracy: 0.1, learningRate: 0.05, samplesPerSecond: 1_000, elapsed: Double(epoch))))
    }
    return lines.withLock { $0.last ?? "" }
  }

  @Test func anotherWritersRunIsAdvisedInWords() {
    #expect(lastLine(writer: "pytorch").hasSuffix("→ new run with batch-norm"))
    #expect(lastLine(writer: nil).hasSuffix("→ new run with --batch-norm"))
  }
}
