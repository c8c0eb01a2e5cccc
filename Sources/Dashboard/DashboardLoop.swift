import Synchronization
import Terminal
import Training

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

/// The UI thread's loop: wait for a key (briefly), apply it, take in new events, redraw when
/// something changed, and at least every 100 ms while training so the clock and rates move.
public enum DashboardLoop {
  public enum Exit: Sendable, Equatable {
    case quit
    case signal
  }

  /// Key wait per iteration: bounds the delay between a key press and its frame.
  public static let keyTimeoutMilliseconds = 30

  public static func run(
    screen: Screen, controller: DashboardController, inbox: EventInbox,
    send: ([(Command, String)]) -> Void, shouldStop: () -> Bool, clock: () -> Double
  ) -> Exit {
    var lastFrame = -Double.infinity
    var dirty = true
    while true {
      if shouldStop() { return .signal }
      if let key = screen.readKey(timeout: keyTimeoutMilliseconds) {
        let commands = controller.handle(key)
        if !commands.isEmpty { send(commands) }
        if controller.quitRequested { return .quit }
        dirty = true
      }
      let now = clock()
      let events = inbox.drain()
      for event in events { controller.apply(event, now: now) }
      if !events.isEmpty { dirty = true }
      let interval = controller.state.runState == .running ? 0.1 : 1.0
      if dirty || now - lastFrame >= interval {
        let size = screen.size
        screen.present(controller.render(width: size.width, height: size.height, now: now))
        lastFrame = now
        dirty = false
      }
    }
  }
}
