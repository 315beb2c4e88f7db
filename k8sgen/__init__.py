"""k8sgen: a short declarative YAML spec in, validated ready-to-apply Kubernetes manifests out.

Use from Python:

    import k8sgen
    objects = k8sgen.render("spec.yaml")            # or a dict holding the spec
    objects = k8sgen.render({"pods": {"web": {"image": "nginx:1.27"}}}, kube_version="1.36")

`render` returns a list of dicts in apply order and raises `k8sgen.K8sgenError` (its `.problems`
carry file:line:col positions) if the spec is invalid or an object would be rejected.
`render_specs` returns everything (objects with their YAML text, and all problems, warnings too).
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["render", "render_specs", "validate_paths", "K8sgenError", "Problem", "__version__"]


def __getattr__(name: str):
    # Lazy: `k8sgen --version` and `--help` must not pay for jinja2 and jsonschema.
    if name in ("render", "render_specs", "validate_paths"):
        from . import pipeline

        return getattr(pipeline, name)
    if name in ("K8sgenError", "Problem"):
        from . import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'k8sgen' has no attribute {name!r}")
