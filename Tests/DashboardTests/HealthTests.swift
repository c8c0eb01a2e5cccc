import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

@Suite struct HealthTests {
  @Test func rulesOfThumb() {
    #expect(
      HealthRules.spread(1e-4) == .bad && HealthRules.spread(5e-3) == .warning
        && HealthRules.spread(0.5) == .good)
    #expect(
      HealthRules.inactive(0.6) == .bad && HealthRules.inactive(0.3) == .warning
        && HealthRules.inactive(0.1) == .good)
    #expect(
      HealthRules.gradient(1e-7) == .bad && HealthRules.gradient(1e-5) == .warning
        && HealthRules.gradient(0.3) == .good)
    #expect(HealthRules.gradient(50) == .warning && HealthRules.gradient(.infinity) == .bad)
    #expect(
      HealthRules.update(1e-3) == .good && HealthRules.update(2.4e-4) == .good
        && HealthRules.update(5e-2) == .warning && HealthRules.update(5e-5) == .bad
        && HealthRules.update(0.2) == .bad && HealthRules.update(1e-6) == .bad)
  }

  @Test func healthTableAppearsOnWideScreensColouredByTheRules() throws {
    var events = RunFixture.events()
    events.append(
      .layerStatistics(
        LayerSnapshot(
          step: 1300, epoch: 3.1,
          layers: [
            RunFixture.layer("hidden1", units: 256, gradient: 1e-7, dead: 0.6),
            RunFixture.layer("hidden2", units: 128),
            RunFixture.layer("output", units: 10, dead: 0),
          ])))
    let frame = controller(events: events).render(width: 140, height: 40, now: 0)
    // The band on the box, whole (a longer note had been dropped for want of room).
    #expect(frame.find("upd/w 1e-4…1e-2 healthy ┐") != nil)
    let (_, top) = try #require(frame.find(" Layer health "))
    let row = top + 2  // header row, then hidden1
    let line = frame.line(row)
    #expect(line.contains("hidden1"))
    func column(_ text: String) -> Int? {
      let scalars = Array(line.unicodeScalars)
      let needle = Array(text.unicodeScalars)
      return (0...(scalars.count - needle.count)).first { Array(scalars[$0..<($0 + needle.count)]) == needle }
    }
    let dead = try #require(column("60%"))
    #expect(frame[dead, row].foreground == Theme.builtIn.color(.bad))
    let gradient = try #require(column("1e-07"))
    #expect(frame[gradient, row].foreground == Theme.builtIn.color(.bad))
    let healthy = try #require(column("0.001"))  // upd/w 1e-3
    #expect(frame[healthy, row].foreground == Theme.builtIn.color(.good))
    // Narrower screens keep it behind its zoom key.
    #expect(controller(events: events).render(width: 120, height: 40, now: 0).find(" Layer health ") == nil)
    let zoomed = controller(events: events)
    _ = zoomed.handle(.character("5"))
    #expect(zoomed.render(width: 100, height: 30, now: 0).find(" Layer health ") != nil)
  }
}
