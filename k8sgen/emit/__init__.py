"""Where rendered objects go besides stdout: a directory kustomize can build (`directory`), the
`kustomization.yaml` that lists it (`kustomize`), and the KRM / exec-plugin protocols (`krm`)."""
