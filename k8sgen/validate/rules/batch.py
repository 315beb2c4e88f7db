"""batch/v1 Jobs and CronJobs (`validateJobSpec`, `ValidateJobSpec`, `ValidateGeneratedSelector`,
`validatePodFailurePolicy`, `validatePodReplacementPolicy`, `ValidateCronJobCreate`,
`validateCronJobSpec`, `validateScheduleFormat`, `validateTimeZone`,
`ValidateJobTemplateSpec` in `pkg/apis/batch/validation/validation.go`).

A Job is seen after batch/v1 defaulting (completions and parallelism 1 when both are unset,
backoffLimit 6, completionMode NonIndexed, podReplacementPolicy); a CronJob's jobTemplate gets
only its pod template's defaults, as on the server. Unless `manualSelector: true`, the server
generates a Job's selector from its uid, so a selector written by hand is rejected ("`selector`
not auto-generated"); in a CronJob's jobTemplate a selector is always refused. successPolicy is
not checked yet.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ...errors import Problem
from . import cron, formats
from .registry import dicts, duplicate, get_dict, get_list, invalid, not_supported, required, rule, too_many
from .workloads import api_is, is_int, non_negative, selector_matches, template_labels, walk

COMPLETION_MODES = ("NonIndexed", "Indexed")
MAX_PARALLELISM_FOR_INDEXED_JOB = 100000
MAX_FAILED_INDEXES_LIMIT = 100000
COMPLETIONS_SOFT_LIMIT = 100000
PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10000
MAX_FAILED_INDEXES_FOR_HIGH_COMPLETIONS = 10000
MAX_SUCCESS_POLICY_RULES = 20
MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024
MAX_MANAGED_BY_LENGTH = 63
POD_FAILURE_ACTIONS = ("Count", "FailIndex", "FailJob", "Ignore")
EXIT_CODE_OPERATORS = ("In", "NotIn")
CONDITION_STATUSES = ("False", "True", "Unknown")
POD_REPLACEMENT_POLICIES = ("Failed", "TerminatingOrFailed")
MAX_POD_FAILURE_RULES = 20
MAX_ON_POD_CONDITIONS = 20
MAX_EXIT_CODE_VALUES = 255
CONCURRENCY_POLICIES = ("Allow", "Forbid", "Replace")
CRONJOB_NAME_MAX = 52
CONTROLLER_UID_LABELS = ("batch.kubernetes.io/controller-uid", "controller-uid")
JOB_NAME_LABELS = ("batch.kubernetes.io/job-name", "job-name")
GENERATED_UID = "\x00uid not known before the Job is created"  # 63 minus the 11-character suffix the controller appends to Job names


def job_spec_problems(rid: str, spec: dict, base: tuple) -> Iterator[Problem]:
    """validateJobSpec on `spec` at path `base`: counts, completion mode and restart policy."""
    for key in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex"):
        yield from non_negative(rid, spec, key, base)
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    per_index, max_failed = spec.get("backoffLimitPerIndex"), spec.get("maxFailedIndexes")
    if max_failed is not None:
        yield from non_negative(rid, spec, "maxFailedIndexes", base)
        if per_index is None:
            yield required(rid, base + ("backoffLimitPerIndex",), "when maxFailedIndexes is specified")
    mode = spec.get("completionMode")
    if mode is not None and mode not in COMPLETION_MODES:
        yield not_supported(rid, base + ("completionMode",), mode, COMPLETION_MODES)
    if mode == "Indexed":
        if completions is None:
            yield required(rid, base + ("completions",), "when completion mode is Indexed",
                          hint="an Indexed Job runs one pod per index 0..completions-1")
        if is_int(parallelism) and parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB:
            yield invalid(rid, base + ("parallelism",), parallelism, f"must be less than or equal to {MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed")
        if is_int(completions) and is_int(max_failed) and max_failed > completions:
            yield invalid(rid, base + ("maxFailedIndexes",), max_failed, "must be less than or equal to completions")
        if is_int(max_failed) and max_failed > MAX_FAILED_INDEXES_LIMIT:
            yield invalid(rid, base + ("maxFailedIndexes",), max_failed, f"must be less than or equal to {MAX_FAILED_INDEXES_LIMIT}")
        if is_int(completions) and completions > COMPLETIONS_SOFT_LIMIT and per_index is not None:
            if max_failed is None:
                yield required(rid, base + ("maxFailedIndexes",), f"must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}")
            high = f"when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
            if is_int(parallelism) and parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS:
                yield invalid(rid, base + ("parallelism",), parallelism, f"must be less than or equal to {PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} {high}")
            if is_int(max_failed) and max_failed > MAX_FAILED_INDEXES_FOR_HIGH_COMPLETIONS:
                yield invalid(rid, base + ("maxFailedIndexes",), max_failed, f"must be less than or equal to {MAX_FAILED_INDEXES_FOR_HIGH_COMPLETIONS} {high}")
    elif mode in (None, "NonIndexed"):
        if per_index is not None:
            yield invalid(rid, base + ("backoffLimitPerIndex",), per_index, "requires indexed completion mode",
                          hint="set completionMode: Indexed")
        if max_failed is not None:
            yield invalid(rid, base + ("maxFailedIndexes",), max_failed, "requires indexed completion mode")
    managed = spec.get("managedBy")
    if isinstance(managed, str):
        for msg in _domain_prefixed_path(managed):
            yield invalid(rid, base + ("managedBy",), managed, msg)
        if len(managed) > MAX_MANAGED_BY_LENGTH:
            yield invalid(rid, base + ("managedBy",), managed, f"Too long: may not be more than {MAX_MANAGED_BY_LENGTH} bytes")
    success = spec.get("successPolicy")
    if isinstance(success, dict):
        if mode != "Indexed":
            yield invalid(rid, base + ("successPolicy",), success, "requires indexed completion mode")
        else:
            yield from _success_policy(rid, success, completions, base + ("successPolicy",))
    pfp = spec.get("podFailurePolicy")
    replacement = spec.get("podReplacementPolicy")
    if replacement is not None:
        if pfp is not None and replacement != "Failed":
            yield not_supported(rid, base + ("podReplacementPolicy",), replacement, ("Failed",),
                                hint="with a podFailurePolicy, pods are replaced only once they have failed")
        elif pfp is None and replacement not in POD_REPLACEMENT_POLICIES:
            yield not_supported(rid, base + ("podReplacementPolicy",), replacement, POD_REPLACEMENT_POLICIES)
    policy = get_dict(spec, "template", "spec").get("restartPolicy")
    rp = base + ("template", "spec", "restartPolicy")
    if policy in (None, "", "Always"):
        yield required(rid, rp, 'valid values: "OnFailure", "Never"',
                       hint="a Job's pods run to completion: set restartPolicy: Never or OnFailure (it defaults to Always)")
    elif policy not in ("OnFailure", "Never"):
        yield not_supported(rid, rp, policy, ("OnFailure", "Never"))
    elif pfp is not None and policy != "Never":
        yield invalid(rid, rp, policy, 'only "Never" is supported when podFailurePolicy is specified')


_PATH_CHARS = re.compile(r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+\Z")


def _domain_prefixed_path(value: str) -> list[str]:
    """IsDomainPrefixedPath: a DNS subdomain, a '/', and a non-empty HTTP path."""
    if "/" not in value:
        return ['must be a domain-prefixed path (such as "acme.io/foo")']
    host, path = value.split("/", 1)
    out = list(formats.is_dns1123_subdomain(host))
    if not path or not _PATH_CHARS.match(path):
        out.append("Invalid path: must be a valid HTTP path")
    return out


def _indexes(text: str, completions: int) -> tuple[int, str]:
    """validateIndexesFormat: ascending, non-overlapping "N" or "N-M" items below completions;
    (how many indexes, error)."""
    total, last = 0, -1
    for item in text.split(","):
        bounds = item.split("-")
        if len(bounds) > 2 or not all(b.isdigit() for b in bounds):
            return 0, f"cannot convert string to integer for index: {item!r}"
        lo, hi = int(bounds[0]), int(bounds[-1])
        if hi >= completions:
            return 0, f"too large index: {hi!r}"
        if lo > hi:
            return 0, f"non-increasing order, previous: {lo}, current: {hi}"
        if lo <= last:
            return 0, f"non-increasing order, previous: {last}, current: {lo}"
        total += hi - lo + 1
        last = hi
    return total, ""


def _success_policy(rid: str, policy: dict, completions: object, path: tuple) -> Iterator[Problem]:
    rules = get_list(policy, "rules")
    rp = path + ("rules",)
    if not rules:
        yield required(rid, rp, "at least one rules must be specified when the successPolicy is specified")
    if len(rules) > MAX_SUCCESS_POLICY_RULES:
        yield too_many(rid, rp, len(rules), MAX_SUCCESS_POLICY_RULES)
    if not is_int(completions):
        return  # an Indexed Job without completions is reported at spec.completions
    for i, r in dicts(rules):
        p = rp + (i,)
        count, indexes = r.get("succeededCount"), r.get("succeededIndexes")
        if count is None and indexes is None:
            yield required(rid, p, "at least one of succeededCount or succeededIndexes must be specified")
        total = None
        if isinstance(indexes, str):
            if len(indexes) > MAX_SUCCEEDED_INDEXES_LENGTH:
                yield invalid(rid, p + ("succeededIndexes",), indexes, f"Too long: may not be more than {MAX_SUCCEEDED_INDEXES_LENGTH} bytes")
            total, err = _indexes(indexes, completions)
            if err:
                yield invalid(rid, p + ("succeededIndexes",), indexes, f"error parsing succeededIndexes: {err}")
        if is_int(count):
            cp = p + ("succeededCount",)
            if count < 0:
                yield invalid(rid, cp, count, "must be greater than or equal to 0")
            if count > completions:
                yield invalid(rid, cp, count, f"must be less than or equal to {completions} (the number of specified completions)")
            if total is not None and count > total:
                yield invalid(rid, cp, count, f"must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)")


def pod_failure_policy_problems(rid: str, spec: dict, base: tuple) -> Iterator[Problem]:
    pfp = spec.get("podFailurePolicy")
    if not isinstance(pfp, dict):
        return
    path = base + ("podFailurePolicy", "rules")
    rules = get_list(pfp, "rules")
    if len(rules) > MAX_POD_FAILURE_RULES:
        yield too_many(rid, path, len(rules), MAX_POD_FAILURE_RULES)
    tspec = get_dict(spec, "template", "spec")
    names = {c.get("name") for f in ("containers", "initContainers") for _, c in dicts(get_list(tspec, f)) if isinstance(c.get("name"), str)}
    for i, r in dicts(rules):
        p = path + (i,)
        action = r.get("action")
        if not action:
            yield required(rid, p + ("action",), 'valid values: ["Count" "FailIndex" "FailJob" "Ignore"]')
        elif action == "FailIndex":
            if spec.get("backoffLimitPerIndex") is None:
                yield invalid(rid, p + ("action",), action, "requires the backoffLimitPerIndex to be set")
        elif action not in POD_FAILURE_ACTIONS:
            yield not_supported(rid, p + ("action",), action, POD_FAILURE_ACTIONS)
        codes = r.get("onExitCodes")
        conditions = get_list(r, "onPodConditions")
        if isinstance(codes, dict):
            yield from _on_exit_codes(rid, codes, p + ("onExitCodes",), names)
        if conditions:
            if len(conditions) > MAX_ON_POD_CONDITIONS:
                yield too_many(rid, p + ("onPodConditions",), len(conditions), MAX_ON_POD_CONDITIONS)
            for j, pattern in dicts(conditions):
                pp = p + ("onPodConditions", j)
                ctype = pattern.get("type") if isinstance(pattern.get("type"), str) else ""
                for msg in formats.is_qualified_name(ctype):
                    yield invalid(rid, pp + ("type",), ctype, msg)
                status = pattern.get("status")
                if not status:
                    yield required(rid, pp + ("status",), 'valid values: ["False" "True" "Unknown"]')
                elif status not in CONDITION_STATUSES:
                    yield not_supported(rid, pp + ("status",), status, CONDITION_STATUSES)
        if isinstance(codes, dict) and conditions:
            yield invalid(rid, p, "", "specifying both OnExitCodes and OnPodConditions is not supported")
        if not isinstance(codes, dict) and not conditions:
            yield invalid(rid, p, "", "specifying one of OnExitCodes and OnPodConditions is required")


def _on_exit_codes(rid: str, codes: dict, path: tuple, names: set) -> Iterator[Problem]:
    op = codes.get("operator")
    if not op:
        yield required(rid, path + ("operator",), 'valid values: ["In" "NotIn"]')
    elif op not in EXIT_CODE_OPERATORS:
        yield not_supported(rid, path + ("operator",), op, EXIT_CODE_OPERATORS)
    cname = codes.get("containerName")
    if isinstance(cname, str) and cname not in names:
        yield invalid(rid, path + ("containerName",), cname, "must be one of the container or initContainer names in the pod template")
    values = get_list(codes, "values")
    vp = path + ("values",)
    if not values:
        yield invalid(rid, vp, values, "at least one value is required")
    elif len(values) > MAX_EXIT_CODE_VALUES:
        yield too_many(rid, vp, len(values), MAX_EXIT_CODE_VALUES)
    seen: set = set()
    ordered = True
    for j, value in enumerate(values):
        if not is_int(value):
            continue
        if op == "In" and value == 0:
            yield invalid(rid, vp + (j,), value, "must not be 0 for the In operator", hint="exit code 0 is success; a failure policy never sees it")
        if value in seen:
            yield duplicate(rid, vp + (j,), value)
        seen.add(value)
        prev = values[j - 1] if j else None
        if is_int(prev) and prev > value:
            ordered = False
    if not ordered:
        yield invalid(rid, vp, values, "must be ordered", hint="list the exit codes in ascending order")


@rule("job-spec", ("Job",), "parallelism, completions, activeDeadlineSeconds, backoffLimit(PerIndex), maxFailedIndexes and ttlSecondsAfterFinished are >= 0; completionMode NonIndexed or Indexed (Indexed needs completions, and NAME-(completions-1) must be a DNS label; per-index limits and successPolicy need Indexed); managedBy a domain-prefixed path; podReplacementPolicy valid; the template's restartPolicy is OnFailure or Never (Never with a podFailurePolicy)")
def check_job_spec(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "batch/v1"):
        return
    spec = get_dict(obj, "spec")
    yield from job_spec_problems("job-spec", spec, ("spec",))
    name = get_dict(obj, "metadata").get("name")
    completions = spec.get("completions")
    if spec.get("completionMode") == "Indexed" and is_int(completions) and completions > 0 and isinstance(name, str) and name:
        host = f"{name}-{completions - 1}"
        if formats.is_dns1123_label(host):
            yield invalid("job-spec", ("metadata", "name"), name, f"will not able to create pod with invalid DNS label: {host}",
                          hint="an Indexed Job's pods are named NAME-INDEX, which must be a DNS-1123 label (at most 63 characters)")


@rule("job-pod-failure-policy", ("Job", "CronJob"), "podFailurePolicy: at most 20 rules, each with an action (Count, FailIndex with backoffLimitPerIndex, FailJob, Ignore) and exactly one of onExitCodes (In/NotIn, 1-255 ordered unique values, no 0 with In, a known containerName) and onPodConditions (qualified type, status True/False/Unknown)")
def check_pod_failure_policy(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "batch/v1"):
        return
    if obj["kind"] == "Job":
        yield from pod_failure_policy_problems("job-pod-failure-policy", get_dict(obj, "spec"), ("spec",))
    else:
        base = ("spec", "jobTemplate", "spec")
        yield from pod_failure_policy_problems("job-pod-failure-policy", get_dict(walk(obj, base)), base)


@rule("job-selector", ("Job",), "a Job's selector is generated by the server unless manualSelector is true; a manual selector is set, valid and matches the template labels")
def check_job_selector(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "batch/v1"):
        return
    rid = "job-selector"
    spec = get_dict(obj, "spec")
    selector = spec.get("selector")
    if spec.get("manualSelector") is not True:
        # The server adds controller-uid=<new uid> to the selector, then requires it to select
        # the generated labels: only selectors for the Job's own generated labels survive.
        name = get_dict(obj, "metadata").get("name")
        expected = {key: GENERATED_UID for key in CONTROLLER_UID_LABELS}
        expected.update({key: name if isinstance(name, str) else "" for key in JOB_NAME_LABELS})
        if isinstance(selector, dict) and not selector_matches(selector, expected):
            yield invalid(rid, ("spec", "selector"), selector, "`selector` not auto-generated",
                          hint="drop spec.selector (the server generates one from the Job's uid), or set manualSelector: true")
        return
    from .labels import check_label_selector

    if not isinstance(selector, dict):
        yield required(rid, ("spec", "selector"), hint="with manualSelector: true you must write the selector")
        return
    problems = list(check_label_selector(rid, selector, ("spec", "selector")))
    yield from problems
    labels = template_labels(spec.get("template"))
    if not problems and not selector_matches(selector, labels):
        yield invalid(rid, ("spec", "template", "metadata", "labels"), labels, "`selector` does not match template `labels`")


@rule("cronjob-schedule", ("CronJob",), "schedule is set and parses as a 5-field cron expression or a descriptor (@hourly, @daily, @every 1h, ...), without TZ= or CRON_TZ= (use timeZone)")
def check_schedule(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "batch/v1"):
        return
    rid = "cronjob-schedule"
    schedule = get_dict(obj, "spec").get("schedule")
    path = ("spec", "schedule")
    if not schedule:
        yield required(rid, path, hint='e.g. schedule: "*/5 * * * *" (every five minutes)')
        return
    if not isinstance(schedule, str):
        return
    err = cron.parse_error(schedule)
    if err:
        yield invalid(rid, path, schedule, err, hint="minute hour day-of-month month day-of-week, e.g. \"30 2 * * *\"")
    if "TZ" in schedule:
        yield invalid(rid, path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                      hint="move the zone to spec.timeZone, e.g. timeZone: Europe/Berlin")


_TZ_PART = re.compile(r"[A-Za-z._\-0-9+]{1,14}\Z")
# First segments of tz database names, the backward-compatible links included (US/Pacific...).
TZ_AREAS = frozenset({
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific",
    "Etc", "US", "Canada", "Mexico", "Brazil", "Chile", "SystemV",
})


@lru_cache(maxsize=1)
def _known_zones() -> frozenset:
    """IANA zone names from the system's tz database, or empty when it is not installed (then
    only the name's characters are checked: no false error for a zone we cannot look up)."""
    try:
        import zoneinfo

        zones = frozenset(zoneinfo.available_timezones())
    except Exception:  # pragma: no cover - no zoneinfo module or an unreadable tz database
        return frozenset()
    return zones if "America/New_York" in zones else frozenset()


@rule("cronjob-time-zone", ("CronJob",), "timeZone, when set, is a non-empty name from the tz database (e.g. Etc/UTC, Europe/Berlin)")
def check_time_zone(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "batch/v1"):
        return
    rid = "cronjob-time-zone"
    spec = get_dict(obj, "spec")
    if "timeZone" not in spec or spec["timeZone"] is None:
        return
    tz = spec["timeZone"]
    path = ("spec", "timeZone")
    if not isinstance(tz, str):
        return
    if not tz:
        yield invalid(rid, path, tz, "timeZone must be nil or non-empty string")
        return
    for part in tz.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TZ_PART.match(part):
            yield invalid(rid, path, tz, f"unknown time zone {tz}", hint="use a tz database name such as Etc/UTC or America/New_York")
            return
    zones = _known_zones()
    if tz in ("UTC", "Local"):
        return
    if zones:
        if tz not in zones:
            from .registry import did_you_mean

            yield invalid(rid, path, tz, f"unknown time zone {tz}", hint=did_you_mean(tz, sorted(zones)) or "use a tz database name such as Etc/UTC")
    elif "/" in tz and tz.split("/", 1)[0] not in TZ_AREAS:
        # Without a tz database only the area can be judged; an unknown city passes.
        yield invalid(rid, path, tz, f"unknown time zone {tz}", hint="use a tz database name such as Etc/UTC or America/New_York")


@rule("cronjob-spec", ("CronJob",), "name at most 52 characters; concurrencyPolicy Allow, Forbid or Replace; startingDeadlineSeconds and history limits >= 0; the jobTemplate is a valid Job spec without selector or manualSelector")
def check_cron_job_spec(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "batch/v1"):
        return
    rid = "cronjob-spec"
    name = get_dict(obj, "metadata").get("name")
    if isinstance(name, str) and len(name) > CRONJOB_NAME_MAX:
        yield invalid(rid, ("metadata", "name"), name, f"must be no more than {CRONJOB_NAME_MAX} characters",
                      hint="the controller appends an 11-character suffix to name each Job")
    spec = get_dict(obj, "spec")
    policy = spec.get("concurrencyPolicy")
    if not policy:
        yield required(rid, ("spec", "concurrencyPolicy"))
    elif policy not in CONCURRENCY_POLICIES:
        yield not_supported(rid, ("spec", "concurrencyPolicy"), policy, CONCURRENCY_POLICIES)
    for key in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        yield from non_negative(rid, spec, key, ("spec",))
    base = ("spec", "jobTemplate", "spec")
    jspec = get_dict(walk(obj, base))
    yield from job_spec_problems(rid, jspec, base)
    if jspec.get("selector") is not None:
        yield invalid(rid, base + ("selector",), jspec["selector"], "`selector` will be auto-generated",
                      hint="drop the selector: every Job the CronJob creates gets a generated one")
    if jspec.get("manualSelector") is True:
        yield not_supported(rid, base + ("manualSelector",), True, ("nil", "false"))
