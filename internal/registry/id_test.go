package registry

import (
	"strings"
	"testing"
)

func TestResidentIDCheckDigit(t *testing.T) {
	tests := []struct {
		first17 string
		want    byte
		ok      bool
	}{
		{"11010519491231002", 'X', true}, // the example of GB 11643
		{"44052418800101001", '4', true},
		{"52012120150315001", 'X', true},
		{"52012120150315002", '8', true},
		{"1101051949123100", 0, false},   // 16 digits
		{"1101051949123100A", 0, false},  // not a digit
		{"110105194912310020", 0, false}, // 18 digits
	}
	for _, tt := range tests {
		got, ok := ResidentIDCheckDigit(tt.first17)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ResidentIDCheckDigit(%q) = %q, %v; want %q, %v", tt.first17, got, ok, tt.want, tt.ok)
		}
	}
}

// Every remainder mod 11 maps to its check character ("10X98765432").
func TestResidentIDCheckDigitAllRemainders(t *testing.T) {
	seen := map[byte]bool{}
	for seq := 0; seq < 200 && len(seen) < 11; seq++ {
		id := MakeResidentID("520121", "2016-05-20", seq)
		if !ValidResidentID(id) {
			t.Fatalf("MakeResidentID made an invalid ID for seq %d", seq)
		}
		seen[id[17]] = true
	}
	if len(seen) != 11 {
		t.Fatalf("saw %d distinct check characters, want 11", len(seen))
	}
}

func TestResidentIDProblem(t *testing.T) {
	tests := []struct {
		id   string
		want string // substring of the problem; "" for a valid ID
	}{
		{"11010519491231002X", ""},
		{"11010519491231002x", ""}, // lower-case x is accepted and canonicalised
		{" 440524188001010014 ", ""},
		{"110105194912310021", "check digit is wrong"},
		{"11010519491231002", "must be 18 characters"},
		{"1101051949123100200", "must be 18 characters"},
		{"01010519491231002X", "begin with a digit from 1 to 9"},
		{"1101051949123100AX", "17 digits"},
		{"11010519491231002Y", "last character"},
		{"110105194913310028", "not a real birth date"},
		{"5.20121E+17", "spreadsheet"},
	}
	for _, tt := range tests {
		got := ResidentIDProblem(tt.id)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("ResidentIDProblem(%q) = %q; want %q", tt.id, got, tt.want)
		}
		if strings.Contains(got, strings.TrimSpace(tt.id)) {
			t.Errorf("ResidentIDProblem(%q) repeats the ID: %q", tt.id, got)
		}
	}
}

func TestStudentNumberProblem(t *testing.T) {
	for n, ok := range map[string]bool{
		"G52012120150315001X": true,
		"J520121201503150012": true,
		"l520121201503150012": true,
		"X520121201503150012": false,
		"G5201212015031500":   false,
		"G5201212015031500AB": false,
		"G52012120150315001Y": false,
	} {
		if got := StudentNumberProblem(n) == ""; got != ok {
			t.Errorf("StudentNumberProblem(%q) valid=%v; want %v", n, got, ok)
		}
	}
}

func TestStudentName(t *testing.T) {
	tests := []struct{ id, want string }{
		// sha256("kongchuo.io/student:11010519491231002X")[:12], computed independently.
		{"11010519491231002X", "stu-7581bb92ee85"},
		{"11010519491231002x", "stu-7581bb92ee85"},
		{"  11010519491231002X\t", "stu-7581bb92ee85"},
	}
	for _, tt := range tests {
		if got := StudentName(tt.id); got != tt.want {
			t.Errorf("StudentName(%q) = %q; want %q", tt.id, got, tt.want)
		}
	}
	a, b := StudentName("52012120150315001X"), StudentName("G52012120150315001X")
	if a == b {
		t.Errorf("resident ID and student number gave the same name %q", a)
	}
	for _, n := range []string{a, b} {
		if len(n) != 16 || !strings.HasPrefix(n, "stu-") || reObjectName.FindString(n) != n {
			t.Errorf("name %q is not stu- and 12 hex digits", n)
		}
	}
}

func TestCanonicalID(t *testing.T) {
	tests := []struct{ resident, number, want string }{
		{"52012120150315001x", "G52012120150315001X", "52012120150315001X"},
		{"", "g52012120150315001x", "G52012120150315001X"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := CanonicalID(tt.resident, tt.number); got != tt.want {
			t.Errorf("CanonicalID(%q, %q) = %q; want %q", tt.resident, tt.number, got, tt.want)
		}
	}
}

func TestMakeResidentID(t *testing.T) {
	id := MakeResidentID("520121", "2015-03-15", 1)
	if id != "52012120150315001X" {
		t.Errorf("MakeResidentID = %q", id)
	}
	if got := ResidentIDBirthDate(id); got != "2015-03-15" {
		t.Errorf("ResidentIDBirthDate = %q", got)
	}
}
