"""Schemathesis hooks of `npm run fuzz` and test/e2e/fuzz.e2e-spec.ts (loaded through
SCHEMATHESIS_HOOKS=tdkt_schemathesis_hooks with this directory on PYTHONPATH; see
infra/scripts/lib/fuzz.cjs).

CPython 3.11 before 3.11.8 raises SystemError("AST constructor recursion depth mismatch",
CPython gh-106905) from ast.parse() when it is called deep in a stack. Hypothesis calls ast.parse()
only to print a lambda nicely in a strategy's repr, and schemathesis's coverage phase builds such
reprs deep in its generators: the run then stops with a "Runtime Error" for an operation. A repr
is not worth a lost operation, so a failing description falls back to a plain one.
"""

from hypothesis.internal import lambda_sources

_describe = lambda_sources.lambda_description


def _lambda_description(f):
    try:
        return _describe(f)
    except SystemError:
        return "lambda: <source unavailable>"


lambda_sources.lambda_description = _lambda_description
