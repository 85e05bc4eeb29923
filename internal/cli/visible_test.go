package cli

import (
	"bytes"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Issue 12: names stored before the API refused hidden characters are printed with those
// characters spelled out, so they cannot forge the officer's screen.
func TestTablesPrintHiddenCharactersVisibly(t *testing.T) {
	mt := &metav1.Table{ColumnDefinitions: []metav1.TableColumnDefinition{{Name: "姓名"}},
		Rows: []metav1.TableRow{{Cells: []any{"张\u202e三\x1b[2J\a"}}}}
	var out bytes.Buffer
	if err := writeAligned(&out, mt, false); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\u202e\x1b\a") || !strings.Contains(out.String(), `张\u202E三\u001B[2J\u0007`) {
		t.Errorf("printed %q", out.String())
	}
}
