/// One thread to start: its role (and so its name) and the CPU it must run on.
public struct PinnedThreadSpec: Sendable, Hashable {
    public var role: ThreadRole
    public var cpu: Int

    public init(role: ThreadRole, cpu: Int) {
        self.role = role
        self.cpu = cpu
    }
}
