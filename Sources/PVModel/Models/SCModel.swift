/// Sequential consistency, as herd7's sc.cat:
///
///     empty rmw & (fre;coe) as atom
///     acyclic po | ((fr | rf | co); sm) as sc
///
/// `sm` is the access's `sca-class`: the identity when an access is one
/// event, its other bytes in the reference enumeration.
enum SCModel {
    static func consistent(_ x: CandidateExecution) -> Bool {
        guard x.atomicityHolds(exemptingOwnThread: false) else { return false }
        let com = x.communications()
        return (x.s.po | (com.rf | com.co | com.fr) * x.s.scaClass).isAcyclic
    }
}
