import SystemIO

/// What every widget needs to draw: the theme's colours and the glyph set.
public struct RenderContext: Sendable {
  public var theme: Theme
  public var glyphs: Glyphs

  public init(theme: Theme, glyphs: Glyphs) {
    self.theme = theme
    self.glyphs = glyphs
  }

  public func color(_ role: ThemeRole) -> Color { theme.color(role) }
}

/// Number formats that fit narrow columns.
public enum NumberFormat {
  /// Three significant figures, switching to exponent form for very small or large values:
  /// 0.0523, 1.25, 312, 1.2e-05, 3.4e+06.
  public static func compact(_ value: Double) -> String { compact(value, extraDigits: 0) }

  /// `compact` with `extraDigits` more decimals in the fixed-point range.
  static func compact(_ value: Double, extraDigits: Int) -> String {
    if let text = value.nonFiniteText { return text }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 1e-3 && magnitude < 1e5 {
      let digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : magnitude >= 0.1 ? 3 : 4
      var text = formatFixed(value, digits + extraDigits)
      if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
      }
      return text
    }
    return formatExponent(value)
  }

  /// Labels for `values` (an axis's top, middle and bottom): compact, with as many more
  /// decimals (up to three) as it takes for different values to read differently. A loss flat
  /// at 2.301–2.303 was labelled "2.3", "2.3", "2.3": an axis with no scale.
  public static func distinct(_ values: [Double]) -> [String] {
    let different = Set(values.filter(\.isFinite)).count
    var labels = values.map(compact)
    for extra in 1...3 where Set(labels.filter { $0 != "nan" && !$0.hasSuffix("inf") }).count < different {
      labels = values.map { compact($0, extraDigits: extra) }
    }
    return labels
  }

  static func formatFixed(_ value: Double, _ digits: Int) -> String {
    let scale = pow10(digits)
    let rounded = (abs(value) * scale).rounded() / scale
    var whole = String(Int(saturating: rounded))
    if digits > 0 {
      var frac = String(Int(saturating: ((rounded - rounded.rounded(.down)) * scale).rounded()))
      while frac.count < digits { frac = "0" + frac }
      whole += "." + frac
    }
    return (value < 0 ? "-" : "") + whole
  }

  static func formatExponent(_ value: Double) -> String {
    if let text = value.nonFiniteText { return text }
    if value == 0 { return "0" }
    var exponent = 0
    var mantissa = abs(value)
    while mantissa >= 10 {
      mantissa /= 10
      exponent += 1
    }
    while mantissa < 1 {
      mantissa *= 10
      exponent -= 1
    }
    var m = formatFixed(mantissa, 1)
    if m == "10.0" {
      m = "1.0"
      exponent += 1
    }
    if m.hasSuffix(".0") { m.removeLast(2) }
    let e = String(abs(exponent))
    return (value < 0 ? "-" : "") + m + "e" + (exponent < 0 ? "-" : "+") + (e.count < 2 ? "0" + e : e)
  }

  static func pow10(_ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<max(0, n) { r *= 10 }
    return r
  }

  /// "1:05" or "1:02:03".
  public static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--:--" }
    let total = Int(saturating: seconds.rounded())
    let h = total / 3600
    let m = (total % 3600) / 60
    let s = total % 60
    let ss = s < 10 ? "0\(s)" : "\(s)"
    if h > 0 { return "\(h):\(m < 10 ? "0\(m)" : "\(m)"):\(ss)" }
    return "\(m):\(ss)"
  }

  /// 128511 → "128.5k", 1234567 → "1.23M".
  public static func count(_ value: Double) -> String {
    if let text = value.nonFiniteText { return text }
    if value >= 1e6 { return formatFixed(value / 1e6, 2) + "M" }
    if value >= 1e4 { return formatFixed(value / 1e3, 1) + "k" }
    return String(Int(saturating: value.rounded()))
  }

  /// A value with `digits` decimals ("0.41"); values a fixed form cannot hold fall back to `compact`.
  public static func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite, abs(value) < 1e12, (0...6).contains(digits) else { return compact(value) }
    return formatFixed(value, digits)
  }

  /// "97.52%"
  public static func percent(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "-" }
    return formatFixed(value * 100, 2) + "%"
  }
}
