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

  /// The longest key wait: how late, at worst, the loop notices events when no frame is due
  /// sooner (a paused run's single step shows within it). A key ends the wait at once, so waits
  /// do not delay key presses; each wake-up takes a slice of a core from training, and waiting
  /// for the next frame's time instead of a fixed 30 ms cut them from 33 a second to 11.
  public static let longestKeyWaitMilliseconds = 100
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
      let wait = keyWait(
        untilFrameAt: lastFrame + frameInterval(dirty: dirty, controller: controller), now: clock())
      if let key = screen.readKey(timeout: wait) {
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
      // Within a millisecond counts as due: a wait that ends a hair early must not cost a second
      // wake-up for the frame it waited for.
      if urgent || now - lastFrame >= frameInterval(dirty: dirty, controller: controller) - 0.001 {
        let size = screen.size
        screen.present(controller.render(width: size.width, height: size.height, now: now))
        lastFrame = now
        dirty = false
      }
    }
  }

  /// The time between frames now: events (or a running clock) draw at most every
  /// `minimumFrameInterval`; a paused or finished screen with nothing new, once a second.
  static func frameInterval(dirty: Bool, controller: DashboardController) -> Double {
    let running = controller.state.runState == .running || controller.replay?.playing == true
    return dirty || running ? minimumFrameInterval : 1.0
  }

  /// Milliseconds to wait for a key: until the next frame is due, within 1…`longestKeyWait`.
  static func keyWait(untilFrameAt due: Double, now: Double) -> Int {
    let milliseconds = ((due - now) * 1000).rounded(.up)
    guard milliseconds.isFinite else { return 1 }
    return Int(min(max(milliseconds, 1), Double(longestKeyWaitMilliseconds)))
  }
}
