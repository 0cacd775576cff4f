"""Array operations for the recogniser: thinc's NumPy ops with another matrix product.

thinc multiplies matrices with its bundled BLIS, which picks a kernel set by processor
model and falls back to slow "generic" kernels on one it does not know (as on the AMD
EPYC this project is measured on). Two variants, everything else staying thinc's own:

- :class:`BlasOps` (running a loaded model): NumPy's OpenBLAS, 3x faster here.
- :class:`HaswellBlisOps` (training): BLIS with its Haswell kernels, whatever processor
  BLIS detects. Kernel sets sum in different orders, so a model trains to the same
  weights only where kernels that multiply alike run; with Haswell's pinned, ``kgraph
  train`` gives back the shipped model's weights, trained elsewhere, on this project's
  AMD EPYC, where BLIS itself picks its generic kernels (NumPy's own SIMD level and
  OpenBLAS core matter too: see ``kgraph.train.training_host``).

Examples
--------
>>> import numpy
>>> ops = BlasOps()
>>> ops.gemm(numpy.ones((2, 3), "f"), numpy.ones((4, 3), "f"), trans2=True).shape
(2, 4)
"""

from __future__ import annotations

import ctypes
import platform
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy
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
    with using_ops(BlasOps()):
        yield


@contextmanager
def using_ops(ops: Ops) -> Iterator[None]:
    """Models built inside the block use ``ops``."""
    previous = get_current_ops()
    set_current_ops(ops)
    try:
        yield
    finally:
        set_current_ops(previous)


_TRANSPOSE = 0x08  # BLIS's trans_t: BLIS_TRANSPOSE (BLIS_TRANS_BIT, 1 << 3)
_HASWELL = 3  # BLIS's arch_t: SKX, KNL, KNC, HASWELL, ...


@cache
def _blis() -> ctypes.CDLL:
    """thinc's bundled BLIS, with the signatures of the calls every build has."""
    from blis import cy

    lib = ctypes.CDLL(cy.__file__)
    lib.bli_arch_query_id.restype = ctypes.c_int
    lib.bli_arch_string.restype = ctypes.c_char_p
    lib.bli_arch_string.argtypes = [ctypes.c_int]
    return lib


def cpu_fields() -> dict[str, str]:
    """The first processor's fields in /proc/cpuinfo ("model name", "flags", ...), or {}
    where there is no such file (not Linux)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return {}
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if not key.strip():
            break
        fields.setdefault(key.strip(), value.strip())
    return fields


def blis_kernels() -> str | None:
    """The kernel set ("haswell", "zen2", "skx", "generic", ...) that thinc's bundled BLIS
    picked for this processor, or None where that cannot be read.

    BLIS picks by processor model and falls back to its slow "generic" kernels on one it
    does not know (as on the AMD EPYC, family 0x19, measured here); sets sum in different
    orders, which is why training does not leave the choice to it (:class:`HaswellBlisOps`).
    """
    try:
        lib = _blis()
        return lib.bli_arch_string(lib.bli_arch_query_id()).decode()
    except (ImportError, OSError, AttributeError):
        return None


@cache
def haswell_context() -> int | None:
    """The address of BLIS's context for its Haswell kernels, or None where they cannot
    be used: not x86-64 Linux (the processor's flags are read from /proc/cpuinfo), no
    AVX2 or FMA, or a BLIS built without them or with other than 64-bit integers."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return None
    flags = set(cpu_fields().get("flags", "").split())
    try:
        lib = _blis()
        # BLIS looks a context up without checking that its configuration was built in,
        # so a build without Haswell's must be caught here, before the lookup
        if not {"avx2", "fma"} <= flags or not hasattr(lib, "bli_cntx_init_haswell"):
            return None
        if not hasattr(lib, "bli_sgemm_ex") or lib.bli_info_get_int_type_size() != 64:
            return None
        if lib.bli_arch_string(_HASWELL) != b"haswell":
            return None
        lib.bli_init()
        lib.bli_gks_lookup_nat_cntx.restype = ctypes.c_void_p
        lib.bli_gks_lookup_nat_cntx.argtypes = [ctypes.c_int]
        return lib.bli_gks_lookup_nat_cntx(_HASWELL)
    except (ImportError, OSError, AttributeError):
        return None


class HaswellBlisOps(NumpyOps):
    """thinc's NumPy ops, multiplying float32 matrices with BLIS's Haswell kernels.

    The call is the one thinc makes (``blis.py.gemm`` with beta 0), with the Haswell
    context passed in place of the one BLIS picked for this processor, so the products
    are bit for bit those of a machine where BLIS picks Haswell itself (or Zen or Zen 2,
    whose kernels multiply the same). thinc also passes BLIS's runtime settings, where
    this passes none so that BLIS reads its defaults: with BLIS built without threads,
    as thinc's is, the two are the same.
    """

    name = "kgraph_haswell_blis"

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        context = haswell_context()
        if context is None:
            raise RuntimeError("BLIS's Haswell kernels cannot run on this processor")
        self._context = ctypes.c_void_p(context)
        dim, f32p = ctypes.c_int64, ctypes.POINTER(ctypes.c_float)
        self._sgemm = _blis().bli_sgemm_ex
        self._sgemm.restype = None
        self._sgemm.argtypes = [
            ctypes.c_int, ctypes.c_int, dim, dim, dim, f32p,
            ctypes.c_void_p, dim, dim, ctypes.c_void_p, dim, dim, f32p,
            ctypes.c_void_p, dim, dim, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        self._one, self._zero = ctypes.c_float(1.0), ctypes.c_float(0.0)

    def gemm(self, x, y, *, out=None, trans1=False, trans2=False):  # noqa: ANN001, ANN201
        if x.dtype != numpy.float32 or y.dtype != numpy.float32 or x.ndim != 2 or y.ndim != 2:
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
        x, y = numpy.ascontiguousarray(x), numpy.ascontiguousarray(y)
        m, k = x.shape[::-1] if trans1 else x.shape
        k2, n = y.shape[::-1] if trans2 else y.shape
        if k != k2:
            raise ValueError(f"Shape mismatch for gemm: {x.shape}, {y.shape}")
        if out is None:
            out = numpy.empty((m, n), dtype="f")
        elif (
            out.shape != (m, n)
            or out.dtype != numpy.float32
            or not out.flags.c_contiguous
            or not out.flags.writeable
        ):
            raise ValueError(
                f"gemm out must be a writeable C-contiguous float32 ({m}, {n}) array, "
                f"not a {'' if out.flags.writeable else 'read-only '}{out.dtype} {out.shape}"
            )
        self._sgemm(
            _TRANSPOSE if trans1 else 0, _TRANSPOSE if trans2 else 0, m, n, k,
            ctypes.byref(self._one), x.ctypes.data, x.shape[1], 1,
            y.ctypes.data, y.shape[1], 1, ctypes.byref(self._zero),
            out.ctypes.data, n, 1, self._context, None,
        )  # fmt: skip
        return out
