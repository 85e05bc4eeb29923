package docstest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The harness itself: a failing command is reported with its document line, blocks not marked
// sh or marked skip are not run, and variables carry from one block to the next.
func TestScriptFailureNamesTheDocumentLine(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "doc.md")
	text := "# Title\n\n```sh\nA=1\necho ok\n```\n\n```text\nnot a command\n```\n\n<!-- docs-test: skip -->\n```sh\nexit 3\n```\n\n```sh\ntest \"$A\" = 1\nfalse   # line 19\necho never\n```\n"
	if err := os.WriteFile(doc, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	script, lines := extractScript(t, doc)
	if script != "A=1\necho ok\ntest \"$A\" = 1\nfalse   # line 19\necho never\n" || len(lines) != 5 || lines[3] != 19 {
		t.Fatalf("script %q lines %v", script, lines)
	}
	line, out, err := failure(t.TempDir(), script, lines)
	if err == nil || line != "19" || strings.Contains(out, "never") {
		t.Errorf("failure = %q %v %q, want line 19", line, err, out)
	}
	if _, _, err := failure(t.TempDir(), "A=1\ntest \"$A\" = 1\n", []int{1, 2}); err != nil {
		t.Errorf("a passing script failed: %v", err)
	}
}
