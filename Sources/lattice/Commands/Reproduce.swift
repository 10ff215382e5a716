import ArgumentParser

/// `lattice reproduce <experiment>`: runs one of the paper's experiments end to end and writes
/// `report.md` and `report.json` (tables and plots) into a run directory.
struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reproduce one of the CoordConv paper's experiments and write a report.",
        subcommands: [ReproduceNotSoClevr.self, ReproduceGAN.self])
}
