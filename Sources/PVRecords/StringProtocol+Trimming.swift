// Shared by the modules that read sysfs, procfs and tool output.
extension StringProtocol {
    /// The text without leading and trailing blanks.
    package func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first ... last])
    }
}
