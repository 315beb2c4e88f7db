"""The label index of the reference checks finds exactly the pods a full scan finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgen.validate import Context, Manifest
from k8sgen.validate.references import _index, _selects

label_values = st.one_of(st.sampled_from(["a", "b", "web", ""]), st.integers(0, 2), st.booleans(), st.floats(allow_nan=True),
                         st.none(), st.lists(st.integers(0, 1), max_size=2))
label_maps = st.dictionaries(st.sampled_from(["app", "tier", "x"]), label_values, max_size=3)


def pod(i: int, ns: str, labels) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i}", "namespace": ns, "labels": labels},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}


@settings(max_examples=300, deadline=None)
@given(pods=st.lists(st.tuples(st.sampled_from(["default", "prod"]), label_maps), max_size=8),
       selector=label_maps, ns=st.sampled_from(["default", "prod", "none"]))
def test_index_equals_full_scan(pods, selector, ns):
    idx = _index(Context(kube_version=(1, 37), manifests=[Manifest(obj=pod(i, n, l)) for i, (n, l) in enumerate(pods)]))
    full = [p for p in idx.pods_in(ns) if _selects(selector, p.labels)]
    assert idx.pods_selected(ns, selector) == full
