/// A problem with input data, phrased for a one-line message: "path: problem".
///
/// Each case carries the exit code the command line should use (sysexits: 66 for missing input,
/// 65 for data that is present but wrong), so every caller reports failures the same way.
public struct DatasetError: Error, Equatable, CustomStringConvertible, Sendable {
  public enum Kind: Sendable, Equatable { case missing, invalid }
  public let kind: Kind
  public let path: String
  public let problem: String

  public init(_ kind: Kind, path: String, _ problem: String) {
    self.kind = kind
    self.path = path
    self.problem = problem
  }

  public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
  public var exitCode: Int32 { kind == .missing ? 66 : 65 }
}
