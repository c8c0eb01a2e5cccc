#if canImport(Glibc)
  import Glibc
#endif

/// Finds the `datasets/` folder whether nntop runs from the repository, from an installed prefix,
/// or is pointed elsewhere with `--data DIR` or `NNTOP_DATA`.
public enum DataLocator {
  /// Folders tried when nothing names one: the working directory, then places relative to the
  /// executable.
  public static func candidates(executable: String?) -> [String] {
    var list = ["datasets"]
    if let executable {
      let dir = parent(of: executable)
      list += [
        dir + "/../share/nntop/datasets", dir + "/../../datasets", dir + "/../../../datasets",
      ]
    }
    return list
  }

  /// The folder holding the files of dataset `name` (e.g. ".../datasets/mnist").
  ///
  /// A folder named by `--data` (`explicit`) or, failing that, `NNTOP_DATA` is the only place
  /// looked, and may be the folder holding `datasets/`, the datasets folder, or the dataset's own
  /// folder; a named folder that does not hold the data is an error naming it, never skipped
  /// for the defaults (a typo in NNTOP_DATA used to train on whatever the working directory had).
  public static func locate(
    _ name: String, explicit: String?, environment: [String: String], executable: String?
  ) throws(DatasetError) -> String {
    let named: (folder: String, label: String)? =
      explicit.map { ($0, $0) }
      ?? environment["NNTOP_DATA"].flatMap { $0.isEmpty ? nil : ($0, "NNTOP_DATA=\($0)") }
    if let (base, label) = named {
      for folder in [base + "/" + name, base + "/datasets/" + name] where isDirectory(folder) {
        return folder
      }
      if isDirectory(base),
        FileReading.exists(base + "/train-labels-idx1-ubyte.gz")
          || FileReading.exists(base + "/train-labels-idx1-ubyte")
      {
        return base
      }
      throw DatasetError(
        .missing, path: label,
        isDirectory(base)
          ? "no \(name) files here (looked for \(name)/, datasets/\(name)/ and the \(name) files themselves)"
          : "no such folder")
    }
    let list = candidates(executable: executable)
    for base in list where isDirectory(base + "/" + name) { return base + "/" + name }
    throw DatasetError(
      .missing, path: "datasets/\(name)",
      "not found (looked in \(list.joined(separator: ", "))); use --data DIR or NNTOP_DATA")
  }

  public static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return String(path[..<slash])
  }
}
