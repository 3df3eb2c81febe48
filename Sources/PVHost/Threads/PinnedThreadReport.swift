import PVRecords

/// What a pinned thread reports when it ends: where it ran.
public typealias PinnedThreadReport = ThreadPlacement
