/// Something a hot loop polls (once per batch) to know it should stop.
/// PVHost's `StopFlag` conforms (in PVExperiments); tests use ``ManualStop``.
public protocol StopSignal: Sendable {
    var isStopped: Bool { get }
}
