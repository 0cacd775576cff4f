"""Array operations for the recogniser: thinc's NumPy ops with NumPy's matrix product.

thinc multiplies matrices with its bundled BLIS, whose kernels can be several times
slower than the OpenBLAS that NumPy ships with, depending on the processor (3x on
the AMD EPYC this project is measured on). Everything else stays thinc's own.

Examples
--------
>>> import numpy
>>> ops = BlasOps()
>>> ops.gemm(numpy.ones((2, 3), "f"), numpy.ones((4, 3), "f"), trans2=True).shape
(2, 4)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from thinc.api import NumpyOps, get_current_ops, set_current_ops
from thinc.backends.ops import Ops


class BlasOps(NumpyOps):
    """thinc's NumPy ops, multiplying matrices with NumPy (OpenBLAS) instead of BLIS."""

    name = "kgraph_blas"

    def gemm(self, x, y, *, out=None, trans1=False, trans2=False):  # noqa: ANN001, ANN201
        return Ops.gemm(self, x, y, out=out, trans1=trans1, trans2=trans2)


@contextmanager
def blas_ops() -> Iterator[None]:
    """Models built inside the block use :class:`BlasOps`."""
    previous = get_current_ops()
    set_current_ops(BlasOps())
    try:
        yield
    finally:
        set_current_ops(previous)
