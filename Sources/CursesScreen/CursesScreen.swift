import CNCurses
import SystemIO
import Terminal

#if canImport(Glibc)
  import Glibc
#endif

/// The one type that talks to ncurses: draws buffers and reads keys.
///
/// Only the UI thread may use it. Colours are mapped to what the terminal has: the 256-colour
/// palette, 16 or 8 basic colours, or none at all (`NO_COLOR`, `--no-color`, a monochrome
/// terminal), in which case only attributes (bold, reverse, …) remain.
public final class CursesScreen: Screen {
  public enum ColorMode: Sendable { case automatic, none }

  private var previous: Buffer?
  private var pairs: [UInt32: Int16] = [:]
  private var nextPair: Int16 = 1
  private var palette: ColorPalette = .none
  private var started = false
  private var lastSize = (width: 0, height: 0)

  public init() {}

  /// Why the dashboard cannot run on this terminal, or nil: a `TERM` terminfo does not know (ncurses
  /// would print its own error and exit 1, the code of a diverged run), or `COLUMNS`/`LINES` that
  /// are not plausible sizes. Asked before the run log is opened, so a refused terminal never
  /// leaves an empty log.
  public static func terminalProblem(environment: [String: String]) -> String? {
    for name in ["COLUMNS", "LINES"] {
      guard let text = environment[name], !text.isEmpty else { continue }
      guard let value = Int(text), (1...10_000).contains(value) else {
        return "\(name)=\(text.printable(limit: 20)) is not a terminal size (1 to 10000)"
      }
    }
    let name = environment["TERM"] ?? ""
    let term = name.printable(limit: 40)
    switch nntop_terminal_known(name) {
    case 2: return nil
    case 1: return "TERM=\(term) is a hardcopy terminal"
    case 0: return "TERM=\(term) is not a terminal this system's terminfo knows"
    default: return "no terminfo database to look up TERM=\(term)"
    }
  }

  /// Enters curses mode: alternate screen, no echo, keypad on, cursor hidden.
  public func start(colors: ColorMode) {
    // A parent (a test runner, a job system) may have left these blocked; ncurses needs SIGWINCH
    // to see resizes and SIGTSTP/SIGCONT to suspend cleanly, so this thread takes them.
    var signals = sigset_t()
    sigemptyset(&signals)
    for number in [SIGWINCH, SIGTSTP, SIGCONT, SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, number) }
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    setlocale(LC_ALL, "")
    // A fault while curses holds the terminal (a trap, an allocation failure) restores it first.
    nntop_install_crash_restore()
    initscr()
    started = true
    cbreak()
    noecho()
    nonl()
    keypad(nntop_stdscr(), true)
    set_escdelay(25)
    curs_set(0)
    if colors == .automatic && has_colors() {
      start_color()
      use_default_colors()
      let count = nntop_colors()
      palette = count >= 256 ? .xterm256 : count >= 16 ? .basic16 : count >= 8 ? .basic8 : .none
    }
    previous = nil
  }

  /// Leaves curses mode and restores the terminal (idempotent).
  public func stop() {
    guard started else { return }
    started = false
    curs_set(1)
    endwin()
    nntop_remove_crash_restore()
  }

  public var size: (width: Int, height: Int) {
    let w = nntop_stdscr()
    return (Int(getmaxx(w)), Int(getmaxy(w)))
  }

  public func present(_ buffer: Buffer) {
    let current = size
    if current.width != lastSize.width || current.height != lastSize.height {
      previous = nil
      lastSize = current
      werase(nntop_stdscr())
      clearok(nntop_stdscr(), true)
    }
    let changed = buffer.changes(since: previous)
    var wide: [wchar_t] = [0, 0]
    var cell = cchar_t()
    for index in changed {
      let x = index % buffer.width
      let y = index / buffer.width
      guard x < current.width, y < current.height else { continue }
      // The bottom-right cell would scroll the screen on some terminals: leave it.
      if x == current.width - 1 && y == current.height - 1 { continue }
      let c = buffer.cells[index]
      wide[0] = wchar_t(bitPattern: c.character.value)
      let pair = pairNumber(foreground: c.foreground, background: c.background)
      var attributes: attr_t = 0
      if c.style.contains(.bold) { attributes |= nntop_attr_bold() }
      if c.style.contains(.dim) { attributes |= nntop_attr_dim() }
      if c.style.contains(.reverse) { attributes |= nntop_attr_reverse() }
      if c.style.contains(.underline) { attributes |= nntop_attr_underline() }
      setcchar(&cell, &wide, attributes, pair, nil)
      mvadd_wch(Int32(y), Int32(x), &cell)
    }
    refresh()
    previous = buffer
  }

  public func readKey(timeout milliseconds: Int) -> Key? {
    wtimeout(nntop_stdscr(), Int32(milliseconds))
    var value: wint_t = 0
    let status = wget_wch(nntop_stdscr(), &value)
    if status == ERR { return nil }
    let code = Int32(bitPattern: value)
    if status == KEY_CODE_YES {
      switch code {
      case KEY_UP: return .up
      case KEY_DOWN: return .down
      case KEY_LEFT: return .left
      case KEY_RIGHT: return .right
      case KEY_BTAB: return .backTab
      case KEY_HOME: return .home
      case KEY_END: return .end
      case KEY_PPAGE: return .pageUp
      case KEY_NPAGE: return .pageDown
      case KEY_ENTER: return .enter
      case KEY_BACKSPACE: return .backspace
      case KEY_RESIZE: return .resize
      default:
        for n in 1...12 where code == nntop_key_f(Int32(n)) { return .function(n) }
        return nil
      }
    }
    switch code {
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 127, 8: return .backspace
    default:
      guard let scalar = Unicode.Scalar(UInt32(bitPattern: code)) else { return nil }
      return .character(Character(scalar))
    }
  }

  private func pairNumber(foreground: Color, background: Color) -> Int16 {
    guard palette != .none else { return 0 }
    let fg = palette.index(of: foreground, isForeground: true)
    let bg = palette.index(of: background, isForeground: false)
    if fg == -1 && bg == -1 { return 0 }
    let key = UInt32(UInt16(bitPattern: fg)) << 16 | UInt32(UInt16(bitPattern: bg))
    if let pair = pairs[key] { return pair }
    guard Int32(nextPair) < min(nntop_color_pairs(), 32_767) else { return 0 }
    let pair = nextPair
    guard init_pair(pair, fg, bg) != ERR else { return 0 }
    nextPair += 1
    pairs[key] = pair
    return pair
  }
}

/// How theme colours become terminal colour numbers.
enum ColorPalette: Equatable {
  case none, basic8, basic16, xterm256

  /// The terminal colour closest to `color` (-1: the terminal's default).
  func index(of color: Color, isForeground: Bool) -> Int16 {
    guard case .rgb(let r, let g, let b) = color else { return -1 }
    switch self {
    case .none: return -1
    case .xterm256: return ColorPalette.xterm(r, g, b)
    case .basic16: return ColorPalette.basic(r, g, b, bright: true, isForeground: isForeground)
    case .basic8: return ColorPalette.basic(r, g, b, bright: false, isForeground: isForeground)
    }
  }

  /// With only 8 or 16 colours, the nearest colour by distance is often black or grey, which is
  /// invisible on a dark terminal (the background is the terminal's own and unknown). So greys
  /// become the terminal's default foreground, and saturated colours their nearest hue.
  static func basic(_ r: UInt8, _ g: UInt8, _ b: UInt8, bright: Bool, isForeground: Bool) -> Int16 {
    let high = Int(max(r, g, b))
    let low = Int(min(r, g, b))
    let saturation = high == 0 ? 0 : Double(high - low) / Double(high)
    if saturation < 0.3 {
      if isForeground { return -1 }
      return (Int(r) + Int(g) + Int(b)) / 3 < 128 ? 0 : 7
    }
    // Hue to the six chromatic colours: red 1, green 2, yellow 3, blue 4, magenta 5, cyan 6.
    let rf = Double(r) / 255
    let gf = Double(g) / 255
    let bf = Double(b) / 255
    let span = Double(high - low) / 255
    var hue: Double
    if high == Int(r) {
      hue = (gf - bf) / span
    } else if high == Int(g) {
      hue = 2 + (bf - rf) / span
    } else {
      hue = 4 + (rf - gf) / span
    }
    hue = (hue * 60).truncatingRemainder(dividingBy: 360)
    if hue < 0 { hue += 360 }
    let sector = Int(((hue + 30) / 60).rounded(.down)) % 6
    let colors: [Int16] = [1, 3, 2, 6, 4, 5]  // red, yellow, green, cyan, blue, magenta
    let base = colors[sector]
    return bright && high > 200 && isForeground ? base + 8 : base
  }

  /// The nearest of the 6×6×6 cube and the 24-step grey ramp.
  static func xterm(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int16 {
    let levels: [Int] = [0, 95, 135, 175, 215, 255]
    func nearestLevel(_ v: UInt8) -> Int {
      var best = 0
      for i in 1..<6 where abs(levels[i] - Int(v)) < abs(levels[best] - Int(v)) { best = i }
      return best
    }
    let (ri, gi, bi) = (nearestLevel(r), nearestLevel(g), nearestLevel(b))
    let cubeDistance = distance(r, g, b, levels[ri], levels[gi], levels[bi])
    let average = (Int(r) + Int(g) + Int(b)) / 3
    let greyIndex = max(0, min(23, (average - 8 + 5) / 10))
    let grey = 8 + 10 * greyIndex
    let greyDistance = distance(r, g, b, grey, grey, grey)
    if greyDistance < cubeDistance { return Int16(232 + greyIndex) }
    return Int16(16 + 36 * ri + 6 * gi + bi)
  }

  static let basicColors: [(Int, Int, Int)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
    (255, 255, 255),
  ]

  static func nearestBasic(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int) -> Int16 {
    var best = 0
    var bestDistance = Int.max
    for i in 0..<count {
      let c = basicColors[i]
      let d = distance(r, g, b, c.0, c.1, c.2)
      if d < bestDistance {
        best = i
        bestDistance = d
      }
    }
    return Int16(best)
  }

  static func distance(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ r2: Int, _ g2: Int, _ b2: Int) -> Int {
    let dr = Int(r) - r2
    let dg = Int(g) - g2
    let db = Int(b) - b2
    return dr * dr + dg * dg + db * db
  }
}
