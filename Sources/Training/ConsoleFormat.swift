import Foundation
import RunModel
import SystemIO

/// The text of the headless output (and of `nntop replay --no-tui`), kept in one place so live
/// and replayed runs print identical lines.
public enum ConsoleFormat {
  public static func headerLine(_ h: RunHeader) -> String {
    "nntop: \(h.dataset) \(h.network.summary), \(h.optimizer.rawValue) lr \(number(h.hyperparameters.learningRate)), "
      + "batch \(h.batchSize), \(h.epochs.counted("epoch")), \(h.trainCount) train / \(h.validationCount) validation / "
      + "\(h.testCount) test, \(h.parameterCount) parameters, seed \(h.seed), \(h.threads.counted("thread"))"
  }

  /// The epoch's numbers, then (when given) the diagnosis's top finding: `· verdict: reason →
  /// action`, so every lesson can be checked without a screen.
  ///
  /// `pacedRate`: for a run slowed to be watched, the samples a second it really went at; the
  /// epoch's own figure is the steps' speed without the waits between them (a lesson at 100 steps
  /// a second printed "74562 samples/s" where it trained 12 800 a second).
  public static func epochLine(
    _ e: EpochSummary, of total: Int, finding: String? = nil, pacedRate: Double? = nil
  ) -> String {
    let width = String(total).count
    let epoch = String(repeating: " ", count: max(0, width - String(e.epoch).count)) + String(e.epoch)
    let speed = pacedRate.map { "\(whole($0)) samples/s paced" } ?? "\(whole(e.samplesPerSecond)) samples/s"
    return "epoch \(epoch)/\(total)  train loss \(fixed(e.trainLoss, 4)) acc \(percent(e.trainAccuracy))  "
      + "val loss \(fixed(e.validationLoss, 4)) acc \(percent(e.validationAccuracy))  "
      + "lr \(number(e.learningRate))  \(speed)  \(fixed(e.elapsed, 1))s"
      + e.sortedMetrics.map { "  \($0.name) \(number($0.value))" }.joined()
      + (finding.map { "  · " + $0 } ?? "")
  }

  /// The diagnosis's reading of the ended run, which names what a next run should change. It
  /// comes just before the final line, so the test accuracy stays the last thing printed.
  public static func endingLine(finding: String) -> String { "at the end: " + finding }

  public static func changeLine(_ c: HyperparameterChange) -> String {
    // A count is a count: "train_size 2000 → 10000", not "→ 1e+04" beside a screen that said 10000.
    let value = { (v: Double) in
      c.knob.isCount && v.isFinite && abs(v) < 1e15 ? String(Int(v.rounded())) : number(v)
    }
    return "\(c.knob.rawValue) \(value(c.oldValue)) → \(value(c.newValue)) at step \(c.step) (\(c.source))"
  }

  /// What the dashboard's status line says when a run diverges, so headless output and
  /// `replay --no-tui` say it too.
  public static func divergenceLine(_ d: Divergence) -> String {
    "diverged at step \(d.step) (epoch \(position(d.epoch))): \(d.reason)"
  }

  public static func finalLine(_ s: RunSummary) -> String {
    var line =
      "\(s.outcome.rawValue) after \(s.epochs.counted("epoch")) (\(s.step) steps, \(fixed(s.elapsed, 1))s)"
    if let loss = s.testLoss {
      line += ": test loss \(fixed(loss, 4))"
      if let accuracy = s.testAccuracy { line += " acc \(percent(accuracy))" }
    }
    return line
  }

  /// Fixed decimals; a magnitude of a billion or more in exponent form ("1.72e+22"), where a
  /// blown-up loss had printed 23 digits and four decimals.
  public static func fixed(_ value: Double, _ digits: Int) -> String {
    value.nonFiniteText
      ?? (abs(value) >= 1e9 ? String(format: "%.3g", value) : String(format: "%.\(digits)f", value))
  }

  /// A count rounded to a whole number: 120000; any double (a damaged log's) prints, as "nan",
  /// "inf" or its digits, instead of trapping in a conversion to Int.
  public static func whole(_ value: Double) -> String { fixed(value, 0) }

  public static func percent(_ value: Double?) -> String {
    guard let value else { return "-" }
    return String(format: "%.2f%%", value * 100)
  }

  /// Three significant figures, for figures in sentences: 246, 2.41, 1.2e+10.
  public static func significant(_ value: Double) -> String {
    value.nonFiniteText ?? String(format: "%.3g", value)
  }

  /// Where in the run a step is, in epochs: four decimals at most (0.0938, 2.5).
  static func position(_ epoch: Double) -> String {
    guard epoch.isFinite else { return fixed(epoch, 0) }
    var text = String(format: "%.4f", epoch)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

  /// Compact form for hyperparameters: 0.05, 0.001, 0.000125, 1e-05 — to six significant digits,
  /// so two settings a run can have are never printed alike (one digit below 1e-3 had printed
  /// 1e-04 for both 1e-4 and 1.25e-4, and 0.0013 for 0.00125).
  public static func number(_ value: Double) -> String {
    if value == 0 { return "0" }
    if !value.isFinite { return fixed(value, 0) }
    return String(format: "%.6g", value)
  }
}
