import ArgumentParser
import LatticeRuntime

/// `lattice list [layers|environments|datasets|trainers|renderers]`.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List registered plugins with a summary and their parameters.")

    enum Kind: String, CaseIterable, ExpressibleByArgument { case layers, environments, datasets, trainers, renderers }

    @Argument(help: "Which registry (default: all).")
    var kind: Kind?

    func run() throws {
        try CommandErrors.run {
            let r = try Catalog.registries()
            for k in kind.map({ [$0] }) ?? Kind.allCases {
                switch k {
                case .layers: show("layers", r.layers.allEntries.map { ($0.id.description, $0.summary, $0.parameters) })
                case .environments: show("environments", r.environments.allEntries.map { ($0.id.description, $0.summary, $0.parameters) })
                case .datasets: show("datasets", r.datasets.allEntries.map { ($0.id.description, $0.summary, $0.parameters) })
                case .trainers: show("trainers", r.trainers.allEntries.map { ($0.id.description, $0.summary, $0.parameters) })
                case .renderers: show("renderers", r.renderers.allEntries.map { ($0.id.description, $0.summary, $0.parameters) })
                }
            }
        }
    }

    func show(_ title: String, _ entries: [(String, String, [ParameterInfo])]) {
        print("\(title) (\(entries.count))")
        for (id, summary, parameters) in entries {
            print("  \(id)" + (summary.isEmpty ? "" : " — \(summary)"))
            for p in parameters {
                print("      \(p.name): \(p.type)" + (p.defaultValue.map { " = \($0)" } ?? "") + (p.summary.isEmpty ? "" : "  \(p.summary)"))
            }
        }
        print("")
    }
}
