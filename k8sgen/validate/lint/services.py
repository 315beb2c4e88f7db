"""Services: exposure outside the cluster (kube-score's service-type, kube-linter's exposed-services)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..pods import as_dict
from .registry import RECOMMENDED, Finding, rule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

_EXPOSURE = {
    "NodePort": "opens a port on every node of the cluster",
    "LoadBalancer": "asks the cloud for an external load balancer (and opens node ports too)",
}


@rule("lint-service-exposed", "Services are ClusterIP (or headless/ExternalName), not NodePort or LoadBalancer, unless exposure is the point.", kinds=("Service",), level=RECOMMENDED)
def service_exposed(obj: dict, ctx: Context) -> Iterator[Finding]:
    t = as_dict(obj.get("spec")).get("type")
    if t in _EXPOSURE:
        yield ("spec", "type"), f"type {t} {_EXPOSURE[t]}", "use ClusterIP behind an Ingress or Gateway, or silence lint-service-exposed for a Service meant to be public"
