import Diagnosis
import RunModel
import Testing

/// "Learning rate too high" from a bouncing loss: an overshooting rate's bounces, not the noise of
/// a run near its floor.
@Suite struct OscillationRuleTests {
  typealias F = Fixture

  func events(losses: [Double]) -> [RunEvent] {
    [F.header()] + F.snapshots(count: 6, F.healthyLayers) + F.progress(losses: losses)
  }

  /// MNIST's untrained loss is ln 10 ≈ 2.30: bounces of 0.3–0.4 between 0.8 and 1.2 with no net
  /// progress are a rate that overshoots. (The first record spans one step, so it joins the
  /// second: ten pairs.)
  @Test func largeBouncesWithoutProgressReadAsTooHighARate() {
    let findings = F.findings(
      events(losses: [1.0, 1.2, 0.8, 1.2, 0.8, 1.15, 0.85, 1.2, 0.8, 1.2, 0.85, 1.2]))
    #expect(findings.first?.kind == .learningRateTooHigh, "\(findings.map(\.line))")
    #expect(findings.first?.action == .turn(.learningRate, up: false))
    #expect(findings.first?.line.contains("loss bounces (5 rises in 10 records)") == true)
  }

  /// The same shape at the floor (0.030 ↔ 0.045: rises of 50 %, but 0.015 = 0.7 % of the
  /// untrained loss) is sampling noise, as the spiral set showed at 99 % accuracy.
  @Test func bouncesAtTheFloorAreNotTooHighARate() {
    let losses = [0.035, 0.045, 0.03, 0.045, 0.03, 0.044, 0.031, 0.045, 0.03, 0.045, 0.031, 0.045]
    let findings = F.findings(events(losses: losses))
    #expect(!findings.contains { $0.kind == .learningRateTooHigh }, "\(findings.map(\.line))")
  }
}
