/// Something a hot loop polls (once per batch) to know it should stop.
/// ``StopFlag`` is the one implementation.
public protocol StopSignal: Sendable {
    var isStopped: Bool { get }
}
