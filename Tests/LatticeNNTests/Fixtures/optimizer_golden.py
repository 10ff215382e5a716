"""Golden values for OptimizerGoldenTests.swift (documentation only: Lattice never runs Python).

Each optimizer follows the update rules documented for torch.optim (SGD, Adam, AdamW, RMSprop),
written out here in float64 numpy; run `python3 optimizer_golden.py` to print the parameter after
each of three steps from p0 with the fixed gradients below.
"""
import numpy as np

p0 = np.array([1.0, -2.0, 0.5])
grads = [np.array([0.1, -0.2, 0.3]), np.array([-0.5, 0.4, 0.0]), np.array([0.2, 0.2, -0.1])]


def sgd(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    p, buf, out = p0.copy(), None, []
    for g in grads:
        g = g + weight_decay * p
        if momentum != 0:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g
        out.append(p)
    return out


def adam(lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0, decoupled=False):
    p, m, v, out = p0.copy(), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(grads, start=1):
        if decoupled:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        denom = np.sqrt(v) / np.sqrt(1 - b2 ** t) + eps
        p = p - (lr / (1 - b1 ** t)) * m / denom
        out.append(p)
    return out


def rmsprop(lr, alpha=0.99, eps=1e-8, momentum=0.0, centered=False, weight_decay=0.0):
    p, v, gavg, buf, out = p0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for g in grads:
        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        if centered:
            gavg = alpha * gavg + (1 - alpha) * g
            avg = np.sqrt(v - gavg * gavg) + eps
        else:
            avg = np.sqrt(v) + eps
        if momentum > 0:
            buf = momentum * buf + g / avg
            p = p - lr * buf
        else:
            p = p - lr * g / avg
        out.append(p)
    return out


cases = {
    "sgdPlain": sgd(0.1),
    "sgdMomentum": sgd(0.1, momentum=0.9),
    "sgdDampening": sgd(0.1, momentum=0.9, dampening=0.5),
    "sgdNesterovWeightDecay": sgd(0.1, momentum=0.9, weight_decay=0.01, nesterov=True),
    "adam": adam(0.1),
    "adamL2": adam(0.1, weight_decay=0.1),
    "adamW": adam(0.1, weight_decay=0.1, decoupled=True),
    "rmsprop": rmsprop(0.01),
    "rmspropCentered": rmsprop(0.01, centered=True),
    "rmspropCenteredMomentum": rmsprop(0.01, momentum=0.9, centered=True, weight_decay=0.1),
}
for name, steps in cases.items():
    print(f"{name}:")
    for s in steps:
        print("    [" + ", ".join(f"{x:.9g}" for x in s) + "],")
