/// Something a hot loop polls (once per batch) to know it should stop.
/// PVHarness's `StopFlag` conforms; tests use ``ManualStop``.
public protocol StopSignal: Sendable {
    var isStopped: Bool { get }
}
