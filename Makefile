# kongchuo — make help lists the targets.
SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec

CONTROLLER_TOOLS_VERSION ?= v0.23.0
LOCALBIN := $(CURDIR)/bin
CONTROLLER_GEN := $(LOCALBIN)/tools/controller-gen-$(CONTROLLER_TOOLS_VERSION)/controller-gen
GO_TEST_FLAGS ?=
# The release: stamped into the manager (--version) and the image tag.
VERSION ?= v0.1.0
IMG ?= kongchuo/manager:$(VERSION)
CONTAINER_TOOL ?= docker

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN{FS=":.*##"} /^[a-zA-Z_-]+:.*##/{printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

##@ Development

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate deepcopy code for the API types.
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./api/...

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate CRDs and RBAC from the markers, and copy them (and the alerts and dashboard) into the Helm chart.
	$(CONTROLLER_GEN) crd rbac:roleName=kongchuo-manager paths=./api/... paths=./controllers/... \
		output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac
	hack/sync-chart.sh

.PHONY: fmt vet
fmt: ## gofmt the tree.
	gofmt -l -w $$(git ls-files '*.go' | grep -v '^hack/controlplane/')
vet: ## go vet.
	go vet ./...

.PHONY: controlplane
controlplane: ## Build (or copy from the per-user cache) kube-apiserver and etcd into bin/k8s.
	@hack/build-controlplane.sh >/dev/null

FUZZ_TARGETS := FuzzParseRegistry FuzzParseAttendance FuzzParseActions FuzzResidentID
FUZZTIME ?= 2m

.PHONY: chromium
chromium: ## Install Debian's chromium and CJK fonts (as root) for the HTML report's rendering test.
	@hack/install-chromium.sh

.PHONY: test
test: controlplane chromium ## Unit tests and envtest integration tests against a real kube-apiserver and etcd, then each fuzz target briefly.
	KUBEBUILDER_ASSETS="$$(hack/build-controlplane.sh)" go test $(GO_TEST_FLAGS) ./... -count=1
	@$(MAKE) --no-print-directory fuzz FUZZTIME=10000x

.PHONY: fuzz
fuzz: ## Fuzz the CSV parsers and the ID checks, FUZZTIME each (default 2m; make test runs 10000 executions each: a count, not a time, has no deadline for a slow worker to miss on a busy machine).
	@for target in $(FUZZ_TARGETS); do \
		echo "fuzz $$target for $(FUZZTIME)"; \
		go test ./internal/registry -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

.PHONY: bench
bench: controlplane ## Benchmarks against the local control plane: a demo school day's writes, the 20k-row import; ratios within one run.
	KUBEBUILDER_ASSETS="$$(hack/build-controlplane.sh)" go test ./... -run '^$$' -bench . -benchmem -count=1

N ?= 100000
BENCH_FLAGS ?=
.PHONY: bench-scale
bench-scale: controlplane build ## County-scale benchmark: N children (default 100000), the manager as its own process, one table (see docs/operations.md).
	KUBEBUILDER_ASSETS="$$(hack/build-controlplane.sh)" go run ./hack/benchscale -n $(N) $(BENCH_FLAGS)

.PHONY: ladder-doc
ladder-doc: ## Rewrite docs/ladder.md's table of default steps from policy.DefaultSteps.
	LADDER_DOC=write go test ./internal/policy/ -run TestLadderDocShowsTheDefaultSteps -count=1

.PHONY: verify-generated
verify-generated: generate manifests ## Fail if the generated code or manifests are out of date.
	@git diff --exit-code -- api config charts || { echo "generated files are stale: run 'make generate manifests' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- api config charts)" || { git status --porcelain -- api config charts; echo "generated files are not committed"; exit 1; }

##@ Run

.PHONY: build
build: ## Build the manager and the kubectl plugin into bin/.
	go build -o $(LOCALBIN)/manager ./cmd/manager
	go build -ldflags "-X kongchuo.io/kongchuo/internal/cli.Version=$(VERSION)" -o $(LOCALBIN)/kubectl-kongchuo ./cmd/kubectl-kongchuo
	install -m 0755 hack/kubectl_complete-kongchuo $(LOCALBIN)/kubectl_complete-kongchuo
	go build -o $(LOCALBIN)/localcluster ./hack/localcluster

.PHONY: build-static
build-static: ## Build the manager exactly as the image's build stage does (static, stamped with VERSION) into bin/manager-static.
	hack/build-manager.sh $(LOCALBIN)/manager-static $(VERSION)

##@ Release

.PHONY: docker-build
docker-build: ## Build the image IMG from the Dockerfile (needs docker, podman or another CONTAINER_TOOL).
	$(CONTAINER_TOOL) build --build-arg VERSION=$(VERSION) -t $(IMG) .

.PHONY: docker-push
docker-push: ## Push the image IMG.
	$(CONTAINER_TOOL) push $(IMG)

.PHONY: build-installer
build-installer: ## Write dist/install.yaml (CRDs, RBAC, manager with 2 replicas and leader election) for image IMG.
	@mkdir -p dist
	go run ./hack/installer -image $(IMG) -o dist/install.yaml

.PHONY: krew-release
krew-release: ## Release archives and the krew manifest in dist/: make krew-release VERSION=v0.3.0 BASE_URL=https://… HOMEPAGE=https://…
	hack/krew-release.sh "$(VERSION)" "$(BASE_URL)" "$(HOMEPAGE)"

.PHONY: run
run: controlplane build ## Local control plane, CRDs, demo county, manager in the foreground.
	hack/run-local.sh

$(CONTROLLER_GEN):
	GOBIN=$(dir $(CONTROLLER_GEN)) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION)
