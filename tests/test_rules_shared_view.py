"""Views several API-server rules build from one object (its containers, a Service's fields)
are built once per `rules.check` call and never outlive it."""

from __future__ import annotations

from k8sgen.validate import rules
from k8sgen.validate.rules import podspec, registry


def pod(image: str = "nginx") -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
            "spec": {"containers": [{"name": "c", "image": image}]}}


class Ctx:
    kube_version = (1, 35)
    manifests: list = []
    external: dict = {}
    profile = ""


def test_containers_are_walked_once_per_check(monkeypatch):
    calls = []
    real = podspec._containers

    def counting(obj, fields):
        calls.append(fields)
        return real(obj, fields)

    monkeypatch.setattr(podspec, "_containers", counting)
    list(rules.check(pod(), Ctx()))
    assert calls, "the rules walk containers"
    assert len(calls) == len(set(calls)), "each field set is walked once per object"
    assert registry._MEMO == []  # nothing outlives the check


def test_outside_check_a_changed_object_is_seen():
    p = pod()
    assert [c["name"] for _, c in podspec.containers(p)] == ["c"]
    p["spec"]["containers"].append({"name": "d", "image": "x"})
    assert [c["name"] for _, c in podspec.containers(p)] == ["c", "d"]


def test_problems_are_the_same_on_each_of_two_objects_checked_in_turn():
    # A second object must not see the first one's views (the memo is per check and per object).
    ok, bad = pod(), pod("")
    first = [p.rule for p in rules.check(ok, Ctx())]
    second = [p.rule for p in rules.check(bad, Ctx())]
    assert first == [] and second == ["pod-container-image"]
