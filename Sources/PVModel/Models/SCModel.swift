/// Sequential consistency, as herd7's sc.cat:
///
///     empty rmw & (fre;coe) as atom
///     acyclic po | ((fr | rf | co);sm) as sc
///
/// `sm` is the access's `sca-class`: an edge into one byte of an access
/// reaches all of it.
enum SCModel {
    static func consistent(_ g: ExecutionGraph, _ x: ExecutionGraph.Communications) -> Bool {
        let atom = g.rmw & ((x.fr & g.ext) * (x.co & g.ext))
        guard atom.isEmpty else { return false }
        let sc = g.po | (x.fr | x.rf | x.co) * g.sca
        return sc.isAcyclic
    }
}
