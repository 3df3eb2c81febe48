import PVModel

/// One model's answer for a litmus test's `exists` clause.
public struct ModelVerdict: Sendable, Codable, Equatable {
    public var model: ModelKind
    public var verdict: ModelAnswer
    /// Why a verdict is `not modelled`.
    public var reason: String?

    public var allowed: Bool? { verdict.allowed }

    /// Checks `program` under `model`; a refusal is `not modelled`, with its reason.
    public static func check(_ program: Program, _ model: ModelKind) -> ModelVerdict {
        do {
            let r = try ModelChecker.check(program, model: model)
            return ModelVerdict(model: model, verdict: ModelAnswer(allowed: r.allowed))
        } catch {
            return ModelVerdict(model: model, verdict: .notModelled, reason: "\(error)")
        }
    }
}

/// What the checker says about a shape: the AArch64 target under the three
/// models, and the program that runs on this machine under this machine's model.
public struct LitmusExpectation: Sendable {
    public var shape: LitmusShape
    /// ARMv8, x86-TSO (the AArch64 test mapped to x86, as `pvbench model` maps it), SC.
    public var target: [ModelVerdict]
    /// How the x86-TSO column mapped the AArch64 test (see `pvbench model`).
    public var x86Mapping: [String]
    /// The program the hardware runner executes here, and its name; nil off x86-64/arm64.
    public var ranAs: LitmusTarget?
    public var ranAsName: String?
    public var ranAsText: String?
    /// The ran-as program under this machine's model: what the hardware may show.
    public var host: ModelVerdict?

    public static let models: [ModelKind] = [.armv8, .x86TSO, .sc]

    /// - Throws: a parse error of a generated test (a bug: the catalogue tests parse every one).
    public init(_ shape: LitmusShape, host target: LitmusTarget? = LitmusTarget.host) throws {
        self.shape = shape
        let program = try LitmusParser.parse(shape.litmus(.aarch64))
        self.target = Self.models.map { ModelVerdict.check(program, $0) }
        x86Mapping = (try? ModelChecker.check(program, model: .x86TSO).mapping) ?? []
        ranAs = target
        if let target {
            let text = shape.litmus(target)
            ranAsText = text
            ranAsName = shape.programName(target)
            host = ModelVerdict.check(try LitmusParser.parse(text), target.model)
        }
    }

    public func verdict(_ model: ModelKind) -> ModelVerdict { target[Self.models.firstIndex(of: model)!] }

    /// One sentence on what this machine can show about the ARMv8 verdict.
    public var hostNote: String {
        guard let ranAs, let host, let name = ranAsName else { return "no hardware runner for this architecture" }
        let arm = verdict(.armv8)
        let machine = ranAs == .swiftOnX86 ? "x86-TSO" : "ARMv8"
        let ran = "ran as \(name) on \(ranAs.rawValue)"
        switch (arm.allowed, host.allowed) {
        case (true, false):
            return "\(ran); allowed on ARMv8, forbidden on \(machine) for the program that ran: this machine cannot show it"
        case (false, true):
            return "\(ran); forbidden on ARMv8, but the program that ran here is allowed it on \(machine): a sighting here says nothing about arm64"
        case (nil, _), (_, nil):
            return "\(ran); a model could not decide (not modelled)"
        default:
            return "\(ran); \(machine) \(host.verdict) for it, as ARMv8 for the target"
        }
    }
}
