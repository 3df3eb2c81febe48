#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The signals that interrupt a long command.
public enum InterruptSignal: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// Ctrl-C.
    case interrupt = 2    // SIGINT
    /// `kill`, a CI timeout, a scheduler stopping the job.
    case terminate = 15   // SIGTERM

    /// "SIGINT" / "SIGTERM", as the result context records it.
    public var name: String { self == .interrupt ? "SIGINT" : "SIGTERM" }
    public var description: String { name }

    /// The shell convention for death by this signal: 128 + number
    /// (130 for SIGINT, 143 for SIGTERM).
    public var exitStatus: Int32 { 128 + rawValue }
}
