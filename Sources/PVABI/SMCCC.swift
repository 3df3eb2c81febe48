/// An SMCCC function identifier (Arm DEN0028), as the guest puts it in w0.
///
/// The known ones are named; any other 32-bit value can still be issued, so
/// that a guest (or a user of `pvbench hypercall`) can probe an unknown id and
/// see the hypervisor answer NOT_SUPPORTED.
public struct SMCCCFunction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let smcccVersion = SMCCCFunction(rawValue: 0x8000_0000)
    public static let archFeatures = SMCCCFunction(rawValue: 0x8000_0001)
    public static let pvTimeFeatures = SMCCCFunction(rawValue: 0xC500_0020)
    public static let pvTimeST = SMCCCFunction(rawValue: 0xC500_0021)
    public static let pvSchedFeatures = SMCCCFunction(rawValue: 0xC500_0090)
    public static let pvSchedIPAInit = SMCCCFunction(rawValue: 0xC500_0091)
    public static let pvSchedIPARelease = SMCCCFunction(rawValue: 0xC500_0092)

    /// Every function id this emulation knows, in the order `pvbench abi` lists them.
    public static let known: [SMCCCFunction] = [
        .smcccVersion, .archFeatures, .pvTimeFeatures, .pvTimeST,
        .pvSchedFeatures, .pvSchedIPAInit, .pvSchedIPARelease,
    ]

    /// The SMCCC/spec name, or nil for an id this emulation does not know.
    public var name: String? {
        switch self {
        case .smcccVersion: "SMCCC_VERSION"
        case .archFeatures: "SMCCC_ARCH_FEATURES"
        case .pvTimeFeatures: "PV_TIME_FEATURES"
        case .pvTimeST: "PV_TIME_ST"
        case .pvSchedFeatures: "PV_SCHED_FEATURES"
        case .pvSchedIPAInit: "PV_SCHED_IPA_INIT"
        case .pvSchedIPARelease: "PV_SCHED_IPA_RELEASE"
        default: nil
        }
    }

    /// Where the function is specified.
    public var specification: String? {
        switch self {
        case .smcccVersion, .archFeatures: "Arm DEN0028 (SMCCC 1.1)"
        case .pvTimeFeatures, .pvTimeST: "Arm DEN0057A; Linux pvtime.rst"
        case .pvSchedFeatures, .pvSchedIPAInit, .pvSchedIPARelease: "openEuler pvsched.txt"
        default: nil
        }
    }

    public var hex: String { "0x" + String(rawValue, radix: 16, uppercase: true) }
    public var description: String { name.map { "\($0) (\(hex))" } ?? hex }
}

/// SMCCC return codes, returned as int64 in x0.
public enum SMCCCReturn: Int64, CaseIterable, Sendable, CustomStringConvertible {
    case success = 0
    case notSupported = -1
    case notRequired = -2
    case invalidParameter = -3

    public var name: String {
        switch self {
        case .success: "SUCCESS"
        case .notSupported: "NOT_SUPPORTED"
        case .notRequired: "NOT_REQUIRED"
        case .invalidParameter: "INVALID_PARAMETER"
        }
    }

    public var description: String { "\(name) (\(rawValue))" }
}

/// SMCCC version this emulated hypervisor reports for SMCCC_VERSION: 1.1,
/// the first version with ARCH_FEATURES, encoded as (major << 16) | minor.
public let emulatedSMCCCVersion: Int64 = (1 << 16) | 1
