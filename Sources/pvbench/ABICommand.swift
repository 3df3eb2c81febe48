import ArgumentParser
import PVABI
import PVResults
import PVExperiments

struct ABICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abi",
        abstract: "Print the PV time and PV sched record layouts, SMCCC function ids and return codes.")

    @OptionGroup var output: TablesOrJSON

    @Flag(name: .customLong("c-header"),
          help: "Print the C header a strategy file for `validate --c` is compiled against (docs/c-strategies.md).")
    var cHeader = false

    struct Layout: Encodable {
        let name: String
        let size: Int
        let ipaAlignment: Int
        let endianness: String
        let specification: String
        let fields: [RecordField]
    }
    struct Function: Encodable { let name: String; let id: String; let value: UInt32; let specification: String }
    struct ReturnCode: Encodable { let name: String; let value: Int64 }
    struct Document: Encodable {
        let layouts: [Layout]
        let functions: [Function]
        let returnCodes: [ReturnCode]
    }

    static var document: Document {
        Document(
            layouts: [
                Layout(name: "pv_time_stolen_time", size: StolenTimeLayout.size,
                       ipaAlignment: StolenTimeLayout.ipaAlignment, endianness: "little",
                       specification: "Arm DEN0057A; Linux Documentation/virt/kvm/arm/pvtime.rst",
                       fields: StolenTimeLayout.fields),
                Layout(name: "pv_sched_state", size: PVSchedLayout.blockSize,
                       ipaAlignment: PVSchedLayout.ipaAlignment, endianness: "little",
                       specification: "openEuler Documentation/virtual/kvm/arm/pvsched.txt",
                       fields: PVSchedLayout.fields),
            ],
            functions: SMCCCFunction.known.map {
                Function(name: $0.name!, id: $0.hex, value: $0.rawValue, specification: $0.specification!)
            },
            returnCodes: SMCCCReturn.allCases.map { ReturnCode(name: $0.name, value: $0.rawValue) })
    }

    func run() throws {
        if cHeader { return print(CStrategyHeader.text, terminator: "") }
        let doc = Self.document
        if output.json { return try printJSON(doc) }
        for layout in doc.layouts {
            print("\(layout.name): \(layout.size) bytes, IPA \(layout.ipaAlignment)-byte aligned, "
                + "\(layout.endianness)-endian (\(layout.specification))")
            print(TerminalTable.plain(["  field", "offset", "size", "meaning"],
                              layout.fields.map { ["  " + $0.name, "\($0.offset)", "\($0.size)", $0.meaning] }))
            print()
        }
        print("SMCCC function ids:")
        print(TerminalTable.plain(["  name", "id", "specification"],
                          doc.functions.map { ["  " + $0.name, $0.id, $0.specification] }))
        print()
        print("SMCCC return codes (int64 in x0):")
        print(TerminalTable.plain(["  name", "value"], doc.returnCodes.map { ["  " + $0.name, "\($0.value)"] }))
    }
}
