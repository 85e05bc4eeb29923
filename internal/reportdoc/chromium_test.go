package reportdoc

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// chromium finds Debian's chromium. Its absence fails the test with the way to install it: make
// test installs it (hack/install-chromium.sh) before running the tests.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium is not installed: run hack/install-chromium.sh (make test does) to render the HTML report")
	return ""
}

func headless(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000"}
	cmd := exec.CommandContext(ctx, chromium(t), append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// TestHTMLReportChartsDraw renders the county report in headless Chromium and reads, from the
// page's own count of the marks the browser laid out with a size, that every chart drew: a bar
// per township, a bar per stage, a point per month and the trend line. It also takes an A4-wide
// screenshot (KONGCHUO_SCREENSHOT=path keeps it) and prints the page to PDF.
func TestHTMLReportChartsDraw(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, countyInput(), english); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := headless(t, "--dump-dom", "file://"+page)
	m := regexp.MustCompile(`data-drawn="([^"]*)"`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the page's script did not run: no data-drawn in\n%.2000s", dom)
	}
	var drawn map[string]int
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &drawn); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"rates": 3, "stages": 5, "trend": 3 + 1}
	for id, n := range want {
		if drawn[id] != n {
			t.Errorf("chart %s drew %d marks, want %d (all: %v)", id, drawn[id], n, drawn)
		}
	}
	shot := filepath.Join(dir, "report.png")
	if keep := os.Getenv("KONGCHUO_SCREENSHOT"); keep != "" {
		shot = keep
	}
	headless(t, "--screenshot="+shot, "--window-size=794,1123", "file://"+page)
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		t.Errorf("screenshot %s: %v, %d bytes", shot, err, st.Size())
	}
	pdf := filepath.Join(dir, "report.pdf")
	headless(t, "--print-to-pdf="+pdf, "--no-pdf-header-footer", "file://"+page)
	raw, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	// A4 is 595×842 points.
	if !regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12](\.\d+)?\]`).Match(raw) {
		t.Errorf("the PDF's pages are not A4: %q", regexp.MustCompile(`/MediaBox[^\]]*\]`).FindAll(raw, 2))
	}
}
