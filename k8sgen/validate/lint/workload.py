"""Safe defaults for pods: limits, pinned images, no API token a pod does not use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..pods import PodView, as_dict, container_label
from . import setindex
from .registry import Finding, rule

if TYPE_CHECKING:  # for annotations only
    from .. import Context


@rule("lint-resources", "Every container sets resources.limits, at least memory, so one pod cannot starve its node.")
def resources(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        if path[-2] == "ephemeralContainers":  # the API forbids resources there
            continue
        limits = as_dict(as_dict(c.get("resources")).get("limits"))
        if not limits:
            yield path + ("resources", "limits"), f"{container_label(c)} has no resource limits", "set resources.limits.memory (and usually requests) for it"
        elif "memory" not in limits:
            yield path + ("resources", "limits", "memory"), f"{container_label(c)} has no memory limit", "set resources.limits.memory; a container without one can use all of the node's memory"


def image_problem(image: str) -> str:
    """Why an image reference is not pinned, or "" when it is."""
    if "@" in image:
        return ""  # a digest pins the content whatever the tag says
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "has no tag, so it means :latest"
    if last.rsplit(":", 1)[1] == "latest":
        return "uses the :latest tag"
    return ""


@rule("lint-image-tag", "Images are pinned by a version tag or a digest, not :latest or untagged.")
def image_tag(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        image = c.get("image")
        if isinstance(image, str) and image:
            why = image_problem(image)
            if why:
                yield path + ("image",), f'image "{image}" of {container_label(c)} {why}, which changes under you', "pin a version tag (e.g. nginx:1.27.3) or a digest (image@sha256:...)"


@rule(
    "lint-token-automount",
    "Pods that use no API access (default ServiceAccount, no binding) do not get a service-account token mounted.",
)
def token_automount(pv: PodView, ctx: Context) -> Iterator[Finding]:
    sa = pv.spec.get("serviceAccountName") or pv.spec.get("serviceAccount") or "default"
    if sa != "default":
        return  # a dedicated ServiceAccount declares that the pod talks to the API
    pod_value = pv.spec.get("automountServiceAccountToken")
    if pod_value is False:
        return
    idx = setindex.for_context(ctx)
    if pod_value is None and idx.sa_automount.get((pv.namespace, sa)) is False:
        return
    if (pv.namespace, sa) in idx.bound_sas or idx.bound_sa_namespaces & {"*", pv.namespace}:
        return
    yield (
        pv.path("automountServiceAccountToken"),
        "a service-account token is mounted, but the pod runs as the default ServiceAccount and no binding grants it anything",
        "set automountServiceAccountToken: false, or give the pod its own ServiceAccount and a Role",
    )
