"""Security contexts (`ValidateSecurityContext`, `validatePodSpecSecurityContext`,
`validateSeccompProfileField`, `ValidateAppArmorProfileField` in
`pkg/apis/core/validation/validation.go`)."""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from .podspec import containers, spec
from .registry import get_dict, get_list, invalid, not_supported, required, rule
from .volumes import local_descending_path

ID_RANGE_MSG = "must be between 0 and 2147483647, inclusive"
MAX_ID = 2147483647
PROFILE_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
PROC_MOUNTS = ("Default", "Unmasked")
FS_GROUP_CHANGE_POLICIES = ("Always", "OnRootMismatch")
SUPPLEMENTAL_GROUPS_POLICIES = ("Merge", "Strict")
MAX_APPARMOR_PROFILE = 4095


def _ids(rid: str, sc: dict, fields: tuple, path: tuple) -> Iterator[Problem]:
    for f in fields:
        v = sc.get(f)
        if isinstance(v, int) and not 0 <= v <= MAX_ID:
            yield invalid(rid, path + (f,), v, ID_RANGE_MSG)


def _profile(rid: str, prof: object, what: str, path: tuple) -> Iterator[Problem]:
    if not isinstance(prof, dict):
        return
    t = prof.get("type") or ""
    if not t:
        yield required(rid, path + ("type",), f"type is required when {'seccompProfile' if what == 'seccomp' else 'appArmorProfile'} is set")
    elif t not in PROFILE_TYPES:
        yield not_supported(rid, path + ("type",), t, PROFILE_TYPES)
    local = prof.get("localhostProfile")
    if t == "Localhost":
        if local is None:
            yield required(rid, path + ("localhostProfile",), f"must be set when {what} type is Localhost")
        elif what == "seccomp":
            yield from local_descending_path(rid, local, path + ("localhostProfile",))
        elif not local.strip():
            yield required(rid, path + ("localhostProfile",), "must be set when AppArmor type is Localhost")
        elif len(local) > MAX_APPARMOR_PROFILE:
            yield invalid(rid, path + ("localhostProfile",), local, f"must be no more than {MAX_APPARMOR_PROFILE} characters")
    elif local is not None:
        yield invalid(rid, path + ("localhostProfile",), prof, f"can only be set when {what} type is Localhost")


@rule("pod-security-context", ("Pod",), "security contexts: user and group ids 0-2147483647, seccomp/AppArmor profile types with localhostProfile only (and always) for Localhost, allowPrivilegeEscalation false not combined with privileged or CAP_SYS_ADMIN, known procMount and fsGroupChangePolicy")
def check_security_context(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-security-context"
    s = spec(obj)
    psc = get_dict(s, "securityContext")
    pp = ("spec", "securityContext")
    yield from _ids(rid, psc, ("runAsUser", "runAsGroup", "fsGroup"), pp)
    for i, g in enumerate(get_list(psc, "supplementalGroups")):
        if isinstance(g, int) and not 0 <= g <= MAX_ID:
            yield invalid(rid, pp + ("supplementalGroups", i), g, ID_RANGE_MSG)
    policy = psc.get("fsGroupChangePolicy")
    if isinstance(policy, str) and policy not in FS_GROUP_CHANGE_POLICIES:
        yield not_supported(rid, pp + ("fsGroupChangePolicy",), policy, FS_GROUP_CHANGE_POLICIES)
    sgp = psc.get("supplementalGroupsPolicy")
    if isinstance(sgp, str) and sgp not in SUPPLEMENTAL_GROUPS_POLICIES:
        yield not_supported(rid, pp + ("supplementalGroupsPolicy",), sgp, SUPPLEMENTAL_GROUPS_POLICIES)
    yield from _profile(rid, psc.get("seccompProfile"), "seccomp", pp + ("seccompProfile",))
    yield from _profile(rid, psc.get("appArmorProfile"), "AppArmor", pp + ("appArmorProfile",))
    host_users = psc.get("hostUsers", True) is not False
    for path, c in containers(obj):
        sc = c.get("securityContext")
        if not isinstance(sc, dict):
            continue
        p = path + ("securityContext",)
        yield from _ids(rid, sc, ("runAsUser", "runAsGroup"), p)
        proc = sc.get("procMount")
        if isinstance(proc, str):
            if proc not in PROC_MOUNTS:
                yield not_supported(rid, p + ("procMount",), proc, PROC_MOUNTS)
            elif proc == "Unmasked" and host_users:
                yield invalid(rid, p + ("procMount",), proc, "`hostUsers` must be false to use `Unmasked`")
        yield from _profile(rid, sc.get("seccompProfile"), "seccomp", p + ("seccompProfile",))
        yield from _profile(rid, sc.get("appArmorProfile"), "AppArmor", p + ("appArmorProfile",))
        if sc.get("allowPrivilegeEscalation") is False:
            if sc.get("privileged") is True:
                yield invalid(rid, p, sc, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                              hint="a privileged container can always escalate: drop one of them")
            if "CAP_SYS_ADMIN" in get_list(sc, "capabilities", "add"):
                yield invalid(rid, p, sc, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN")
