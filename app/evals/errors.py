"""The eval's one error type: what went wrong and what to do, said in one message."""

from __future__ import annotations


class EvalError(Exception):
    """An eval could not run or finish; the message says why and what to do."""
