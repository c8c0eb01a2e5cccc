import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

/// The help overlay fits every supported size, live and in replay: each binding whole, and the
/// note on chart markers on the box's bottom border, never pushed out by the bindings.
@Suite struct HelpOverlayTests {
  static let sizes = [(80, 24), (100, 30), (120, 40), (200, 60)]
  static let footer = "Chart markers: where a knob turned or the run paused."

  func frame(width: Int, height: Int, replay: Bool) -> Buffer {
    let c = controller()
    c.view.helpVisible = true
    c.view.feed = replay ? .replay : .live
    return c.render(width: width, height: height, now: 0)
  }

  @Test func everyBindingAndTheFooterAreWholeAtEverySize() {
    for (width, height) in Self.sizes {
      for replay in [false, true] {
        let frame = frame(width: width, height: height, replay: replay)
        let bindings = KeyMap.helpBindings(for: replay ? .replay : .live)
        for binding in bindings {
          let entry = KeyMap.label(binding).padding(toLength: 8) + binding.help
          #expect(frame.find(binding.help) != nil, "\(width)×\(height) replay \(replay): \(entry)")
        }
        guard let (x, y) = frame.find(" " + Self.footer + " ") else {
          Issue.record(
            "\(width)×\(height) replay \(replay): no footer\n\(frame.lines.joined(separator: "\n"))")
          continue
        }
        // On the bottom border: a corner to its left, border to its right.
        #expect(frame[x - 1, y].character == "└", "\(width)×\(height)")
        #expect(frame[x + Self.footer.unicodeScalars.count + 2, y].character == "─")
        #expect(frame.find("more on a larger screen") == nil)
      }
    }
  }

  @Test func at80x24TheBindingsTakeTwoColumnsWithTheBoxInside() {
    let frame = frame(width: 80, height: 24, replay: false)
    let (x, y) = frame.find(" Keys ") ?? (0, 0)
    #expect(frame[x - 1, y].character == "┌")
    #expect(frame.line(y).contains("any key closes ┐"))
    #expect(frame.find("q        quit; the run ends cleanly  tab/↓    select the next knob") != nil)
    #expect(
      frame.find("g        log/linear y of ▸ chart") != nil
        && frame.find("G        ▸ to the next chart") != nil)
  }
}

extension String {
  fileprivate func padding(toLength length: Int) -> String {
    self + String(repeating: " ", count: max(0, length - unicodeScalars.count))
  }
}
