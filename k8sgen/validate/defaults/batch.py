"""batch/v1 defaulting (`pkg/apis/batch/v1/defaults.go`): Job and CronJob.

A CronJob's jobTemplate gets the pod defaults of its template but not `SetDefaults_Job`
(the generated defaulter only walks into the pod template), so completions, backoffLimit and
completionMode stay as written there.
"""

from __future__ import annotations

from . import core
from .util import child, default, default_missing, items, mapping

MAX_INT32 = 2147483647


def job_spec_defaults(spec: dict) -> None:
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    default_missing(spec, "parallelism", 1)
    if spec.get("backoffLimit") is None:
        # With a per-index limit the global one would only get in the way.
        spec["backoffLimit"] = MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6
    default_missing(spec, "completionMode", "NonIndexed")
    default_missing(spec, "suspend", False)
    pfp = mapping(spec, "podFailurePolicy")
    for r in items(pfp, "rules"):
        for pattern in items(r, "onPodConditions"):
            default(pattern, "status", "True")
    default_missing(spec, "podReplacementPolicy", "Failed" if pfp is not None else "TerminatingOrFailed")


def job(obj: dict) -> None:
    spec = child(obj, "spec")
    if spec is None:
        return
    job_spec_defaults(spec)
    template = child(spec, "template")  # a struct in Go: defaulted even when absent
    labels = mapping(mapping(template, "metadata"), "labels")
    meta = child(obj, "metadata")
    if labels is not None and meta is not None and not meta.get("labels"):
        meta["labels"] = dict(labels)
    if template is not None:
        core.pod_template(template)


def cron_job(obj: dict) -> None:
    spec = child(obj, "spec")
    if spec is None:
        return
    default(spec, "concurrencyPolicy", "Allow")
    default_missing(spec, "suspend", False)
    default_missing(spec, "successfulJobsHistoryLimit", 3)
    default_missing(spec, "failedJobsHistoryLimit", 1)
    job_template = child(spec, "jobTemplate")
    job_spec = child(job_template, "spec") if job_template is not None else None
    template = child(job_spec, "template") if job_spec is not None else None
    if template is not None:
        core.pod_template(template)


DEFAULTERS = {
    ("batch/v1", "Job"): job,
    ("batch/v1", "CronJob"): cron_job,
}
