import os
from dataclasses import dataclass

# Filled in when the service was created from its template.
SERVICE_NAME = "${{ values.name }}"
DEFAULT_PORT = ${{ values.port }}


@dataclass(frozen=True)
class Config:
    port: int
    # How long in-flight requests may take to finish after SIGTERM: below the
    # pod's default 30 s grace period, so we exit before the kubelet kills us.
    shutdown_timeout: float


def _int_from_env(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ValueError(f'{name} must be a non-negative integer, got "{value}"')
    return int(value)


def load_config(env: dict[str, str] | None = None) -> Config:
    env = dict(os.environ) if env is None else env
    return Config(
        port=_int_from_env(env, "PORT", DEFAULT_PORT),
        shutdown_timeout=float(_int_from_env(env, "SHUTDOWN_TIMEOUT_SECONDS", 20)),
    )
