"""Long-lived service-account tokens: a Secret of type kubernetes.io/service-account-token.

The token controller fills such a Secret with a token that never expires and stays valid until
the Secret is deleted; whoever reads it (from the cluster, a backup, a CI log) can act as the
account indefinitely. Since Kubernetes 1.24 accounts get no such Secret automatically and pods
get projected tokens that expire and are bound to the pod. The long-lived kind is still the
right tool for a script outside the cluster that cannot ask for a fresh token, hence a warning
(silence it with `ignore: [lint-token-secret]`) rather than an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..pods import as_dict
from .registry import Finding, rule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

TOKEN_TYPE = "kubernetes.io/service-account-token"


@rule(
    "lint-token-secret",
    "A long-lived service-account token Secret is used only where a projected, expiring token cannot be.",
    kinds=("Secret",),
)
def token_secret(obj: dict, ctx: Context) -> Iterator[Finding]:
    if obj.get("type") != TOKEN_TYPE:
        return
    account = as_dict(as_dict(obj.get("metadata")).get("annotations")).get("kubernetes.io/service-account.name", "?")
    yield (
        ("type",),
        f'Secret holds a token for ServiceAccount "{account}" that never expires and is valid until the Secret is deleted',
        f"pods: a serviceAccountToken volume (expiring, bound to the pod); scripts: `kubectl create token {account} --duration=1h`; "
        "keep this Secret only for callers that cannot fetch a fresh token",
    )
