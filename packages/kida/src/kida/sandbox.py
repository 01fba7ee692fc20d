"""Sandbox API (``kida.sandbox``); re-exported from ``kida_sandbox``."""

from kida_sandbox import SandboxedEnvironment, SandboxPolicy, SecurityError

__all__ = ["SandboxPolicy", "SandboxedEnvironment", "SecurityError"]
