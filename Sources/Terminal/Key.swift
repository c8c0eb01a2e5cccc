/// A key press, independent of how the terminal encoded it.
public enum Key: Sendable, Hashable {
  case character(Character)
  case up, down, left, right
  case tab, backTab, enter, escape, backspace
  case home, end, pageUp, pageDown
  case function(Int)
  /// The terminal changed size.
  case resize

  public var label: String {
    switch self {
    case .character(" "): return "space"
    case .character(let c): return String(c)
    case .up: return "↑"
    case .down: return "↓"
    case .left: return "←"
    case .right: return "→"
    case .tab: return "tab"
    case .backTab: return "S-tab"
    case .enter: return "enter"
    case .escape: return "esc"
    case .backspace: return "backspace"
    case .home: return "home"
    case .end: return "end"
    case .pageUp: return "pgup"
    case .pageDown: return "pgdn"
    case .function(let n): return "F\(n)"
    case .resize: return "resize"
    }
  }
}

/// Where frames go: a real terminal (ncurses) in the program, nothing at all in tests.
public protocol Screen: AnyObject {
  /// Current size in cells.
  var size: (width: Int, height: Int) { get }
  /// Draws `buffer`, writing only what changed since the last frame.
  func present(_ buffer: Buffer)
  /// Waits up to `milliseconds` for a key.
  func readKey(timeout milliseconds: Int) -> Key?
}
