/// A split whose examples also carry one integer class label each, besides their target — e.g.
/// Not-so-Clevr rendering, whose label is the flat pixel index of each square's centre — for an
/// auxiliary loss on an intermediate layer (the CoordConv paper's rendering model adds a softmax
/// cross-entropy on its centre logits).
public protocol LabelledSplit: DatasetSplit {
    /// The labels of examples `indices` (0 ..< count), in order.
    func labels(_ indices: [Int]) -> [Int]
}
