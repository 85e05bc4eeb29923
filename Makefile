# kongchuo — make help lists the targets.
SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec

CONTROLLER_TOOLS_VERSION ?= v0.23.0
LOCALBIN := $(CURDIR)/bin
CONTROLLER_GEN := $(LOCALBIN)/tools/controller-gen-$(CONTROLLER_TOOLS_VERSION)/controller-gen
GO_TEST_FLAGS ?=
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN{FS=":.*##"} /^[a-zA-Z_-]+:.*##/{printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

##@ Development

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate deepcopy code for the API types.
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./api/...

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate CRDs and RBAC from the markers.
	$(CONTROLLER_GEN) crd rbac:roleName=kongchuo-manager paths=./api/... paths=./controllers/... \
		output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac

.PHONY: fmt vet
fmt: ## gofmt the tree.
	gofmt -l -w $$(git ls-files '*.go' | grep -v '^hack/controlplane/')
vet: ## go vet.
	go vet ./...

.PHONY: controlplane
controlplane: ## Build (or copy from the per-user cache) kube-apiserver and etcd into bin/k8s.
	@hack/build-controlplane.sh >/dev/null

.PHONY: test
test: controlplane ## Unit tests and envtest integration tests against a real kube-apiserver and etcd.
	KUBEBUILDER_ASSETS="$$(hack/build-controlplane.sh)" go test $(GO_TEST_FLAGS) ./... -count=1

.PHONY: bench
bench: controlplane ## Benchmarks against the local control plane: a demo school day's writes, the 20k-row import; ratios within one run.
	KUBEBUILDER_ASSETS="$$(hack/build-controlplane.sh)" go test ./... -run '^$$' -bench . -benchmem -count=1

.PHONY: verify-generated
verify-generated: generate manifests ## Fail if the generated code or manifests are out of date.
	@git diff --exit-code -- api config || { echo "generated files are stale: run 'make generate manifests' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- api config)" || { git status --porcelain -- api config; echo "generated files are not committed"; exit 1; }

##@ Run

.PHONY: build
build: ## Build the manager and the kubectl plugin into bin/.
	go build -o $(LOCALBIN)/manager ./cmd/manager
	go build -ldflags "-X kongchuo.io/kongchuo/internal/cli.Version=$(VERSION)" -o $(LOCALBIN)/kubectl-kongchuo ./cmd/kubectl-kongchuo
	install -m 0755 hack/kubectl_complete-kongchuo $(LOCALBIN)/kubectl_complete-kongchuo
	go build -o $(LOCALBIN)/localcluster ./hack/localcluster

.PHONY: krew-release
krew-release: ## Release archives and the krew manifest in dist/: make krew-release VERSION=v0.3.0 BASE_URL=https://… HOMEPAGE=https://…
	hack/krew-release.sh "$(VERSION)" "$(BASE_URL)" "$(HOMEPAGE)"

.PHONY: run
run: controlplane build ## Local control plane, CRDs, demo county, manager in the foreground.
	hack/run-local.sh

$(CONTROLLER_GEN):
	GOBIN=$(dir $(CONTROLLER_GEN)) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION)
