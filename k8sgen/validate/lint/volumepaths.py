"""The API server's warning on volume files that land on the same path (or one inside another).

`warningsForOverlappingVirtualPaths` in pkg/api/pod/warnings.go: a configMap, secret or
downwardAPI volume whose `items` map two keys to one path, or to `a` and `a/b`, leaves one file
overwritten or fails the mount with "is a directory"/"file exists"; a projected volume is checked
per source and across its sources. The server's test for "overlap" is a plain string prefix
(`data` overlaps `database`), and k8sgen repeats it as it is: this is the server's warning, in its
words. Where several earlier paths collide the server names one of them (in map order); k8sgen
names the first in sorted order, so its output stays stable. A projected source that writes no
listed paths (a configMap source without `items`) makes the server check the previous source's
paths once more, which then collide with themselves; k8sgen repeats that too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..pods import PodView, as_dict, as_list
from .registry import Finding, rule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

HINT = "give each file its own path, and no file a path inside another"


def _collision(seen: set, path: str) -> str:
    if path == "" or "" in seen:
        return ""  # the server gives up on an empty path (and on an empty one already seen, in map order)
    for item in sorted(seen):
        if item == path or (item + "/").startswith(path) or (path + "/").startswith(item):
            return item
    return ""


def _overlaps(paths: list, message: str) -> Iterator[str]:
    """`checkVolumeMappingForOverlap`: each path against the ones before it."""
    seen: set = set()
    for p in paths:
        normalized = p.rstrip("/")
        other = _collision(seen, normalized)
        if other:
            yield f'{message}: "{normalized}" with "{other}"'
        seen.add(normalized)


def _paths(items: object) -> list | None:
    """The paths of a KeyToPath or DownwardAPIVolumeFile list; None when there is no list (the
    server checks only `items` that are set) or a path is no string (schema's business)."""
    if not isinstance(items, list):
        return None
    paths = [as_dict(i).get("path") for i in items]
    return paths if all(isinstance(p, str) for p in paths) else None


def _source(src: dict, volume: str) -> tuple[list | None, str]:
    """The paths one projected source writes and the server's words for it."""
    if as_dict(src.get("configMap")).get("items") is not None:
        cm = as_dict(src.get("configMap"))
        return _paths(cm.get("items")), f'volume "{volume}" (Projected ConfigMap "{cm.get("name", "")}"): overlapping paths'
    if as_dict(src.get("secret")).get("items") is not None:
        s = as_dict(src.get("secret"))
        return _paths(s.get("items")), f'volume "{volume}" (Projected Secret "{s.get("name", "")}"): overlapping paths'
    if as_dict(src.get("downwardAPI")).get("items") is not None:
        return _paths(as_dict(src.get("downwardAPI")).get("items")), f'volume "{volume}" (Projected DownwardAPI): overlapping paths'
    token = src.get("serviceAccountToken")
    if isinstance(token, dict):
        return _paths([token]), f'volume "{volume}" (Projected ServiceAccountToken): overlapping paths'
    bundle = src.get("clusterTrustBundle")
    if isinstance(bundle, dict):
        label = bundle.get("name") if bundle.get("name") is not None else bundle.get("signerName", "")
        return _paths([bundle]), f'volume "{volume}" (Projected ClusterTrustBundle "{label}"): overlapping paths'
    return None, ""


@rule("lint-api-volume-paths", "What the API server warns about volume files that overlap (two items of a configMap, secret, downwardAPI or projected volume on one path, or one inside another) and empty projected sources.")
def api_volume_paths(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for i, vol in enumerate(as_list(pv.spec.get("volumes"))):
        vol = as_dict(vol)
        name = vol.get("name", "")
        for kind, label, ref in (("configMap", "ConfigMap", "name"), ("secret", "Secret", "secretName"), ("downwardAPI", "DownwardAPI", None)):
            source = as_dict(vol.get(kind))
            paths = _paths(source.get("items"))
            if paths is None:
                continue
            what = f'{label} "{source.get(ref, "")}"' if ref else label
            for message in _overlaps(paths, f'volume "{name}" ({what}): overlapping paths'):
                yield pv.path("volumes", i, kind, "items"), message, HINT
        all_paths: set = set()
        reported: set = set()
        paths, message = None, ""
        for j, src in enumerate(as_list(as_dict(vol.get("projected")).get("sources"))):
            if isinstance(src, dict) and all(v is None for v in src.values()):
                yield pv.path("volumes", i, "projected", "sources", j), f'volume "{name}" (Projected) has no sources provided', "remove the empty entry, or name a configMap, secret, downwardAPI or serviceAccountToken"
                continue
            # The server keeps the previous source's paths for a source that writes none it
            # knows (a configMap without items...), and checks them again: so does k8sgen.
            found_paths, found_message = _source(as_dict(src), name)
            if found_message:
                paths, message = found_paths, found_message
            if not paths:
                continue
            where = pv.path("volumes", i, "projected", "sources", j)
            # Within the source, then against every earlier source: the server sorts this
            # source's distinct paths together with the earlier ones (a list, not a set, so a
            # path two sources share collides with itself).
            for found in [*_overlaps(paths, message), *_overlaps(sorted([*set(paths), *all_paths]), message)]:
                if found not in reported:  # the server's warning recorder drops repeats too
                    reported.add(found)
                    yield where, found, HINT
            all_paths |= set(paths)
