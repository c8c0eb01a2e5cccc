import EventFiles
import Foundation
import RunLog

/// `nntop export RUN --tensorboard DIR`: the run as one event file that TensorBoard reads, with
/// the tags of `RunSummaries` (scalars, per-layer activation histograms, knob changes as text).
enum TensorBoardExport {
  /// Writes the file and returns its path; a reason when it cannot be written (exit 73).
  static func write(_ contents: RunLogContents, to folder: String) throws -> String {
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
