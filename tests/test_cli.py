"""End-to-end CLI behaviour: exact output, streams and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

from conftest import EXAMPLES, ROOT, run_cli

HEADLESS = str(EXAMPLES / "headless.yaml")
EXTERNAL = str(EXAMPLES / "externalname.yaml")


def test_render_exact_output():
    ran = run_cli("render", EXTERNAL)
    assert (ran.code, ran.err) == (0, "")
    assert ran.out == (
        "apiVersion: v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  name: externalname1\n"
        "  namespace: default\n"
        "spec:\n"
        "  type: ExternalName\n"
        "  externalName: github.github.io\n"
    )


def test_render_several_specs_in_apply_order():
    ran = run_cli("render", str(EXAMPLES / "api-access.yaml"), HEADLESS, EXTERNAL)
    assert ran.code == 0, ran
    kinds = [d["kind"] for d in yaml.safe_load_all(ran.out)]
    assert kinds == ["ServiceAccount", "Role", "RoleBinding", "Service", "Service", "Pod", "Pod", "Pod"]


def test_render_stdin():
    ran = run_cli("render", "-", stdin=(EXAMPLES / "externalname.yaml").read_text())
    assert ran.code == 0 and "externalName: github.github.io" in ran.out


def test_stdin_errors_name_stdin():
    ran = run_cli("render", "-", stdin="pods:\n  web:\n    imagee: x\n")
    assert ran.code == 1 and ran.out == ""
    assert ran.err.startswith("<stdin>:3:5: error: unknown key 'imagee' (spec-unknown-key)\n")


def test_render_json_list():
    ran = run_cli("render", HEADLESS, "-o", "json")
    doc = json.loads(ran.out)
    assert doc["kind"] == "List" and [i["kind"] for i in doc["items"]] == ["Service", "Pod", "Pod"]


def test_invalid_renders_nothing(tmp_path):
    spec = tmp_path / "s.yaml"
    # The first pod is fine, the second is not: nothing at all may be printed.
    spec.write_text("pods:\n  ok: {image: nginx:1.27}\n  bad: {image: nginx:1.27, restartPolicy: Sometimes}\n")
    ran = run_cli("render", str(spec))
    assert ran.code == 1 and ran.out == ""
    assert "'Sometimes' is not one of: Always, OnFailure, Never" in ran.err


def test_missing_file_exit_2():
    ran = run_cli("render", "no/such/spec.yaml")
    assert (ran.code, ran.out) == (2, "")
    assert ran.err == "no/such/spec.yaml: error: no such file (input-missing)\n  hint: check the path; use '-' to read from stdin\n"


def test_usage_errors_exit_2():
    assert run_cli("render").code == 2
    assert run_cli("render", HEADLESS, "-o", "xml").code == 2
    assert run_cli("nosuchcommand").code == 2
    assert run_cli("render", HEADLESS, "--kube-version", "1.2").code == 2


def test_kube_version_option():
    for v in ("1.35", "1.36", "v1.37", "1.37.3"):
        assert run_cli("render", HEADLESS, "--kube-version", v).code == 0


def test_validate_spec_and_manifests_together(tmp_path):
    good = run_cli("render", HEADLESS).out
    (tmp_path / "good.yaml").write_text(good)
    (tmp_path / "bad.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: eighty\n"
    )
    ran = run_cli("validate", str(tmp_path / "good.yaml"), HEADLESS)
    assert (ran.code, ran.out) == (0, "")
    assert ran.err == "summary: 6 objects checked (Pod 4, Service 2), 1 spec; 0 not checked; 0 files skipped; 0 errors, 0 warnings\n"
    ran = run_cli("validate", str(tmp_path / "bad.yaml"), "--format", "json")
    assert ran.code == 1
    [p] = json.loads(ran.out)["problems"]
    assert p["file"].endswith("bad.yaml") and (p["line"], p["column"]) == (10, 22)
    assert p["path"] == "spec.containers[0].ports[0].containerPort"
    assert p["object"] == "Pod/web"
    assert p["severity"] == "error" and p["rule"].startswith("k8s-schema")


def test_validate_parsable_format(tmp_path):
    f = tmp_path / "svc.yaml"
    f.write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    protocoll: TCP\n")
    ran = run_cli("validate", str(f))
    assert ran.code == 1
    assert ran.err.splitlines()[0] == (
        f'{f}:8:5: error: Service/web: spec.ports[0].protocoll: unknown field "protocoll" (k8s-schema-unknown-field)'
    )


def test_validate_github_format(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("pods:\n  web:\n    imagee: x\n")
    ran = run_cli("validate", str(f), "--format", "github")
    assert ran.code == 1
    assert ran.err.startswith(f"::error file={f},line=3,col=5,title=spec-unknown-key::unknown key 'imagee' (hint: did you mean 'image'?)")


def test_schema_command():
    ran = run_cli("schema")
    schema = json.loads(ran.out)
    assert ran.code == 0 and schema["$schema"].endswith("2020-12/schema")


def test_version_command():
    from k8sgen import __version__

    ran = run_cli("version")
    assert ran.code == 0 and ran.out.startswith(f"k8sgen {__version__}\nkubernetes 1.37 (default")
    assert run_cli("--version").out == f"k8sgen {__version__}\n"


def test_help_lists_commands_and_examples():
    ran = run_cli("--help")
    assert ran.code == 0
    for cmd in ("render", "validate", "schema", "version"):
        assert cmd in ran.out
    assert "k8sgen render app.yaml | kubectl apply -f -" in run_cli("render", "--help").out


def test_real_process_no_traceback(tmp_path):
    """The installed entry point: errors are one line plus a hint, never a traceback."""
    f = tmp_path / "s.yaml"
    f.write_bytes(b"pods:\n  web:\n    image: \xff\xfe\n")
    proc = subprocess.run([sys.executable, "-m", "k8sgen", "render", str(f)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{f}:3:12: error: not valid UTF-8")


def test_same_object_from_two_specs(tmp_path):
    (tmp_path / "a.yaml").write_text("pods:\n  web: {image: nginx:1.27}\n")
    (tmp_path / "b.yaml").write_text("namespace: default\npods:\n  web: {image: nginx:1.28}\n")
    ran = run_cli("render", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"))
    assert (ran.code, ran.out) == (1, "")
    assert ran.err == (
        f"{tmp_path}/b.yaml:3:3: error: Pod 'web' is produced twice (also by pods.web at {tmp_path}/a.yaml:2:3) (spec-duplicate-object)\n"
        "  hint: rename one of them, or give the specs different namespaces\n"
    )
