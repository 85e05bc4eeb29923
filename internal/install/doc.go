// Package install renders kongchuo's installation artefacts — the kustomize overlays in config/,
// the Helm chart in charts/kongchuo and dist/install.yaml — with the same libraries the tools use
// (kustomize's krusty, Helm's action package), and sends them to an API server as a server-side
// dry run. `make build-installer` and the tests use it; nothing here runs in the manager.
package install
