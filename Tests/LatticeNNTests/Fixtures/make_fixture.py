"""Generates the safetensors fixtures read by SafetensorsTests.swift (documentation only:
Lattice never runs Python). Re-run with `pip install safetensors numpy` then
`python3 make_fixture.py` in this folder; the outputs are checked in.

python_written.safetensors holds (float32, row-major):
  trunk.0.weight  shape [2, 1, 2, 2]  = arange(8) * 0.5 - 1    -> -1.0, -0.5, ..., 2.5
  trunk.0.bias    shape [2]           = [0.25, -0.125]
  head.weight     shape [1, 3]        = [1/3, -2/3, 1e-7]       (rounded to float32)
  step            shape []            = 42.0
  empty           shape [0]           (no scalars)
and metadata {"format": "pt", "note": "written by safetensors <version> for Lattice tests"}.

python_f16.safetensors holds one float16 tensor "half" of shape [2] = [1.5, -2.0]; Lattice must
refuse it, naming the dtype.
"""
import numpy as np
import safetensors
from safetensors.numpy import save_file

tensors = {
    "trunk.0.weight": (np.arange(8, dtype=np.float32) * 0.5 - 1).reshape(2, 1, 2, 2),
    "trunk.0.bias": np.array([0.25, -0.125], dtype=np.float32),
    "head.weight": np.array([[1 / 3, -2 / 3, 1e-7]], dtype=np.float32),
    "step": np.array(42.0, dtype=np.float32),
    "empty": np.zeros([0], dtype=np.float32),
}
save_file(tensors, "python_written.safetensors",
          metadata={"format": "pt", "note": f"written by safetensors {safetensors.__version__} for Lattice tests"})
save_file({"half": np.array([1.5, -2.0], dtype=np.float16)}, "python_f16.safetensors")
