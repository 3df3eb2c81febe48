/// google-benchmark's `time_unit`.
public enum TimeUnit: String, Sendable, Codable, CaseIterable {
    case nanoseconds = "ns", microseconds = "us", milliseconds = "ms", seconds = "s"

    /// How many nanoseconds one unit is.
    public var nanoseconds: Double {
        switch self {
        case .nanoseconds: 1
        case .microseconds: 1e3
        case .milliseconds: 1e6
        case .seconds: 1e9
        }
    }
}
