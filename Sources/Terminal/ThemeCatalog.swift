import Foundation

/// Finds theme files: the user's own (`$XDG_CONFIG_HOME/nntop/themes`), the repository's or the
/// installed `themes/`. A theme is `NAME.theme`; the first folder that has a name wins.
public struct ThemeCatalog: Sendable {
  public struct Entry: Sendable, Equatable {
    public let name: String
    public let path: String
  }

  public let entries: [Entry]

  public static func folders(environment: [String: String], executable: String?) -> [String] {
    var list: [String] = []
    if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
      list.append(config + "/nntop/themes")
    } else if let home = environment["HOME"], !home.isEmpty {
      list.append(home + "/.config/nntop/themes")
    }
    list.append("themes")
    if let executable {
      let dir = (executable as NSString).deletingLastPathComponent
      list += [dir + "/../share/nntop/themes", dir + "/../../themes", dir + "/../../../themes"]
    }
    return list
  }

  public init(folders: [String]) {
    var seen = Set<String>()
    var found: [Entry] = []
    for folder in folders {
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
      for file in names.sorted() where file.hasSuffix(".theme") {
        let name = String(file.dropLast(6))
        if seen.insert(name).inserted { found.append(Entry(name: name, path: folder + "/" + file)) }
      }
    }
    // The default theme first, then alphabetical.
    entries = found.sorted { ($0.name == "default" ? "" : $0.name) < ($1.name == "default" ? "" : $1.name) }
  }

  public var names: [String] { entries.map(\.name) }

  /// Reads and parses one theme file.
  public static func load(path: String, name: String) throws(ThemeError) -> Theme {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ThemeError(path: path, line: nil, problem: "cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ThemeError(path: path, line: nil, problem: "not UTF-8 text")
    }
    return try Theme.parse(text, name: name, path: path)
  }
}
