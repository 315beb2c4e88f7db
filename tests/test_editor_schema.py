"""The spec schema in a real editor backend: yaml-language-server (the engine of the YAML support
in VS Code, Neovim, Helix, …) reads the modeline `k8sgen init` writes and checks the spec.

yaml-language-server comes from PATH, or is installed from npm into a temporary directory
(node and npm needed; in CI, K8SGEN_CI=1, a missing tool fails the test).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ecosystem_util import k8sgen_cmd, require_tool
from lsp_client import LspClient

YLS_VERSION = "1.25.0"
SETTINGS = {"yaml": {"validate": True, "hover": True, "schemaStore": {"enable": False}, "schemas": {}}}


@pytest.fixture(scope="module")
def yaml_language_server(tmp_path_factory) -> list[str]:
    found = shutil.which("yaml-language-server")
    if found:
        return [found, "--stdio"]
    require_tool("node")
    npm = require_tool("npm")
    prefix = tmp_path_factory.mktemp("yls")
    r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix), f"yaml-language-server@{YLS_VERSION}"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return [str(prefix / "node_modules" / ".bin" / "yaml-language-server"), "--stdio"]


@pytest.fixture
def editor(yaml_language_server, tmp_path):
    client = LspClient(yaml_language_server, tmp_path, SETTINGS)
    yield client
    client.close()


@pytest.mark.parametrize("story", ["api-access", "downward-api", "external-service", "headless"])
def test_starter_specs_are_clean_in_the_editor(editor, tmp_path, story):
    assert k8sgen_cmd("init", story, "app.k8sgen.yaml", cwd=tmp_path).returncode == 0
    assert editor.diagnostics(tmp_path / "app.k8sgen.yaml") == []


def test_the_editor_flags_an_unknown_key_where_k8sgen_does(editor, tmp_path):
    assert k8sgen_cmd("init", "headless", "web.k8sgen.yaml", cwd=tmp_path).returncode == 0
    spec = tmp_path / "web.k8sgen.yaml"
    spec.write_text(spec.read_text().replace("    image: ", "    imag: ", 1))
    [d] = editor.diagnostics(spec)
    assert d["message"] == "Property imag is not allowed."
    assert d["source"].startswith("yaml-schema: k8sgen spec")
    start = d["range"]["start"]
    r = k8sgen_cmd("validate", str(spec), cwd=tmp_path)
    assert f"web.k8sgen.yaml:{start['line'] + 1}:{start['character'] + 1}: error: unknown key 'imag'" in r.stderr


def test_descriptions_show_on_hover(editor, tmp_path):
    assert k8sgen_cmd("init", "external-service", "db.k8sgen.yaml", cwd=tmp_path).returncode == 0
    spec = tmp_path / "db.k8sgen.yaml"
    editor.diagnostics(spec)  # opens the document
    line = spec.read_text().splitlines().index("outputDir: manifests/db")
    assert "relative to this spec file" in editor.hover(spec, line, 2)
