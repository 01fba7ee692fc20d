"""Sandboxed Kida environment for untrusted templates.

``SandboxedEnvironment`` compiles templates with guard hooks and installs a
runtime guard (``kida_core.protocols.RuntimeGuard``) that enforces a
``SandboxPolicy``; violations raise ``SecurityError`` (K-SEC-001…005).
"""

from kida_core.errors import SecurityError
from kida_sandbox.environment import SandboxedEnvironment
from kida_sandbox.guard import SandboxGuard
from kida_sandbox.policy import DEFAULT_POLICY, SandboxPolicy

__all__ = [
    "DEFAULT_POLICY",
    "SandboxGuard",
    "SandboxPolicy",
    "SandboxedEnvironment",
    "SecurityError",
]
__version__ = "0.1.0"
