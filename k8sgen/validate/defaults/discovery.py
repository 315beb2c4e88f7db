"""discovery.k8s.io/v1 defaulting (`pkg/apis/discovery/v1/defaults.go`): endpoint ports get
protocol TCP and an empty name."""

from __future__ import annotations

from .util import items


def endpoint_slice(obj: dict) -> None:
    for port in items(obj, "ports"):
        if port.get("protocol") is None:
            port["protocol"] = "TCP"
        if port.get("name") is None:
            port["name"] = ""


DEFAULTERS = {("discovery.k8s.io/v1", "EndpointSlice"): endpoint_slice}
