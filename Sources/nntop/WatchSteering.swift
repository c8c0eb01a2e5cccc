import Dashboard
import Foundation
import RunLog
import RunModel
import Terminal

/// The keys of `nntop watch` for a run that follows a command log: the controller turns a key
/// into a command (a knob's new value, not a rung), and this appends it to `RUN.commands`, as
/// `nntop send` does. The run answers in its log (a change record, or a refusal with its reason),
/// which the watch reads back like any other record.
struct WatchSteering {
  let runLog: String

  var commandLog: String { CommandLog.path(forRunLog: runLog) }

  /// Whether keys can reach the run now. A writer that follows a command log creates it when it
  /// starts; nntop's own trainer never reads one (its keys are those of its own dashboard).
  func remote() -> RemoteControl {
    if FileManager.default.fileExists(atPath: commandLog) { return .commandLog }
    let name = (commandLog as NSString).lastPathComponent
    return .unavailable(
      "watching: read-only (no \(name) beside the log: nntop's own trainer takes keys only where it runs)")
  }

  /// Updates what the keys say they can do, from what lies beside the log now.
  func refresh(_ controller: DashboardController) {
    let remote = remote()
    if controller.view.remote != remote { controller.view.remote = remote }
  }

  /// Appends the commands a key made; a failure shows on the status line instead.
  func send(_ commands: [(Command, ChangeSource)], to controller: DashboardController, now: Double) {
    for (command, _) in commands {
      do {
        try CommandLog.append(command, toRunLog: runLog, sent: Date().timeIntervalSince1970)
      } catch {
        controller.apply(.warning("not sent: \(error.description)"), now: now)
        return
      }
    }
  }

  /// One key press: what a watch's loop does with it (tests drive this).
  func press(_ key: Key, on controller: DashboardController, now: Double) {
    refresh(controller)
    send(controller.handle(key), to: controller, now: now)
  }
}
