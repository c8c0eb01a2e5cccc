import EventFiles
import Foundation
import RunLog

/// `nntop export RUN --tensorboard DIR`: the run as one event file that TensorBoard reads, with
/// the tags of `RunSummaries` (scalars, per-layer activation histograms, knob changes as text).
enum TensorBoardExport {
  /// Writes the file and returns its path; a reason when it cannot be written (exit 73).
  /// TensorBoard reads every event file of a folder as one run, so a folder that already holds
  /// some (an earlier export) is refused unless `replacing`, which removes them first: a second
  /// export beside the first showed every tag twice (114 points for 57 epochs).
  static func write(_ contents: RunLogContents, to folder: String, replacing: Bool = false) throws -> String {
    let earlier = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter(RunDiscovery.isEventFile).sorted()
    if let first = earlier.first {
      guard replacing else {
        throw fail(
          "\(folder) already holds event files (\(first)\(earlier.count > 1 ? " and \(earlier.count - 1) more" : "")): "
            + "TensorBoard would show every point twice; export into a new folder, or pass --replace",
          code: 73)
      }
      for name in earlier {
        do {
          try FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        } catch {
          throw fail("cannot remove \(name) from \(folder): \(error.localizedDescription)", code: 73)
        }
      }
    }
    let events = RunSummaries.events(of: contents)
    let start = events.first?.wallTime ?? 0
    let host = (contents.context?.hostname ?? "nntop").listingField.replacingOccurrences(of: "/", with: "_")
    do {
      let writer = try EventFileWriter(folder: folder, wallTime: start, host: host.isEmpty ? "nntop" : host)
      for event in events { writer.append(event) }
      try writer.flush()
      return writer.path
    } catch {
      throw fail("cannot write the event file: \(error)", code: 73)
    }
  }
}
