"""Sandbox API (``kida.sandbox``); re-exported from ``kida_sandbox``."""

from kida_sandbox import DEFAULT_POLICY, SandboxedEnvironment, SandboxPolicy, SecurityError

__all__ = ["DEFAULT_POLICY", "SandboxPolicy", "SandboxedEnvironment", "SecurityError"]
