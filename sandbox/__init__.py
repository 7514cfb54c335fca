"""A loopback stand-in of the WeChat Official Account API for development and tests.

It is a documented exception to "only the app imports Flask": a test double served on its own,
never imported by the service itself. State lives in memory (one process, guarded by a lock).
"""

from sandbox.app import create_sandbox_app
from sandbox.config import SandboxConfig
from sandbox.push import PushResult, push_template_finish, signature

__all__ = ["PushResult", "SandboxConfig", "create_sandbox_app", "push_template_finish", "signature"]
