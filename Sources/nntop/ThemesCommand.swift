import ArgumentParser
import Foundation
import Terminal

/// `nntop themes`: lists the themes nntop can find and checks each file.
struct ThemesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "themes",
    abstract: "List the colour themes (use one with `nntop train --theme NAME`).",
    discussion: """
      Themes are NAME.theme files in $XDG_CONFIG_HOME/nntop/themes (or ~/.config/nntop/themes), \
      ./themes, or the installed share/nntop/themes; lines look like theme[train]="#5fafff".
      """)

  func run() throws {
    let catalog = ThemeCatalog(
      folders: ThemeCatalog.folders(
        environment: ProcessInfo.processInfo.environment, executable: executablePath()))
    guard !catalog.entries.isEmpty else {
      printLine("no theme files found; the built-in default is used")
      return
    }
    let width = (catalog.names.map(\.count).max() ?? 8) + 2
    var bad = 0
    for entry in catalog.entries {
      let name = entry.name + String(repeating: " ", count: width - entry.name.count)
      do {
        _ = try ThemeCatalog.load(path: entry.path, name: entry.name)
        printLine(name + entry.path)
      } catch {
        bad += 1
        printLine(name + entry.path + "  (error: \(error.description))")
      }
    }
    if bad > 0 { throw ExitCode(65) }
  }
}
