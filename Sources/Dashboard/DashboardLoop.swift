import RunModel
import Synchronization
import Terminal

/// Events handed from the training queue to the UI thread.
public final class EventInbox: Sendable {
  private let events = Mutex<[RunEvent]>([])
  public init() {}
  public func post(_ event: RunEvent) { events.withLock { $0.append(event) } }
  public func drain() -> [RunEvent] {
    events.withLock { e in
      defer { e = [] }; return e
    }
  }
}

/// The UI thread's loop: wait for a key (briefly), apply it, take in new events, and redraw.
///
/// A key press redraws at once. Events redraw at most every 90 ms (just over 10 frames a second):
/// training emits dozens of events a second, and each frame costs the training threads a slice of a
/// core (and the terminal the work of drawing it). While running, a frame is drawn every 90 ms even
/// without events, so the clock moves; when paused or finished, once a second.
public enum DashboardLoop {
  public enum Exit: Sendable, Equatable {
    case quit
    case signal
  }

  /// Key wait per iteration: bounds the delay between a key press and its frame.
  public static let keyTimeoutMilliseconds = 30
  /// Shortest time between two frames caused by events.
  public static let minimumFrameInterval = 0.09

  /// `pull` brings in new events (live: the inbox; follow: the log; replay: the player) and says
  /// whether any arrived.
  public static func run(
    screen: Screen, controller: DashboardController, inbox: EventInbox,
    send: ([(Command, ChangeSource)]) -> Void, shouldStop: () -> Bool, clock: () -> Double,
    pull: ((Double) -> Bool)? = nil
  ) -> Exit {
    var lastFrame = -Double.infinity
    var dirty = true
    while true {
      if shouldStop() { return .signal }
      var urgent = false
      if let key = screen.readKey(timeout: keyTimeoutMilliseconds) {
        let commands = controller.handle(key)
        if !commands.isEmpty { send(commands) }
        if controller.quitRequested { return .quit }
        urgent = true
      }
      let now = clock()
      let events = inbox.drain()
      for event in events { controller.apply(event, now: now) }
      if !events.isEmpty { dirty = true }
      if let pull, pull(now) { dirty = true }
      let running = controller.state.runState == .running || controller.replay?.playing == true
      let sinceFrame = now - lastFrame
      if urgent || (dirty && sinceFrame >= minimumFrameInterval)
        || sinceFrame >= (running ? minimumFrameInterval : 1.0)
      {
        let size = screen.size
        screen.present(controller.render(width: size.width, height: size.height, now: now))
        lastFrame = now
        dirty = false
      }
    }
  }
}
