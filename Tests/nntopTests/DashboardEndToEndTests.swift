import Foundation
import RunModel
import Testing

/// Drives the real dashboard inside tmux, as a user at a terminal would.
final class TmuxSession {
  let name: String

  static var available: Bool { (try? TmuxSession.tmux(["-V"]))?.status == 0 }

  /// Runs a tmux command with `posix_spawn` and `waitpid`.
  ///
  /// Not `Process`: the first command starts the tmux server, which would inherit a pipe and keep
  /// it open forever, and whose exit `Process` was seen to miss under the parallel test runner. The
  /// child also gets an empty signal mask: the test runner's threads block every signal, and a tmux
  /// server started with that mask would pass it to every pane (no SIGWINCH, no resizes).
  @discardableResult
  static func tmux(_ arguments: [String]) throws -> Run {
    let path = NSTemporaryDirectory() + "nntop-tmux-\(UUID().uuidString)"
    defer { unlink(path) }
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

  /// Starts `arguments` under nntop in a detached 120×40 session; after nntop exits the pane
  /// prints its exit status and the terminal modes, then waits.
  init(_ arguments: [String], width: Int = 120, height: Int = 40) throws {
    name = "nntop-test-\(UUID().uuidString.prefix(8))"
    let command =
      ([Run.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
      + "; echo \"exit=$?\"; stty -a | tr '\\n' ' '; echo; sleep 60"
    try TmuxSession.tmux([
      "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "-e", "LANG=C.UTF-8", "-e",
      "NO_COLOR=", command,
    ])
  }

  deinit { _ = try? TmuxSession.tmux(["kill-session", "-t", name]) }

  func screen() -> String { (try? TmuxSession.tmux(["capture-pane", "-p", "-t", name]))?.stdout ?? "" }

  func send(_ keys: String...) throws { try TmuxSession.tmux(["send-keys", "-t", name] + keys) }

  func resize(width: Int, height: Int) throws {
    try TmuxSession.tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
  }

  /// The process id of nntop in the pane (the shell's child).
  func nntopProcess() -> Int32? {
    guard
      let shell = Int32(
        (try? TmuxSession.tmux(["list-panes", "-t", name, "-F", "#{pane_pid}"]))?.stdout
          .trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
    else { return nil }
    let children =
      (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
    return children.split(separator: " ").compactMap { Int32($0) }.first
  }

  /// Polls the screen until `predicate` holds (deadline, not fixed sleeps: CI machines are slow).
  @discardableResult
  func waitFor(_ what: String, timeout: Double = 30, _ predicate: (String) -> Bool) -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var text = screen()
    while !predicate(text) && Date() < deadline {
      usleep(50_000)
      text = screen()
    }
    #expect(predicate(text), "timed out waiting for \(what); screen:\n\(text)")
    return text
  }
}

/// The step counter in the header ("step 1234/…").
func stepShown(_ screen: String) -> Int? {
  guard let range = screen.range(of: "step ") else { return nil }
  return Int(screen[range.upperBound...].prefix { $0.isNumber })
}

/// The learning rate in the hyperparameter panel.
func learningRateShown(_ screen: String) -> String? {
  guard let range = screen.range(of: "learning rate ") else { return nil }
  return String(screen[range.upperBound...].drop { $0 == " " }.prefix { $0 != " " })
}

func terminalIsSane(_ screen: String) -> Bool {
  screen.contains(" icanon ") && screen.contains(" echo ") && !screen.contains("-icanon")
    && !screen.contains(" -echo ")
}

@Suite(.serialized, .enabled(if: TmuxSession.available, "tmux is not installed"))
struct DashboardEndToEndTests {
  static let run = ["train", "spiral", "--epochs", "100000", "--seed", "1", "--no-log"]

  @Test func dashboardSteersPausesResizesAndQuitsCleanly() throws {
    let session = try TmuxSession(Self.run)
    let first = session.waitFor("the dashboard") { $0.contains("RUNNING") && $0.contains("Hyperparameters") }
    for title in ["Loss", "Accuracy", "Activations", "Gradients", "Diagnosis"] {
      #expect(first.contains(" \(title) "), "no \(title) panel")
    }
    #expect(learningRateShown(first) == "0.05")

    try session.send("L")
    session.waitFor("lr 0.1 on screen") { learningRateShown($0) == "0.1" }
    session.waitFor("the change confirmed") { $0.contains("lr 0.05 → 0.1 at step") }

    try session.send("Space")
    let paused = session.waitFor("PAUSED") { $0.contains("PAUSED") }
    let step = stepShown(paused)
    #expect(step != nil)
    usleep(400_000)
    #expect(stepShown(session.screen()) == step, "the step counter moved while paused")
    try session.send("n")
    session.waitFor("one step") { stepShown($0) == step.map { $0 + 1 } }

    try session.resize(width: 60, height: 15)
    session.waitFor("the too-small message") {
      $0.contains("terminal too small") && $0.contains("need 80×24")
    }
    try session.resize(width: 120, height: 40)
    session.waitFor("the panels back") {
      $0.contains("Hyperparameters") && !$0.contains("terminal too small")
    }

    try session.send("Space")
    session.waitFor("RUNNING again") { $0.contains("RUNNING") }
    try session.send("q")
    let end = session.waitFor("exit and stty") { $0.contains("exit=") && $0.contains("icanon") }
    #expect(end.contains("exit=0"))
    #expect(terminalIsSane(end), "terminal left in a bad mode:\n\(end)")
    #expect(end.contains("stopped after"))
  }

  @Test func sigtermRestoresTheTerminal() throws {
    let session = try TmuxSession(Self.run)
    session.waitFor("the dashboard") { $0.contains("RUNNING") }
    let pid = try #require(session.nntopProcess())
    kill(pid, SIGTERM)
    let end = session.waitFor("exit and stty") { $0.contains("exit=") && $0.contains("icanon") }
    #expect(end.contains("exit=143"))
    #expect(terminalIsSane(end), "terminal left in a bad mode:\n\(end)")
  }

  @Test func helpOverlayAndAsciiMode() throws {
    let session = try TmuxSession(Self.run + ["--ascii", "--no-color"])
    session.waitFor("the dashboard") { $0.contains("RUNNING") }
    try session.send("?")
    let help = session.waitFor("the help") { $0.contains("Keys") }
    #expect(help.contains("learning rate up"))
    #expect(help.unicodeScalars.allSatisfy { $0.isASCII })
    try session.send("q")
    try session.send("q")
    session.waitFor("exit") { $0.contains("exit=0") }
  }
}

@Suite struct ThemeCommandTests {
  @Test func themesAreListed() throws {
    let run = try Run.nntop(["themes"])
    #expect(run.status == 0)
    for name in ["default", "light", "high-contrast", "mono"] { #expect(run.stdout.contains(name + " ")) }
  }

  @Test func unknownAndBadThemesAreErrors() throws {
    let unknown = try Run.nntop(["train", "xor", "--epochs", "1", "--theme", "neon", "--no-log"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.hasPrefix("nntop: error: unknown theme 'neon' (available: default, "))
    let path = NSTemporaryDirectory() + "broken-\(UUID().uuidString).theme"
    try "theme[train]=\"#00ff00\"\ntheme[glow]=\"#ffffff\"\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let bad = try Run.nntop(["train", "xor", "--epochs", "1", "--theme", path, "--no-log"])
    #expect(bad.status == 65)
    #expect(bad.stderr == "nntop: error: \(path):2: unknown role 'glow'\n")
  }
}
