/// A node of the reverse-mode autodiff graph: the op that produced a tensor, the detached values of
/// its inputs, and its vector-Jacobian product.
///
/// The graph holds only detached values, so it is a DAG through `parents` alone; `deinit` unlinks
/// long chains iteratively, so graphs 100k nodes deep are freed without exhausting the stack.
public final class GradNode: @unchecked Sendable {
    /// The op's name, for error messages.
    let op: String
    /// Shape of the value this node produced.
    let shape: [Int]
    /// The nodes of the op's inputs (`nil` for constant inputs).
    var parents: [GradNode?]
    /// The inputs' values, detached.
    var inputs: [Tensor]
    /// The op's output value, detached, when its VJP needs it.
    var output: Tensor?
    /// Given the gradient of the output and this node, the gradient for each input (`nil` = zero or
    /// not needed). Called only in a no-gradient scope.
    var vjp: ((Tensor, GradNode) -> [Tensor?])?

    /// A leaf (a parameter or a tensor marked with `trackingGradients()`).
    init(leafOf shape: [Int]) {
        op = "leaf"
        self.shape = shape
        parents = []
        inputs = []
    }

    init(op: String, shape: [Int], parents: [GradNode?], inputs: [Tensor], output: Tensor?,
         vjp: @escaping (Tensor, GradNode) -> [Tensor?]) {
        self.op = op
        self.shape = shape
        self.parents = parents
        self.inputs = inputs
        self.output = output
        self.vjp = vjp
    }

    /// Whether input `i` needs a gradient: it is tracked and a tensor the running `gradients(of:wrt:)`
    /// asks for depends on it (VJPs skip the rest — in a GAN's generator step, the discriminator's
    /// weight gradients).
    func needs(_ i: Int) -> Bool {
        guard let parent = parents[i] else { return false }
        return BackwardPass.leading?.contains(ObjectIdentifier(parent)) ?? true
    }

    deinit {
        guard !parents.isEmpty else { return }
        var pending: [GradNode] = parents.compactMap { $0 }
        parents = []
        while var n = pending.popLast() {
            if isKnownUniquelyReferenced(&n) {
                pending.append(contentsOf: n.parents.compactMap { $0 })
                n.parents = []
            }
        }
    }
}

/// The state of the running backward pass, per call and per thread: the nodes a requested tensor depends
/// on. Kept out of the nodes, so concurrent `gradients(of:wrt:)` calls over shared parameters (data-parallel
/// shards) never write to the same node.
enum BackwardPass {
    @TaskLocal static var leading: Set<ObjectIdentifier>? = nil
}

/// Whether ops record the autodiff graph; off inside `withoutGradients`.
public enum GradientRecording {
    @TaskLocal public static var isEnabled: Bool = true
}

/// Runs `body` with gradient recording off: ops inside record nothing (rollouts, evaluation, the
/// backward pass itself).
@inlinable
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradientRecording.$isEnabled.withValue(false, operation: body)
}

extension Tensor {
    /// Links `result` into the graph as the output of `op` over `inputs`, when recording is on and an
    /// input is tracked; otherwise returns it unchanged.
    ///
    /// - Parameters:
    ///   - keepOutput: store the detached output in the node for the VJP (`node.output`).
    ///   - vjp: gradient of the output → gradient for each input, in order.
    static func record(_ op: String, _ result: Tensor, _ inputs: [Tensor], keepOutput: Bool = false,
                       vjp: @escaping (Tensor, GradNode) -> [Tensor?]) -> Tensor {
        var anyTracked = false
        for x in inputs where x.node != nil { anyTracked = true; break }
        guard anyTracked, GradientRecording.isEnabled else { return result }
        var out = result
        out.node = GradNode(op: op, shape: result.shape, parents: inputs.map { $0.node },
                            inputs: inputs.map { $0.detached }, output: keepOutput ? result.detached : nil,
                            vjp: vjp)
        return out
    }
}

/// The gradients of the scalar `loss` with respect to each of `parameters`, in order, by reverse-mode
/// autodiff. A parameter that `loss` does not depend on gets zeros.
///
/// - Parameter seed: the output gradient; defaults to ones (which for a scalar loss is d loss/d loss).
public func gradients(of loss: Tensor, wrt parameters: [Tensor], seed: Tensor? = nil) -> [Tensor] {
    guard let root = loss.node else {
        return parameters.map { Tensor(zeros: $0.shape) }
    }
    // Topological order by an iterative depth-first search (no recursion: deep graphs are fine).
    var order: [GradNode] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(GradNode, Int)] = [(root, 0)]
    visited.insert(ObjectIdentifier(root))
    while let (node, next) = stack.popLast() {
        if next < node.parents.count {
            stack.append((node, next + 1))
            if let p = node.parents[next], visited.insert(ObjectIdentifier(p)).inserted {
                stack.append((p, 0))
            }
        } else {
            order.append(node)
        }
    }
    // `order` lists parents before children: collect the nodes a requested tensor depends on.
    var leading = Set<ObjectIdentifier>()
    for p in parameters { if let n = p.node { leading.insert(ObjectIdentifier(n)) } }
    for node in order where !leading.contains(ObjectIdentifier(node)) {
        for case let p? in node.parents where leading.contains(ObjectIdentifier(p)) {
            leading.insert(ObjectIdentifier(node))
            break
        }
    }
    var grads: [ObjectIdentifier: Tensor] = [:]
    grads.reserveCapacity(order.count)
    let start = seed ?? Tensor(ones: loss.shape)
    guard start.shape == loss.shape else {
        fatalError("gradients(of:wrt:): seed shape \(start.shape) does not match loss shape \(loss.shape)")
    }
    grads[ObjectIdentifier(root)] = start
    BackwardPass.$leading.withValue(leading) { withoutGradients {
        for node in order.reversed() {
            guard leading.contains(ObjectIdentifier(node)), let vjp = node.vjp,
                  let g = grads.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            let inputGrads = vjp(g, node)
            for (i, parent) in node.parents.enumerated() {
                guard let parent, leading.contains(ObjectIdentifier(parent)), let gi = inputGrads[i] else { continue }
                assert(gi.shape == parent.shape, "\(node.op): gradient shape \(gi.shape) for input of shape \(parent.shape)")
                let key = ObjectIdentifier(parent)
                if let existing = grads[key] {
                    grads[key] = existing.adding(gi)
                } else {
                    grads[key] = gi
                }
            }
        }
    } }
    return parameters.map { p in
        if let n = p.node, let g = grads[ObjectIdentifier(n)] { return g.detached }
        return Tensor(zeros: p.shape)
    }
}

/// The value of `f(x)` and its gradients with respect to `parameters`.
public func valueWithGradients(wrt parameters: [Tensor], _ f: () -> Tensor) -> (value: Tensor, gradients: [Tensor]) {
    let value = f()
    return (value.detached, gradients(of: value, wrt: parameters))
}
