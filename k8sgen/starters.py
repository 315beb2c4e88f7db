"""Starter specs for `k8sgen init STORY`, one per story. Each renders and validates as written.

`{name}` is the spec's file stem (web for web.k8sgen.yaml); `{output_dir}` is manifests/NAME of the
directory `init` runs in, relative to the spec (init.output_dir).
"""

from __future__ import annotations

STARTERS: dict[str, tuple[str, str]] = {
    "downward-api": (
        "a pod that reads its own name, namespace, IP and limits from environment variables",
        """\
# A pod that learns about itself through the downward API.
outputDir: {output_dir}
namespace: default
pods:
  {name}:
    image: busybox:1.36
    command: [sleep, "infinity"]
    resources:
      limits: {{cpu: 100m, memory: 64Mi}}
    downward:
      env:
        POD_NAME: metadata.name
        POD_NAMESPACE: metadata.namespace
        POD_IP: status.podIP
        MEMORY_LIMIT_KIBIBYTES: limits.memory/1Ki
""",
    ),
    "api-access": (
        "a pod that may read pods in its namespace through its own ServiceAccount (least privilege)",
        """\
# A pod that talks to the API server as its own ServiceAccount, allowed to read pods only.
# The api-proxy ambassador serves the API on http://localhost:8001 inside the pod.
outputDir: {output_dir}
namespace: default
serviceAccounts:
  {name}:
    rules:
      - resources: [pods]
        verbs: [get, list, watch]
pods:
  {name}:
    image: curlimages/curl:8.11.1
    command: [sleep, "infinity"]
    serviceAccount: {name}
    apiProxy: true
    resources:
      limits: {{cpu: 100m, memory: 64Mi}}
""",
    ),
    "headless": (
        "two pods with stable DNS names behind a headless Service",
        """\
# Stable DNS for pods: each gets HOSTNAME.{name}.NAMESPACE.svc.cluster.local.
outputDir: {output_dir}
namespace: default
pods:
  {name}-a:
    image: nginx:1.27
    labels: {{app: {name}}}
    hostname: {name}-a
    subdomain: {name}
    ports: [8080]
    resources:
      limits: {{cpu: 100m, memory: 64Mi}}
  {name}-b:
    image: nginx:1.27
    labels: {{app: {name}}}
    hostname: {name}-b
    subdomain: {name}
    ports: [8080]
    resources:
      limits: {{cpu: 100m, memory: 64Mi}}
services:
  {name}:
    headless: true
    selector: {{app: {name}}}
    ports: ["80:8080"]
""",
    ),
    "external-service": (
        "a Service name inside the cluster for a host outside it (ExternalName)",
        """\
# {name}.default.svc.cluster.local becomes a CNAME for an outside DNS name.
outputDir: {output_dir}
namespace: default
services:
  {name}:
    externalName: db.example.com
""",
    ),
}
