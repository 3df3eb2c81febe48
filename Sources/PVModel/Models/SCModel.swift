/// Sequential consistency, as herd7's sc.cat:
///
///     empty rmw & (fre;coe) as atom
///     acyclic po | ((fr | rf | co); sm) as sc
///
/// `sm` (same instruction) is the collapse of an access's bytes into one
/// event, which `Event` already is.
enum SCModel {
    static func consistent(_ x: CandidateExecution) -> Bool {
        guard x.atomicityHolds(exemptingOwnThread: false) else { return false }
        let com = x.communications()
        return (x.s.po | com.rf | com.co | com.fr).isAcyclic
    }
}
