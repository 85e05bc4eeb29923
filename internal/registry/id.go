// Package registry turns CSV extracts of the county's student registry and of class attendance
// into kongchuo API objects. It is pure: no API server, no clock, no logging.
//
// # Object names are pseudonyms
//
// Student objects are named "stu-" followed by the first 12 hex digits of
// sha256("kongchuo.io/student:" + canonical ID), where the canonical ID is the resident ID
// (身份证号) if the registry has one, else the national student number (全国学籍号), upper-cased.
// The name is deterministic, so re-importing the same child always finds the same object, and it
// does not show the ID to anyone who lists objects, reads events or logs.
//
// This is pseudonymisation, not anonymisation: anyone who knows (or guesses) a child's ID can
// compute the name and confirm the child is in the registry, and IDs come from a small space
// (county code, birth date, a sequence number and a check digit), so the hash can be reversed
// by trying candidates. The names keep IDs out of listings, logs and URLs; they do not make the
// data anonymous. Access to Student objects must still be restricted by RBAC.
//
// Error messages produced here name the line, the column and what is wrong, never the value.
package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// namePrefix is hashed in front of the canonical ID so the names are specific to kongchuo.
const namePrefix = "kongchuo.io/student:"

// CanonicalizeID trims an ID and upper-cases it (a final x in a resident ID becomes X).
func CanonicalizeID(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }

// CanonicalID is the ID a Student's name is derived from: the resident ID when there is one,
// else the national student number.
func CanonicalID(residentID, studentNumber string) string {
	if id := CanonicalizeID(residentID); id != "" {
		return id
	}
	return CanonicalizeID(studentNumber)
}

// EmbeddedResidentID returns the resident ID inside a national student number that is G followed
// by the resident ID (most children's), or "": the same child either way.
func EmbeddedResidentID(studentNumber string) string {
	if len(studentNumber) == 19 && studentNumber[0] == 'G' && ValidResidentID(studentNumber[1:]) {
		return studentNumber[1:]
	}
	return ""
}

// StudentName is the opaque, deterministic object name of the Student with the given canonical
// ID: "stu-" + the first 12 hex digits of sha256("kongchuo.io/student:" + ID). The ID is
// canonicalised first, so "…x" and "…X" give the same name. See the package documentation:
// this is a pseudonym, not an anonymous name.
func StudentName(id string) string {
	sum := sha256.Sum256([]byte(namePrefix + CanonicalizeID(id)))
	return "stu-" + hex.EncodeToString(sum[:])[:12]
}

// residentIDWeights are the GB 11643-1999 weights of the first 17 digits.
var residentIDWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// residentIDCheckChars maps the weighted sum modulo 11 to the check character.
const residentIDCheckChars = "10X98765432"

// ResidentIDCheckDigit computes the check character (0–9 or X) of the first 17 digits of a
// resident ID (GB 11643). ok is false when the input is not 17 digits.
func ResidentIDCheckDigit(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		sum += int(c-'0') * residentIDWeights[i]
	}
	return residentIDCheckChars[sum%11], true
}

// ResidentIDProblem describes what is wrong with a resident ID without repeating it, or returns
// "" when the ID is well formed: 18 characters, the first 17 digits (the first not 0), a final
// digit or X, a real birth date in characters 7–14 and a matching check digit.
func ResidentIDProblem(id string) string {
	id = CanonicalizeID(id)
	if looksLikeSpreadsheetNumber(id) {
		return "looks like a spreadsheet turned it into a number (for example 5.2E+17): format the column as text and export again"
	}
	if len(id) != 18 {
		return "must be 18 characters: 17 digits and a final digit or X"
	}
	if id[0] < '1' || id[0] > '9' {
		return "must begin with a digit from 1 to 9"
	}
	for i := 1; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return "must be 17 digits followed by a digit or X"
		}
	}
	last := id[17]
	if (last < '0' || last > '9') && last != 'X' {
		return "the last character must be a digit or X"
	}
	if _, ok := parseDate(id[6:10] + "-" + id[10:12] + "-" + id[12:14]); !ok {
		return "characters 7 to 14 are not a real birth date (YYYYMMDD)"
	}
	if want, _ := ResidentIDCheckDigit(id[:17]); want != last {
		return "check digit is wrong (the last character does not fit the first 17 digits: look for a typing error)"
	}
	return ""
}

// ValidResidentID reports whether id is a well-formed resident ID with a correct check digit.
func ValidResidentID(id string) bool { return ResidentIDProblem(id) == "" }

// ResidentIDBirthDate returns the birth date (YYYY-MM-DD) written in a resident ID.
func ResidentIDBirthDate(id string) string {
	id = CanonicalizeID(id)
	if len(id) != 18 {
		return ""
	}
	return id[6:10] + "-" + id[10:12] + "-" + id[12:14]
}

// ResidentIDSex is the sex a resident ID records: its 17th digit is odd for a male, even for a
// female. It is "" for anything that is not an 18-character ID.
func ResidentIDSex(id string) v1.Sex {
	id = CanonicalizeID(id)
	if len(id) != 18 || id[16] < '0' || id[16] > '9' {
		return ""
	}
	if (id[16]-'0')%2 == 1 {
		return v1.SexMale
	}
	return v1.SexFemale
}

// StudentNumberProblem describes what is wrong with a national student number (全国学籍号),
// or returns "": G, J or L followed by 17 digits and a digit or X.
func StudentNumberProblem(n string) string {
	n = CanonicalizeID(n)
	if len(n) != 19 || (n[0] != 'G' && n[0] != 'J' && n[0] != 'L') {
		return "must be G, J or L followed by 17 digits and a digit or X (19 characters)"
	}
	for i := 1; i < 18; i++ {
		if n[i] < '0' || n[i] > '9' {
			return "must be G, J or L followed by 17 digits and a digit or X (19 characters)"
		}
	}
	if last := n[18]; (last < '0' || last > '9') && last != 'X' {
		return "the last character must be a digit or X"
	}
	return ""
}

// looksLikeSpreadsheetNumber recognises an 18-digit ID that a spreadsheet displayed in
// scientific notation (5.20121E+17) or that lost its last digits.
func looksLikeSpreadsheetNumber(s string) bool {
	return strings.ContainsAny(s, "E") && strings.Contains(s, "+") && strings.ContainsAny(s, ".")
}

// MakeResidentID builds a resident ID with a correct check digit from a 6-digit area code, a
// birth date (YYYY-MM-DD) and a 3-digit sequence number (odd for boys, even for girls). It is
// for generating test and demo data.
func MakeResidentID(area, birthDate string, seq int) string {
	first17 := area + strings.ReplaceAll(birthDate, "-", "") + fmt3(seq)
	c, ok := ResidentIDCheckDigit(first17)
	if !ok {
		panic("registry.MakeResidentID: area must be 6 digits, birth date YYYY-MM-DD and seq 0–999")
	}
	return first17 + string(c)
}

func fmt3(n int) string {
	s := "000" + strconv.Itoa(n%1000)
	return s[len(s)-3:]
}
