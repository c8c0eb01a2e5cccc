/// Run names cut to fit the run list or a legend entry so that they stay apart. Names made by
/// the same writer share their start and end (`20261129-192020-mnist-torch.jsonl`,
/// `20261129-193512-…`): cut at the end they all read `20261129-192020-mnist-to` alike, cut in
/// the middle `202611…rch.jsonl` alike. What a name shares with another goes first.
public enum RunNames {
  /// `name` in at most `width` characters (Unicode scalars, as the buffer counts them): whole
  /// when it fits; else without the start it shares with another name (`…2020-mnist-torch`), or
  /// without its end when only that is shared, or else without its middle.
  public static func fitted(_ name: String, among all: [String], width: Int) -> String {
    let scalars = Array(name.unicodeScalars)
    guard scalars.count > width else { return name }
    guard width >= 2 else { return String(String.UnicodeScalarView(scalars.prefix(max(0, width)))) }
    let (start, end) = shared(scalars, among: all)
    if start >= 2 {
      // What follows the shared start is where this name differs: kept from its start.
      return "…"
        + String(String.UnicodeScalarView(scalars[min(start, scalars.count - 1)...].prefix(width - 1)))
    }
    if end >= 2 { return String(String.UnicodeScalarView(scalars.prefix(width - 1))) + "…" }
    let head = (width - 1) * 2 / 5
    var kept = String.UnicodeScalarView(scalars.prefix(head))
    kept.append("…")
    kept.append(contentsOf: scalars.suffix(width - 1 - head))
    return String(kept)
  }

  /// A run's name in a legend entry beside other runs: only what sets it apart (the start and
  /// end it shares with other names become `…`: `…2020…` for `20261129-192020-mnist-torch.jsonl`
  /// beside `20261129-193512-mnist-torch.jsonl`), so that more entries fit; the run list beside
  /// the chart has the names in full.
  public static func distinct(_ name: String, among all: [String], width: Int) -> String {
    let scalars = Array(name.unicodeScalars)
    // Only what every other name shares goes: `runA/losses_train` beside `runA/losses_val` and
    // `runB/losses_train` had kept "…train" (cut after the start it shares with the closest),
    // and two runs' entries read alike.
    var (start, end) = shared(scalars, among: all, withEvery: true)
    // A part of two characters or less is kept (a `…` saves nothing), and a core of two at least.
    if start < 3 || start + 2 > scalars.count { start = 0 }
    if end < 3 || start + end + 2 > scalars.count { end = 0 }
    var core = String.UnicodeScalarView()
    if start > 0 { core.append("…") }
    core.append(contentsOf: scalars[start..<(scalars.count - end)])
    if end > 0 { core.append("…") }
    return fitted(String(core), among: [], width: width)
  }

  /// The longest start and the longest end `name` shares with any other of `all`, or with
  /// `withEvery`, the start and end it shares with every other.
  static func shared(_ name: [Unicode.Scalar], among all: [String], withEvery: Bool = false) -> (
    start: Int, end: Int
  ) {
    let others = all.map { Array($0.unicodeScalars) }.filter { $0 != name }
    var start = withEvery && !others.isEmpty ? Int.max : 0
    var end = start
    for other in others {
      let n = min(name.count, other.count)
      var s = 0
      while s < n && name[s] == other[s] { s += 1 }
      var e = 0
      while e < n && name[name.count - 1 - e] == other[other.count - 1 - e] { e += 1 }
      start = withEvery ? min(start, s) : max(start, s)
      end = withEvery ? min(end, e) : max(end, e)
    }
    return (start, end)
  }
}
