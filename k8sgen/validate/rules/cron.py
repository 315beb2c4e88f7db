"""Cron schedules as the API server parses them: `cron.ParseStandard` of robfig/cron v3
(`validateScheduleFormat` in `pkg/apis/batch/validation/validation.go`).

Five fields (minute, hour, day of month, month, day of week) of `*`, `?`, numbers, names
(JAN-DEC, SUN-SAT, any case), ranges `a-b`, steps `/n` and lists; or a descriptor (@yearly,
@annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>). A `TZ=` or
`CRON_TZ=` prefix parses, and the validation then rejects it (use spec.timeZone). Messages
follow the library's wording where it is short; they are ours otherwise.
"""

from __future__ import annotations

import re

FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 6))
MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
DAYS = {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
_DURATION = re.compile(r"[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+\Z")


def parse_error(schedule: str) -> str:
    """Why ParseStandard rejects a schedule, or "" when it parses."""
    spec = schedule.strip()
    if spec.startswith(("TZ=", "CRON_TZ=")):
        i = spec.find(" ")
        if i < 0:
            return "provided bad location: missing schedule after the time zone"
        spec = spec[i:].strip()
    if not spec:
        return "empty spec string"
    if spec.startswith("@"):
        if spec in DESCRIPTORS:
            return ""
        if spec.startswith("@every "):
            dur = spec[len("@every "):].strip()
            if dur == "0" or _DURATION.match(dur):
                return ""
            return f"failed to parse duration {spec}: time: invalid duration \"{dur}\""
        return f"unrecognized descriptor: {spec}"
    fields = spec.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]"
    for text, (name, lo, hi) in zip(fields, FIELDS):
        names = MONTHS if name == "month" else DAYS if name == "day of week" else {}
        for part in text.split(","):
            err = _range_error(part, lo, hi, names)
            if err:
                return err
    return ""


def _number(text: str, names: dict) -> tuple[int | None, str]:
    if text.lower() in names:
        return names[text.lower()], ""
    if text.isdigit():
        return int(text), ""
    return None, f"failed to parse int from {text}: strconv.Atoi: parsing \"{text}\": invalid syntax"


def _range_error(expr: str, lo: int, hi: int, names: dict) -> str:
    range_and_step = expr.split("/")
    if len(range_and_step) > 2:
        return f"too many slashes: {expr}"
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    if low_and_high[0] in ("*", "?"):
        if not single:
            return f"too many hyphens: {expr}"
        start, end = lo, hi
    else:
        if len(low_and_high) > 2:
            return f"too many hyphens: {expr}"
        start, err = _number(low_and_high[0], names)
        if err:
            return err
        end = start
        if not single:
            end, err = _number(low_and_high[1], names)
            if err:
                return err
    if len(range_and_step) == 2:
        step, err = _number(range_and_step[1], {})
        if err:
            return err
        if step == 0:
            return f"step of range should be a positive number: {expr}"
        if single and low_and_high[0] not in ("*", "?"):
            end = hi  # "N/step" means N-max/step
    if start < lo:
        return f"beginning of range ({start}) below minimum ({lo}): {expr}"
    if end > hi:
        return f"end of range ({end}) above maximum ({hi}): {expr}"
    if start > end:
        return f"beginning of range ({start}) beyond end of range ({end}): {expr}"
    return ""
