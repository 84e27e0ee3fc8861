"""scikit-learn's LogisticRegression (lbfgs, default tol) on a matrix written by
clinflow_training_bench: prints "seconds=<best fit time> iterations=<n_iter>" and writes the
coefficients (p weights, then the intercept) to the given file for the bench's loss formula.

    python3 sklearn_fit.py DIR COEF_OUT [L2] [REPS]
Only fit() is timed. Dense DIR: x.f64 column-major (numpy: reshape(p, n).T), made C-ordered
before timing;
sparse DIR: CSR arrays (csr_indptr.i64, csr_indices.i32, csr_data.f64).
"""
import os
import sys
import time
import warnings

import numpy as np
import scipy.sparse
from sklearn.linear_model import LogisticRegression

directory, coef_out = sys.argv[1], sys.argv[2]
l2 = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
reps = int(sys.argv[4]) if len(sys.argv) > 4 else 3
n, p = (int(v) for v in open(os.path.join(directory, "shape.txt")).read().split())
y = np.fromfile(os.path.join(directory, "y.f64"))
if os.path.exists(os.path.join(directory, "csr_indptr.i64")):
    x = scipy.sparse.csr_matrix((np.fromfile(os.path.join(directory, "csr_data.f64")),
                                 np.fromfile(os.path.join(directory, "csr_indices.i32"), dtype=np.int32),
                                 np.fromfile(os.path.join(directory, "csr_indptr.i64"), dtype=np.int64)),
                                shape=(n, p))
else:
    # C order, as LogisticRegression.fit wants it (it would copy an F-ordered array inside fit)
    x = np.ascontiguousarray(np.fromfile(os.path.join(directory, "x.f64")).reshape(p, n).T)
best, model = None, None
for _ in range(reps):
    model = LogisticRegression(C=1.0 / l2, solver="lbfgs", max_iter=10000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        model.fit(x, y)
        t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
np.savetxt(coef_out, np.concatenate([model.coef_.ravel(), model.intercept_]), fmt="%.17g")
print(f"seconds={best:.3f} iterations={int(model.n_iter_[0])}")
