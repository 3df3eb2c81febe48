/// A fault deliberately injected into the emulation during a run
/// (`context.injected_faults`), so no result is read as a clean run by mistake.
public struct InjectedFaultRecord: Sendable, Equatable, Codable {
    /// The `--inject` name, e.g. "drop-writes".
    public var name: String
    /// What was injected and how often, in words.
    public var detail: String

    public init(name: String, detail: String) {
        self.name = name
        self.detail = detail
    }
}
