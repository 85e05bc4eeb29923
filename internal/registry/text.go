package registry

import (
	"fmt"
	"strings"
	"unicode"
)

// hiddenText are the characters names and notes must not contain, the same classes the CRDs refuse
// (\p{Cc}\p{Cf}\p{Zl}\p{Zp}): control characters (NUL, BEL, ESC, newline, tab, DEL, C1), format
// characters (bidi overrides and isolates such as U+202E, zero-width spaces) and line or paragraph
// separators. Printed to an officer's terminal they can reorder, hide or forge what is shown.
var hiddenText = []*unicode.RangeTable{unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp}

// TextProblem describes why a name or note cannot be stored, or returns "".
func TextProblem(s string) string {
	for _, r := range s {
		if unicode.IsOneOf(hiddenText, r) {
			return "must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
		}
	}
	return ""
}

// StudentNumberIDProblem describes why a G student number does not belong with the resident ID
// and birth date beside it, or returns "": a G number that is G and a valid resident ID must be
// G and this child's resident ID, or, without one, carry the child's birth date.
func StudentNumberIDProblem(studentNumber, residentID, birthDate string) string {
	embedded := EmbeddedResidentID(studentNumber)
	switch {
	case embedded == "":
		return ""
	case residentID != "" && embedded != residentID:
		return "is G and another resident ID than resident_id: it must be G followed by this child's resident ID"
	case residentID == "" && ResidentIDBirthDate(embedded) != birthDate:
		return "is G and a resident ID with another birth date than birth_date: it is not this child's"
	}
	return ""
}

// Visible returns s with every hidden character written as its code point (\u202E), so that
// text stored before the API refused it cannot reorder, hide or forge what a terminal shows.
func Visible(s string) string {
	if TextProblem(s) == "" {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsOneOf(hiddenText, r) {
			fmt.Fprintf(&b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
