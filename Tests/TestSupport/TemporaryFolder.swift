import Foundation

/// A fresh folder under the system's temporary folder, removed with everything in it when the
/// object goes away. Keep it in a local `let` for as long as the test uses the folder.
public final class TemporaryFolder: Sendable {
  /// The folder's absolute path, without a trailing slash.
  public let path: String

  /// Creates the folder; `prefix` starts its name, so a leftover folder says which test made it.
  public init(_ prefix: String = "nntop-test") {
    path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      fatalError("cannot create the temporary folder \(path): \(error)")
    }
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// The path of `name` (which may contain slashes) inside the folder; nothing is created.
  public func file(_ name: String) -> String { path + "/" + name }

  /// Writes `bytes` to `name` inside the folder and returns the file's path.
  @discardableResult
  public func write(_ name: String, _ bytes: [UInt8]) -> String {
    let file = file(name)
    _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
    return file
  }

  /// Writes `text` as UTF-8 to `name` inside the folder and returns the file's path.
  @discardableResult
  public func write(_ name: String, text: String) -> String { write(name, Array(text.utf8)) }

  /// The bytes of `name` inside the folder (empty when it cannot be read).
  public func read(_ name: String) -> [UInt8] {
    FileManager.default.contents(atPath: file(name)).map { [UInt8]($0) } ?? []
  }

  /// Appends `bytes` to `name` inside the folder, as a writer that is still running would.
  public func append(_ name: String, _ bytes: [UInt8]) {
    guard let handle = FileHandle(forWritingAtPath: file(name)) else { return }
    handle.seekToEndOfFile()
    handle.write(Data(bytes))
    try? handle.close()
  }
}
