"""Sandboxed Kida environment for untrusted templates.

Will provide ``SandboxedEnvironment`` and ``SandboxPolicy``, whose runtime
guard implements ``kida_core.protocols.RuntimeGuard``. This release is a
scaffold: no sandbox is implemented yet.
"""

__all__: list[str] = []
__version__ = "0.1.0"
