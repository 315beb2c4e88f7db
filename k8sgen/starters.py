"""Starter specs for `k8sgen init STORY`, one per story. Each renders and validates as written,
with no warning under the default (recommended) lint profile; tests/test_first_contact.py checks it.

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
    # busybox needs no root and writes nothing: nobody, read-only, no capabilities.
    podSecurityContext:
      runAsNonRoot: true
      runAsUser: 65534
      runAsGroup: 65534
      seccompProfile: {{type: RuntimeDefault}}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {{drop: [ALL]}}
    # It only sleeps (for `kubectl exec`): nothing to probe.
    ignore: [lint-probes]
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
    # Both containers run as the image's curl_user (uid 100).
    podSecurityContext:
      runAsNonRoot: true
      runAsUser: 100
      seccompProfile: {{type: RuntimeDefault}}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {{drop: [ALL]}}
    readinessProbe: {{exec: {{command: [curl, -sf, -o, /dev/null, "http://localhost:8001/readyz"]}}}}
    # The {name} container only sleeps: it has no liveness to check. (The api-proxy container
    # k8sgen adds comes hardened and is not asked for probes: nothing outside the pod reaches it.)
    ignore: [lint-probes]
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
    # nginx built to run as uid 101 on port 8080; it writes only to /tmp.
    image: nginxinc/nginx-unprivileged:1.27
    labels: {{app: {name}}}
    hostname: {name}-a
    subdomain: {name}
    ports: [8080]
    resources:
      limits: {{cpu: 100m, memory: 64Mi}}
    readinessProbe: {{httpGet: {{path: /, port: 8080}}}}
    livenessProbe: {{tcpSocket: {{port: 8080}}}}
    podSecurityContext:
      runAsNonRoot: true
      runAsUser: 101
      runAsGroup: 101
      seccompProfile: {{type: RuntimeDefault}}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {{drop: [ALL]}}
    volumes:
      tmp: {{emptyDir: {{}}}}
    mounts:
      /tmp: tmp
  {name}-b:
    like: {name}-a        # the same pod, with its own hostname
    hostname: {name}-b
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
    "web": (
        "a web Deployment with its configuration in a ConfigMap and a Service in front",
        """\
# A Deployment of nginx pods configured from a ConfigMap, behind a Service. The ConfigMap's
# name carries a hash of its content: change the config and the pods roll.
outputDir: manifests/{name}
namespace: default
configMaps:
  {name}-config:
    hashSuffix: true
    data:
      MODE: production
deployments:
  {name}:
    # nginx built to run as uid 101 on port 8080; it writes only to /tmp.
    image: nginxinc/nginx-unprivileged:1.27
    replicas: 2
    labels: {{app: {name}}}
    ports: ["http:8080"]
    envFrom:
      - configMap: {name}-config
    readinessProbe: {{httpGet: {{path: /, port: http}}}}
    livenessProbe: {{tcpSocket: {{port: http}}}}
    resources:
      limits: {{cpu: 200m, memory: 64Mi}}
    podSecurityContext:
      runAsNonRoot: true
      runAsUser: 101
      runAsGroup: 101
      seccompProfile: {{type: RuntimeDefault}}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {{drop: [ALL]}}
    volumes:
      tmp: {{emptyDir: {{}}}}
    mounts:
      /tmp: tmp
    # The spec has no affinity field yet: spread the replicas with a kustomize patch.
    ignore: [lint-anti-affinity]
services:
  {name}:
    selectWorkload: {name}
    ports: ["80:http"]
manifests:
  # A node drain evicts one pod at a time; a crash-looping pod does not block it.
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {{name: {name}, namespace: default}}
    spec:
      maxUnavailable: 1
      selector: {{matchLabels: {{app: {name}}}}}
      unhealthyPodEvictionPolicy: AlwaysAllow
""",
    ),
    "statefulset": (
        "a StatefulSet with stable pod names and DNS (its headless Service) and a volume claim per pod",
        """\
# Pods {name}-0, {name}-1 with DNS names {name}-0.{name}.default.svc.cluster.local, each with
# its own claim data-{name}-N. The headless Service {name} is made for the StatefulSet.
outputDir: manifests/{name}
namespace: default
statefulSets:
  {name}:
    image: redis:7.4
    replicas: 2
    ports: ["redis:6379"]
    args: [--appendonly, "yes"]
    volumeClaims:
      data: {{size: 1Gi}}
    mounts:
      /data: data
    resources:
      limits: {{cpu: 200m, memory: 128Mi}}
    readinessProbe: {{exec: {{command: [redis-cli, ping]}}}}
    livenessProbe: {{tcpSocket: {{port: redis}}}}
    # The image's redis user (uid 999) from the start; fsGroup lets it own its claim.
    podSecurityContext:
      runAsNonRoot: true
      runAsUser: 999
      runAsGroup: 999
      fsGroup: 999
      seccompProfile: {{type: RuntimeDefault}}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {{drop: [ALL]}}
    # The spec has no affinity field yet: spread the replicas with a kustomize patch.
    ignore: [lint-anti-affinity]
manifests:
  # A node drain evicts one pod at a time; a crash-looping pod does not block it.
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {{name: {name}, namespace: default}}
    spec:
      maxUnavailable: 1
      selector: {{matchLabels: {{app.kubernetes.io/name: {name}}}}}
      unhealthyPodEvictionPolicy: AlwaysAllow
""",
    ),
    "cronjob": (
        "a CronJob that runs a command on a schedule",
        """\
# Runs every night at 03:00; a run still going is not started twice.
outputDir: manifests/{name}
namespace: default
cronJobs:
  {name}:
    schedule: "0 3 * * *"
    concurrencyPolicy: Forbid
    # A run that could not start within the hour is skipped, not started late.
    startingDeadlineSeconds: 3600
    backoffLimit: 2
    image: busybox:1.36
    command: [sh, -c, "date; echo done"]
    resources:
      limits: {{cpu: 100m, memory: 32Mi}}
    # busybox needs no root and writes nothing: nobody, read-only, no capabilities.
    podSecurityContext:
      runAsNonRoot: true
      runAsUser: 65534
      runAsGroup: 65534
      seccompProfile: {{type: RuntimeDefault}}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {{drop: [ALL]}}
""",
    ),
    "token-access": (
        "a ServiceAccount token for scripts that call the API server from outside the cluster",
        """\
# A ServiceAccount whose long-lived token (Secret {name}-token) a script outside the cluster
# reads to call the API server with curl:
#   TOKEN=$(kubectl get secret {name}-token -o jsonpath='{{.data.token}}' | base64 -d)
#   curl -k -H "Authorization: Bearer $TOKEN" https://API_SERVER/api/v1/namespaces/default/pods
# The token never expires; `kubectl create token {name} --duration=1h` is safer where it works.
outputDir: manifests/{name}
namespace: default
serviceAccounts:
  {name}:
    tokenSecret: true
    ignore: [lint-token-secret]
    rules:
      - resources: [pods]
        verbs: [get, list]
""",
    ),
}
