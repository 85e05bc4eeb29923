package install_test

// No container tool runs in CI here, so this test runs the Dockerfile's build stage command
// (hack/build-manager.sh) and checks what the image would ship: a static binary that reports
// the stamped version, on a distroless base as a non-root user.

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestImageBuildStage(t *testing.T) {
	dockerfile, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^FROM golang:\S+ AS build$`),
		regexp.MustCompile(`(?m)^RUN .*hack/build-manager\.sh /out/manager "\$\{VERSION\}"$`),
		regexp.MustCompile(`(?m)^FROM gcr\.io/distroless/static\S*:nonroot$`),
		regexp.MustCompile(`(?m)^USER 65532:65532$`),
		regexp.MustCompile(`(?m)^ENTRYPOINT \["/manager"\]$`),
	} {
		if !want.Match(dockerfile) {
			t.Errorf("the Dockerfile lacks %s", want)
		}
	}

	bin := filepath.Join(t.TempDir(), "manager")
	build := exec.Command(filepath.Join(root, "hack", "build-manager.sh"), bin, "v9.8.7-test")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("hack/build-manager.sh: %v\n%s", err, out)
	}
	assertStatic(t, bin)
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("manager --version: %v", err)
	}
	if got := strings.TrimSpace(string(out)); !strings.HasPrefix(got, "kongchuo v9.8.7-test (go") {
		t.Errorf("manager --version = %q, want the stamped version", got)
	}
}

// assertStatic: distroless/static has no C library, so the binary must need none.
func assertStatic(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the manager needs a dynamic loader; the image has none")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the manager links %v", libs)
	}
}
