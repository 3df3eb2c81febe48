/// Which implementation runs a scenario's guest kernel: the Swift loop
/// generic over the strategy, or the kernel-style C loop in CPVReference.
public enum Implementation: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case swift
    case c
    public var description: String { rawValue }
}
