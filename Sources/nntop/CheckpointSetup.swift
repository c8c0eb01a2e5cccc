import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import RunLog
import RunModel
import Training

enum CheckpointSetup {
  /// A saver that writes next to the run log (or under runs/ without one): NAME.epoch0003,
  /// NAME.step1290 (on request) and NAME.final (at the end), each `.safetensors`.
  static func saver(base: String) -> CheckpointSaver {
    { state, reason in
      let suffix: String
      switch reason {
      case .end: suffix = "final"
      case .requested: suffix = "step\(state.step)"
      default:
        let epoch = String(state.epochsCompleted)
        suffix = "epoch" + String(repeating: "0", count: max(0, 4 - epoch.count)) + epoch
      }
      let path = "\(base).\(suffix).safetensors"
      if let slash = path.lastIndex(of: "/") {
        do {
          try RunLogWriter.makeFolders(String(path[..<slash]))
        } catch {
          return .failure(CheckpointFailure(String(describing: error)))
        }
      }
      do {
        try CheckpointFile.write(state, to: path)
        return .success(path)
      } catch {
        return .failure(CheckpointFailure(String(describing: error)))
      }
    }
  }

  static func load(_ path: String) throws -> CheckpointState {
    do {
      return try CheckpointFile.read(path)
    } catch {
      throw fail(error.description, code: error.exitCode)
    }
  }
}
