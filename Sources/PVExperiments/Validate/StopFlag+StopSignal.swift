import PVRuntime
import PVHost

/// The pinned threads' stop flag is what the strategy loops poll.
extension StopFlag: StopSignal {}
