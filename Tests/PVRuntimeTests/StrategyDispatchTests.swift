import Testing
@testable import PVRuntime

@Suite("Strategy dispatch")
struct StrategyDispatchTests {
    private struct NameOf: StrategyVisitor {
        func visit<S: OrderingStrategy>(_: S.Type) -> String { "\(S.kind)/\(S.Target.kind)" }
    }

    @Test func dispatchReachesTheSameTypeAsTheRegistry() throws {
        for kind in StrategyKind.allCases {
            for target in SharedRecordKind.allCases {
                let dispatched = try kind.dispatch(target, to: NameOf())
                let registered = kind.strategyType(for: target).map { "\($0.kind)/\(target)" }
                #expect(dispatched == registered, "\(kind) on \(target)")
                #expect((dispatched != nil) == kind.applies(to: target))
            }
        }
    }
}
