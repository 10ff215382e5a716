"""Generates the safetensors fixtures read by SafetensorsTests.swift (documentation only:
Lattice never runs Python). Re-run with `pip install safetensors numpy` then
`python3 make_fixture.py` in this folder; the outputs are checked in.

python_written.safetensors holds (float32, row-major):
  trunk.0.weight  shape [2, 1, 2, 2]  = arange(8) * 0.5 - 1    -> -1.0, -0.5, ..., 2.5
  trunk.0.bias    shape [2]           = [0.25, -0.125]
  head.weight     shape [1, 3]        = [1/3, -2/3, 1e-7]       (rounded to float32)
  step            shape []            = 42.0
  empty           shape [0]           (no scalars)
and metadata {"format": "pt"} (generated with safetensors 0.8.0, numpy 2).

Each file has a single metadata key: the reference writer emits `__metadata__` keys in hash-map
order, which changes from run to run, so more keys would make the bytes irreproducible.

python_escapes.safetensors holds "b" = [1, 2] and "a.x" = [[3]] with one metadata entry whose key and value need
JSON escapes (quote, backslash, newline, tab, U+0001) and non-ASCII text; Lattice must re-encode it
byte for byte.

python_f16.safetensors holds one float16 tensor "half" of shape [2] = [1.5, -2.0]; Lattice must
refuse it, naming the dtype.
"""
import numpy as np
from safetensors.numpy import save_file

tensors = {
    "trunk.0.weight": (np.arange(8, dtype=np.float32) * 0.5 - 1).reshape(2, 1, 2, 2),
    "trunk.0.bias": np.array([0.25, -0.125], dtype=np.float32),
    "head.weight": np.array([[1 / 3, -2 / 3, 1e-7]], dtype=np.float32),
    "step": np.array(42.0, dtype=np.float32),
    "empty": np.zeros([0], dtype=np.float32),
}
save_file(tensors, "python_written.safetensors",
          metadata={"format": "pt"})
save_file({"half": np.array([1.5, -2.0], dtype=np.float16)}, "python_f16.safetensors")
save_file({"b": np.array([1, 2], dtype=np.float32), "a.x": np.array([[3]], dtype=np.float32)},
          "python_escapes.safetensors",
          metadata={"quote\"and\\slash": "line\nbreak\ttab \u00e9 \u2713 \u0001"})
