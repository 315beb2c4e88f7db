"""Bugs found in the writer (k8sgen/yamltext.py), one test each."""

from __future__ import annotations

import pytest
import yaml

from k8sgen.yamltext import scalar


# go-yaml v2 (kubectl) strips `_` and uses Go's ParseInt(s, 0) and a float pattern, so these
# plain scalars were numbers to kubectl while PyYAML read them as text.
@pytest.mark.parametrize("s", ["0B101", "0X1F", "0O17", "09", "0129", "1e1_0", "-0B1", "0_9", "1__0.5"])
def test_go_yaml_numbers_are_quoted(s):
    assert scalar(s) == f'"{s}"' and yaml.safe_load(scalar(s)) == s


@pytest.mark.parametrize("s", ["100m", "64Mi", "v1.2.3", "1-0", "nginx:1.27", "0x", "0b", "1e", "x1e3"])
def test_other_digit_text_stays_plain(s):
    assert scalar(s) == s
