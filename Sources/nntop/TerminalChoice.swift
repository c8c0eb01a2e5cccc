import CursesScreen
import Foundation
import Terminal

#if canImport(Glibc)
  import Glibc
#endif

/// Decides between the dashboard and plain lines, and how the dashboard may draw.
struct TerminalChoice {
  /// The dashboard needs a terminal on both ends and one that can position the cursor.
  static func dashboardPossible() -> Bool {
    guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else { return false }
    guard let term = ProcessInfo.processInfo.environment["TERM"], !term.isEmpty, term != "dumb" else {
      return false
    }
    return unusableTerminal == nil
  }

  /// Why this terminal cannot show the dashboard, or nil; said once, as the reason for printing
  /// lines instead (exit codes stay those of the run).
  static let unusableTerminal: String? = {
    guard let problem = CursesScreen.terminalProblem(environment: ProcessInfo.processInfo.environment) else {
      return nil
    }
    printWarning("\(problem): printing lines instead of the dashboard")
    return problem
  }()

  /// Whether the locale can show braille and box drawing (after `setlocale`).
  static func localeIsUTF8() -> Bool {
    setlocale(LC_ALL, "")
    guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
    let name = String(cString: codeset).uppercased()
    return name == "UTF-8" || name == "UTF8"
  }

  /// Unicode glyphs unless asked for ASCII or the locale is not UTF-8.
  static func glyphs(ascii: Bool) -> Glyphs { (ascii || !localeIsUTF8()) ? .ascii : .unicode }

  /// `NO_COLOR` set to anything non-empty turns colour off (no-color.org).
  static var noColorRequested: Bool {
    !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
  }

  /// Loads the themes, `selected` first. A bad file that was not asked for is skipped with a
  /// warning; a bad or unknown selected theme is an error.
  static func themes(selected: String?) throws -> (themes: [Theme], warnings: [String]) {
    let catalog = ThemeCatalog(
      folders: ThemeCatalog.folders(
        environment: ProcessInfo.processInfo.environment, executable: executablePath()))
    var themes: [Theme] = []
    var warnings: [String] = []
    if let selected, selected.contains("/") || selected.hasSuffix(".theme") {
      // A path to a theme file.
      let name = ((selected as NSString).lastPathComponent as NSString).deletingPathExtension
      do {
        themes.append(try ThemeCatalog.load(path: selected, name: name))
      } catch {
        throw fail(error.description, code: FileManager.default.fileExists(atPath: selected) ? 65 : 66)
      }
    } else if let selected, !catalog.names.contains(selected) {
      let available = catalog.names.isEmpty ? "none found" : catalog.names.joined(separator: ", ")
      throw fail("unknown theme '\(selected)' (available: \(available))", code: 64)
    }
    for entry in catalog.entries {
      do {
        let theme = try ThemeCatalog.load(path: entry.path, name: entry.name)
        if entry.name == selected {
          themes.insert(theme, at: 0)
        } else {
          themes.append(theme)
        }
      } catch {
        if entry.name == selected { throw fail(error.description, code: 65) }
        warnings.append("skipping theme \(error.description)")
      }
    }
    if themes.isEmpty { themes = [.builtIn] }
    return (themes, warnings)
  }
}
