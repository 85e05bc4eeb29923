# The kongchuo manager image: a static Go binary on distroless "static", running as the
# image's nonroot user (uid 65532, the uid config/manager and the Helm chart set).
#
#   make docker-build IMG=registry.example.org/kongchuo/manager:v0.1.0 VERSION=v0.1.0
#
# Releases build from this file. The build stage runs hack/build-manager.sh, the same script as
# `make build-static` and the image test in internal/install, so the binary CI tests is built
# with the flags the image uses.
ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY api/ api/
COPY cmd/ cmd/
COPY controllers/ controllers/
COPY internal/ internal/
COPY hack/build-manager.sh hack/build-manager.sh
ARG VERSION=dev
ARG TARGETOS=linux
ARG TARGETARCH=amd64
RUN GOOS=${TARGETOS} GOARCH=${TARGETARCH} hack/build-manager.sh /out/manager "${VERSION}"

# No shell, no package manager, no zoneinfo: the manager embeds Go's time zone database
# (time/tzdata) and CA certificates are in the base image.
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="kongchuo manager" \
      org.opencontainers.image.description="Kubernetes operator for 控辍保学 (compulsory-education dropout control)" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/manager /manager
USER 65532:65532
ENTRYPOINT ["/manager"]
