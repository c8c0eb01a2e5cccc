#if canImport(Glibc)
  import Glibc
#endif

/// Finds the `datasets/` folder whether nntop runs from the repository, from an installed prefix,
/// or is pointed elsewhere with `--data DIR` or `NNTOP_DATA`.
public enum DataLocator {
  /// Folders tried, best first. `explicit` (from `--data`) wins, then `NNTOP_DATA`, then the
  /// working directory, then places relative to the executable.
  public static func candidates(explicit: String?, environment: [String: String], executable: String?)
    -> [String]
  {
    if let explicit { return [explicit] }
    var list: [String] = []
    if let env = environment["NNTOP_DATA"], !env.isEmpty { list.append(env) }
    list.append("datasets")
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
  /// A candidate may be the datasets folder or the dataset's own folder.
  public static func locate(
    _ name: String, explicit: String?, environment: [String: String], executable: String?
  ) throws(DatasetError) -> String {
    let list = candidates(explicit: explicit, environment: environment, executable: executable)
    for base in list {
      if isDirectory(base + "/" + name) { return base + "/" + name }
      if explicit != nil || environment["NNTOP_DATA"] == base, isDirectory(base),
        FileReading.exists(base + "/train-labels-idx1-ubyte.gz")
          || FileReading.exists(base + "/train-labels-idx1-ubyte")
      {
        return base
      }
    }
    if let explicit {
      throw DatasetError(
        .missing, path: explicit, isDirectory(explicit) ? "no \(name) files in this folder" : "no such folder"
      )
    }
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
