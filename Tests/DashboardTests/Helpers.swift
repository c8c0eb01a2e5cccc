import Dashboard
import RunModel
import Terminal
import TestSupport

/// A controller that has taken in `events`.
func controller(
  events: [RunEvent] = RunFixture.events(), glyphs: Glyphs = .unicode, theme: Theme = .builtIn,
  feed: ViewOptions.Feed = .live
) -> DashboardController {
  var view = ViewOptions(themes: [theme], glyphs: glyphs)
  view.feed = feed
  let c = DashboardController(view: view)
  for e in events { c.apply(e, now: 0) }
  return c
}

extension String {
  func trimmingCharacters(in _: CharacterSetLike) -> String {
    var s = Substring(self)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }

  func components(separatedBy separator: String) -> [String] {
    var parts: [String] = []
    var rest = Substring(self)
    while let range = rest.range(of: separator) {
      parts.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }
}

enum CharacterSetLike { case whitespaces }

extension Color {
  var red: UInt8 { if case .rgb(let r, _, _) = self { return r } else { return 0 } }
  var green: UInt8 { if case .rgb(_, let g, _) = self { return g } else { return 0 } }
  var blue: UInt8 { if case .rgb(_, _, let b) = self { return b } else { return 0 } }
}
