import Foundation

/// Every exit status nntop uses, in one table: the top-level help prints it and README.md repeats
/// it (a test checks both, and that every status in the sources is here). The numbers follow
/// BSD's sysexits.h for errors and the shell's 128 + N for signals.
enum ExitStatus {
  static let table: [(code: Int32, meaning: String)] = [
    (0, "ok"),
    (1, "training or a watched run diverged, or a watched run was interrupted"),
    (64, "bad usage: a flag, an argument or a combination"),
    (65, "bad data: a damaged or unsuitable file (dataset, run log, checkpoint)"),
    (66, "missing input (dataset folder, run log, checkpoint)"),
    (73, "cannot create an output file (run log, checkpoint, export)"),
    (74, "read or write error"),
    (129, "hung up (SIGHUP): the run ends cleanly, log and checkpoint intact"),
    (130, "interrupted (Ctrl-C, SIGINT): the same"),
    (143, "terminated (SIGTERM): the same"),
  ]

  /// The help's table, one status a line.
  static var helpText: String {
    "Exit codes:\n"
      + table.map { "  \(String($0.code).padding(toLength: 5, withPad: " ", startingAt: 0))\($0.meaning)" }
      .joined(separator: "\n")
  }
}

/// Joins `--flag -1` into `--flag=-1`, so a negative number is a value (and meets the flag's range
/// check) instead of being taken for an option and failing with "missing value".
enum NegativeValues {
  static func joined(_ arguments: [String]) -> [String] {
    var out: [String] = []
    var i = 0
    while i < arguments.count {
      let argument = arguments[i]
      if argument.hasPrefix("--"), argument.count > 2, !argument.contains("="), i + 1 < arguments.count,
        isNegativeNumber(arguments[i + 1])
      {
        out.append(argument + "=" + arguments[i + 1])
        i += 2
        continue
      }
      if argument == "--" {
        out += arguments[i...]
        break
      }
      out.append(argument)
      i += 1
    }
    return out
  }

  static func isNegativeNumber(_ text: String) -> Bool {
    text.count > 1 && text.hasPrefix("-") && Double(text.dropFirst()) != nil
  }
}
