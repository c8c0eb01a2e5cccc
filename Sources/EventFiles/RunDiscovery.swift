#if canImport(Glibc)
  import Glibc
#endif

/// A run found under a path: a TensorBoard run (a folder holding event files, read in name
/// order as TensorBoard's data server does) or one nntop run log.
public struct DiscoveredRun: Sendable, Hashable {
  public enum Source: Sendable, Hashable {
    case eventFiles([String])
    case runLog(String)
  }
  /// The run's folder relative to the path given (the folder's own name for the path itself), or
  /// the log's name.
  public var name: String
  public var source: Source
}

/// Finds runs under the paths a user names: files are taken as they are, folders are searched
/// recursively. Symbolic-link loops are visited once, unreadable folders are reported and
/// skipped, and the runs come out in name order so the listing is stable.
public enum RunDiscovery {
  /// Whether `name` is a TensorBoard event file (`events.out.tfevents.…`, or any name holding
  /// `tfevents`, as TensorBoard accepts).
  public static func isEventFile(_ name: String) -> Bool { name.contains("tfevents") }

  public static func runs(under paths: [String]) -> (runs: [DiscoveredRun], problems: [String]) {
    var runs: [DiscoveredRun] = []
    var problems: [String] = []
    for path in paths {
      var info = stat()
      guard stat(path, &info) == 0 else {
        problems.append("\(path): \(String(cString: strerror(errno)))")
        continue
      }
      if info.st_mode & S_IFMT == S_IFDIR {
        var visited = Set<[UInt64]>()
        walk(path, relative: ".", visited: &visited, runs: &runs, problems: &problems)
      } else if isEventFile(baseName(path)) {
        runs.append(DiscoveredRun(name: baseName(path), source: .eventFiles([path])))
      } else {
        runs.append(DiscoveredRun(name: baseName(path), source: .runLog(path)))
      }
    }
    return (runs, problems)
  }

  /// The name of a run that is the folder given itself: the folder's name (`tb/a` → `a`, `.` →
  /// the working folder's), not `.`, which says nothing once two such runs are side by side.
  static func ownName(_ folder: String) -> String {
    let typed = baseName(folder)
    guard typed == "." || typed == ".." || typed == "/" || typed.isEmpty, let real = realpath(folder, nil)
    else {
      return typed
    }
    defer { free(real) }
    let name = baseName(String(cString: real))
    return name.isEmpty ? "/" : name
  }

  static func baseName(_ path: String) -> String {
    String(path.split(separator: "/", omittingEmptySubsequences: true).last ?? Substring(path))
  }

  private static func walk(
    _ folder: String, relative: String, visited: inout Set<[UInt64]>, runs: inout [DiscoveredRun],
    problems: inout [String]
  ) {
    var info = stat()
    guard stat(folder, &info) == 0 else { return }
    guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return }
    guard let dir = opendir(folder) else {
      problems.append("\(folder): \(String(cString: strerror(errno)))")
      return
    }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    closedir(dir)
    var eventFiles: [String] = []
    var subfolders: [String] = []
    for name in names.sorted() {
      let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
      var entry = stat()
      guard stat(path, &entry) == 0 else { continue }
      let kind = entry.st_mode & S_IFMT
      if kind == S_IFDIR {
        subfolders.append(name)
      } else if kind == S_IFREG && isEventFile(name) {
        eventFiles.append(path)
      } else if kind == S_IFREG && name.hasSuffix(".jsonl") {
        runs.append(DiscoveredRun(name: join(relative, name), source: .runLog(path)))
      }
    }
    if !eventFiles.isEmpty {
      let name = relative == "." ? ownName(folder) : relative
      runs.append(DiscoveredRun(name: name, source: .eventFiles(eventFiles)))
    }
    for name in subfolders {
      let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
      walk(path, relative: join(relative, name), visited: &visited, runs: &runs, problems: &problems)
    }
  }

  private static func join(_ relative: String, _ name: String) -> String {
    relative == "." ? name : relative + "/" + name
  }
}
