/// Every scenario `pvbench run` knows, in the order `pvbench list`, the
/// suites and the tables show them. A new scenario is its file and a line here.
enum ScenarioRegistry {
    static let all: [any Scenario.Type] = [
        StealClockScenario.self,
        PreemptPollScenario.self,
        SpinOnOwnerScenario.self,
        IdleScanScenario.self,
        C2CScenario.self,
        OvercommitScenario.self,
    ]
}
