import PVABI

/// Why an emulated machine could not be built as asked.
public enum EmulatedMachineError: Error, Equatable, CustomStringConvertible {
    case invalidVCPUCount(Int)
    /// More vCPUs than a PV region of the given size holds in this layout.
    case regionTooSmall(layout: VCPULayout, vcpus: Int, pvPages: Int)
    /// The guest's discovery of a requested feature failed.
    case discoveryFailed(feature: String, DiscoveryFailure)

    public var description: String {
        switch self {
        case let .invalidVCPUCount(n):
            return "vCPU count must be 1 ... \(HypervisorConfiguration.maxVCPUs), got \(n)"
        case let .regionTooSmall(layout, vcpus, pages):
            let fits = VCPULayout.allCases.map { "\($0): \($0.capacity(pvPages: pages))" }.joined(separator: ", ")
            return "\(vcpus) vCPUs do not fit a PV region of \(pages) × 64 KiB in the \(layout) layout "
                + "(\(layout.pvPagesNeeded(vcpus: vcpus)) pages needed); vCPUs that fit: \(fits)"
        case let .discoveryFailed(feature, failure):
            return "guest discovery of \(feature) failed: \(failure)"
        }
    }
}
