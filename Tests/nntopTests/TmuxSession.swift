import Foundation
import TestSupport
import Testing

/// Drives the real dashboard inside tmux, as a user at a terminal would.
final class TmuxSession {
  let name: String
  /// The socket of this session's own server; removed with it (tmux leaves it behind).
  let socket: String

  static var available: Bool { (try? TmuxSession.tmux(["-V"]))?.status == 0 }

  /// Runs a tmux command with `posix_spawn` and `waitpid`.
  ///
  /// Not `Process`: the first command starts the tmux server, which would inherit a pipe and keep
  /// it open forever, and whose exit `Process` was seen to miss under the parallel test runner. The
  /// child also gets an empty signal mask: the test runner's threads block every signal, and a tmux
  /// server started with that mask would pass it to every pane (no SIGWINCH, no resizes).
  @discardableResult
  static func tmux(_ arguments: [String]) throws -> Run {
    let folder = TemporaryFolder("nntop-tmux")
    let path = folder.file("output")
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, number) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = (["tmux"] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, argv, environ)
    guard spawned == 0 else { return Run(status: -1, stdout: "", stderr: "spawn failed: \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let data = FileManager.default.contents(atPath: path) ?? Data()
    let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return Run(status: exitCode, stdout: String(decoding: data, as: UTF8.self), stderr: "")
  }

  /// Starts `arguments` under nntop in a detached 120×40 session (in `directory`, when given:
  /// where a new run writes `runs/`); after nntop exits the pane prints its exit status and the
  /// terminal modes, then waits.
  convenience init(_ arguments: [String], width: Int = 120, height: Int = 40, directory: String? = nil) throws
  {
    let command =
      ([Run.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
      + "; echo \"exit=$?\"; stty -a | tr '\\n' ' '; echo; sleep 60"
    try self.init(shellCommand: command, width: width, height: height, directory: directory)
  }

  /// Starts `shellCommand` in a detached session on a tmux server of its own.
  ///
  /// Its own server, not the default one: tests run in parallel, and a server exits when its last
  /// session is killed; a session started on the shared server at that moment was lost with it
  /// ("no server running" for the rest of the test, seen on a CI machine).
  init(shellCommand: String, width: Int = 120, height: Int = 40, directory: String? = nil) throws {
    name = "nntop-test-\(UUID().uuidString.prefix(8))"
    socket = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
    let started = try tmux(
      ["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)"]
        + (directory.map { ["-c", $0] } ?? []) + ["-e", "LANG=C.UTF-8", "-e", "NO_COLOR=", shellCommand])
    guard started.status == 0 else { throw TmuxSessionError.notStarted(started.stdout) }
  }

  deinit {
    _ = try? tmux(["kill-server"])
    try? FileManager.default.removeItem(atPath: socket)
  }

  /// tmux on this session's own server.
  @discardableResult
  func tmux(_ arguments: [String]) throws -> Run { try TmuxSession.tmux(["-S", socket] + arguments) }

  /// The pane's text; `joined` joins lines the terminal wrapped.
  func screen(joined: Bool = false) -> String {
    (try? tmux(["capture-pane", "-p"] + (joined ? ["-J"] : []) + ["-t", name]))?.stdout ?? ""
  }

  func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

  func resize(width: Int, height: Int) throws {
    try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
  }

  /// The process id of nntop in the pane (the shell's child).
  func nntopProcess() -> Int32? {
    guard
      let shell = Int32(
        (try? tmux(["list-panes", "-t", name, "-F", "#{pane_pid}"]))?.stdout
          .trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
    else { return nil }
    let children =
      (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
    return children.split(separator: " ").compactMap { Int32($0) }.first
  }

  /// Polls the screen until `predicate` holds (deadline, not fixed sleeps: CI machines are slow)
  /// and returns the last screen; at the deadline records an issue showing it.
  @discardableResult
  func waitFor(
    _ what: String, deadline: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
    _ predicate: (String) -> Bool
  ) -> String {
    var text = ""
    let shown = eventually(within: deadline, poll: .milliseconds(50)) {
      text = screen()
      return predicate(text)
    }
    if !shown {
      Issue.record(
        "timed out after \(deadline) waiting for \(what); screen:\n\(text)", sourceLocation: sourceLocation)
    }
    return text
  }
}

enum TmuxSessionError: Error, CustomStringConvertible {
  case notStarted(String)

  var description: String {
    switch self {
    case .notStarted(let output): "tmux could not start the session: \(output)"
    }
  }
}
