package registry

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Registry CSV column names.
const (
	ColResidentID          = "resident_id"
	ColStudentNumber       = "student_number"
	ColName                = "name"
	ColSex                 = "sex"
	ColBirthDate           = "birth_date"
	ColTownship            = "township"
	ColVillage             = "village"
	ColGroup               = "group"
	ColEnrolmentStatus     = "enrolment_status"
	ColEnrolmentSince      = "enrolment_since"
	ColSchool              = "school"
	ColGrade               = "grade"
	ColClass               = "class"
	ColEvidenceCertificate = "evidence_certificate"
	ColEvidenceIssuedBy    = "evidence_issued_by"
	ColEvidenceIssuedOn    = "evidence_issued_on"
	ColEvidenceReceiving   = "evidence_receiving_school"
	ColEvidenceApprovedBy  = "evidence_approved_by"
	ColEvidenceUntil       = "evidence_until"
	ColDeferredBefore      = "deferred_before"
	ColGuardianName        = "guardian_name"
	ColGuardianRelation    = "guardian_relation"
	ColGuardianPhone       = "guardian_phone"
	ColGuardian2Name       = "guardian2_name"
	ColGuardian2Relation   = "guardian2_relation"
	ColGuardian2Phone      = "guardian2_phone"
	ColFocusGroups         = "focus_groups"
)

// RegistryColumns are the columns of a registry extract, in the order the demo and the docs use.
var RegistryColumns = []Column{
	{ColResidentID, false, "resident ID (身份证号), 18 characters; the check digit is verified. Give it or student_number, or both"},
	{ColStudentNumber, false, "national student number (全国学籍号): G, J or L and 18 characters"},
	{ColName, true, "the child's name"},
	{ColSex, false, "男 or 女 (Male or Female); must match resident_id's 17th digit (odd for a boy). Empty: taken from resident_id"},
	{ColBirthDate, true, "YYYY-MM-DD (also 2015/3/15, 2015年3月15日, 20150315); must match the birth date inside resident_id"},
	{ColTownship, true, "9-digit township code (乡镇), for example 520121100"},
	{ColVillage, false, "12-digit village code (村), beginning with the township code"},
	{ColGroup, false, "15-digit village group code (村民小组), beginning with the village code"},
	{ColEnrolmentStatus, true, "Enrolled (在籍), NotEnrolled (未入学), TransferredOut (转出), SuspendedForIllness (休学), Deferred (延缓入学), HomeDelivered (送教上门), StudyingElsewhere (异地就读) or Completed (毕业)"},
	{ColEnrolmentSince, false, "YYYY-MM-DD: the day the current status began"},
	{ColSchool, false, "10-digit school code (学校标识码); required when Enrolled"},
	{ColGrade, false, "1–9 (also 三年级, 初一); required when Enrolled"},
	{ColClass, false, "1–99 (also 2班); required when Enrolled"},
	{ColEvidenceCertificate, false, "reference number of the certificate backing a legitimate non-attendance; empty while missing"},
	{ColEvidenceIssuedBy, false, "who issued the certificate"},
	{ColEvidenceIssuedOn, false, "YYYY-MM-DD: date of the certificate"},
	{ColEvidenceReceiving, false, "receiving school; required for TransferredOut and StudyingElsewhere"},
	{ColEvidenceApprovedBy, false, "approving authority; required for SuspendedForIllness and Deferred"},
	{ColEvidenceUntil, false, "YYYY-MM-DD: last day covered; required for SuspendedForIllness and Deferred"},
	{ColDeferredBefore, false, "yes/no: enrolment was already deferred once"},
	{ColGuardianName, false, "first guardian's name"},
	{ColGuardianRelation, false, "first guardian's relation, for example 父亲, 母亲, 祖母"},
	{ColGuardianPhone, false, "first guardian's phone: digits, optionally + and -"},
	{ColGuardian2Name, false, "second guardian's name"},
	{ColGuardian2Relation, false, "second guardian's relation"},
	{ColGuardian2Phone, false, "second guardian's phone"},
	{ColFocusGroups, false, "semicolon-separated: LeftBehind (留守儿童), Disability (残疾儿童), RegisteredPoor (建档立卡), Migrant (随迁子女), LearningDifficulty (学困生)"},
}

// Row is one valid line of a registry extract.
type Row struct {
	// Line is the 1-based line number in the file.
	Line int
	// Student has its name and spec set; the namespace is left to the importer.
	Student *v1.Student
}

// RegistryFile is a parsed registry extract.
type RegistryFile struct {
	// Columns present in the header. A column that is missing leaves the field as it is on
	// the server; a column that is present but empty clears the field.
	Columns ColumnSet
	// Rows that passed the checks, in file order.
	Rows []Row
	// Errors of the rows that did not, in file order.
	Errors []RowError
	// Warnings about the file that did not stop it: columns ignored.
	Warnings []RowError
	// Encoding the file was read in.
	Encoding Encoding
}

var (
	reTownship = regexp.MustCompile(`^[1-9][0-9]{8}$`)
	reVillage  = regexp.MustCompile(`^[1-9][0-9]{11}$`)
	reGroup    = regexp.MustCompile(`^[1-9][0-9]{14}$`)
	reSchool   = regexp.MustCompile(`^[0-9]{10}$`)
	rePhone    = regexp.MustCompile(`^[+]?[0-9][0-9-]{5,19}$`)
)

var enrolmentStatuses = []v1.EnrolmentStatus{
	v1.EnrolmentEnrolled, v1.EnrolmentNotEnrolled, v1.EnrolmentTransferredOut, v1.EnrolmentSuspendedForIllness,
	v1.EnrolmentDeferred, v1.EnrolmentHomeDelivered, v1.EnrolmentStudyingElsewhere, v1.EnrolmentCompleted,
}

var focusGroups = []v1.FocusGroup{
	v1.FocusLeftBehind, v1.FocusDisability, v1.FocusRegisteredPoor, v1.FocusMigrant, v1.FocusLearningDifficulty,
}

// ParseRegistry reads a registry extract. The error is a *FileError when the file as a whole
// cannot be used (header row, encoding); problems with single rows are in RegistryFile.Errors and
// do not stop the other rows. Rows that repeat a resident ID or student number of an earlier
// row are rejected, naming the earlier line.
func ParseRegistry(in io.Reader) (*RegistryFile, error) {
	t, err := newTable(in, RegistryColumns, [][]string{{ColResidentID, ColStudentNumber}})
	if err != nil {
		return nil, err
	}
	f := &RegistryFile{Columns: t.columns, Warnings: t.warnings, Encoding: t.encoding}
	seenResident := map[string]int{}
	seenNumber := map[string]int{}
	seenName := map[string]int{}
	for {
		rec, rowErr, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if rowErr != nil {
			f.Errors = append(f.Errors, *rowErr)
			continue
		}
		stu, reasons := studentFromRecord(rec, t.columns)
		// One child, one registration: later rows with an ID seen before are rejected. IDs of
		// rejected rows count too, so a conflicting pair is never silently resolved.
		if stu.Spec.ResidentID != "" {
			if first, ok := seenResident[stu.Spec.ResidentID]; ok {
				reasons = append(reasons, fmt.Sprintf("resident_id: the same resident ID is on line %d (one child, one registration)", first))
			} else {
				seenResident[stu.Spec.ResidentID] = rec.line
			}
		}
		if stu.Spec.StudentNumber != "" {
			if first, ok := seenNumber[stu.Spec.StudentNumber]; ok {
				reasons = append(reasons, fmt.Sprintf("student_number: the same student number is on line %d (one child, one registration)", first))
			} else {
				seenNumber[stu.Spec.StudentNumber] = rec.line
			}
		}
		if len(reasons) == 0 {
			if first, ok := seenName[stu.Name]; ok {
				reasons = append(reasons, fmt.Sprintf("resident_id/student_number: this child gets the same object name as line %d", first))
			} else {
				seenName[stu.Name] = rec.line
			}
		}
		if len(reasons) > 0 {
			f.Errors = append(f.Errors, RowError{Line: rec.line, Reasons: reasons})
			continue
		}
		f.Rows = append(f.Rows, Row{Line: rec.line, Student: stu})
	}
	return f, nil
}

// studentFromRecord builds a Student from one row and lists what is wrong with it. The Student
// carries the IDs even when other columns are wrong, for the duplicate check.
// studentFromRecord checks one row. Rules that tie fields together (an enrolled child needs a
// class; a transfer needs the receiving school) apply to the columns the file has: a missing
// column keeps the value on the server, and the API server judges the result.
func studentFromRecord(rec record, cols ColumnSet) (*v1.Student, []string) {
	var reasons []string
	bad := func(col, why string) { reasons = append(reasons, col+": "+why) }
	spec := v1.StudentSpec{}

	// Identity.
	if id := CanonicalizeID(rec.get(ColResidentID)); id != "" {
		if p := ResidentIDProblem(id); p != "" {
			bad(ColResidentID, p)
		} else {
			spec.ResidentID = id
		}
	}
	if n := CanonicalizeID(rec.get(ColStudentNumber)); n != "" {
		if looksLikeSpreadsheetNumber(n) {
			bad(ColStudentNumber, "looks like a spreadsheet turned it into a number: format the column as text and export again")
		} else if p := StudentNumberProblem(n); p != "" {
			bad(ColStudentNumber, p)
		} else {
			spec.StudentNumber = n
		}
	}
	if rec.get(ColResidentID) == "" && rec.get(ColStudentNumber) == "" {
		bad("resident_id/student_number", "give the resident ID (身份证号) or the national student number (全国学籍号), or both")
	}

	// Name and birth date.
	spec.Name = rec.get(ColName)
	switch n := utf8.RuneCountInString(spec.Name); {
	case n == 0:
		bad(ColName, "required")
	case n > 64:
		bad(ColName, "at most 64 characters")
	}
	if p := TextProblem(spec.Name); p != "" {
		bad(ColName, p)
	}
	spec.Sex = parseSex(rec.get(ColSex), firstNonEmpty(spec.ResidentID, EmbeddedResidentID(spec.StudentNumber)), bad)
	spec.BirthDate = v1.Date(normalizeDate(rec.get(ColBirthDate)))
	if spec.BirthDate == "" {
		bad(ColBirthDate, "required")
	} else if p := dateProblem(string(spec.BirthDate)); p != "" {
		bad(ColBirthDate, p)
	} else if spec.ResidentID != "" && ResidentIDBirthDate(spec.ResidentID) != string(spec.BirthDate) {
		bad(ColBirthDate, "does not match the birth date inside resident_id (characters 7 to 14)")
	}
	if p := StudentNumberIDProblem(spec.StudentNumber, spec.ResidentID, string(spec.BirthDate)); p != "" {
		bad(ColStudentNumber, p)
	}

	// Residence.
	spec.Residence.Township = v1.TownshipCode(rec.get(ColTownship))
	spec.Residence.Village = v1.VillageCode(rec.get(ColVillage))
	spec.Residence.Group = v1.GroupCode(rec.get(ColGroup))
	switch {
	case spec.Residence.Township == "":
		bad(ColTownship, "required")
	case !reTownship.MatchString(string(spec.Residence.Township)):
		bad(ColTownship, "must be 9 digits: the 6-digit county code and 3 digits, for example 520121100")
	}
	if v := string(spec.Residence.Village); v != "" {
		if !reVillage.MatchString(v) {
			bad(ColVillage, "must be 12 digits: the township code and 3 digits, for example 520121100201")
		} else if !strings.HasPrefix(v, string(spec.Residence.Township)) {
			bad(ColVillage, "must begin with the township code")
		}
	}
	if g := string(spec.Residence.Group); g != "" {
		switch {
		case !reGroup.MatchString(g):
			bad(ColGroup, "must be 15 digits: the village code and 3 digits, for example 520121100201003")
		case spec.Residence.Village == "":
			bad(ColGroup, "a village group needs its village: fill the village column")
		case !strings.HasPrefix(g, string(spec.Residence.Village)):
			bad(ColGroup, "must begin with the village code")
		}
	}

	// Enrolment.
	en := &spec.Enrolment
	if s := rec.get(ColEnrolmentStatus); s == "" {
		bad(ColEnrolmentStatus, "required")
	} else if st, ok := matchEnum(aliasOf(s, enrolmentAliases), enrolmentStatuses); ok {
		en.Status = st
	} else {
		bad(ColEnrolmentStatus, "must be one of "+joinEnum(enrolmentStatuses))
	}
	en.Since = v1.Date(normalizeDate(rec.get(ColEnrolmentSince)))
	if en.Since != "" {
		if p := dateProblem(string(en.Since)); p != "" {
			bad(ColEnrolmentSince, p)
		}
	}
	en.School = v1.SchoolCode(rec.get(ColSchool))
	if en.School != "" && !reSchool.MatchString(string(en.School)) {
		bad(ColSchool, "a school code (学校标识码) is exactly 10 digits, for example 5201210001")
	}
	en.Grade = parseIntColumn(rec, ColGrade, 1, 9, bad)
	en.Class = parseIntColumn(rec, ColClass, 1, 99, bad)
	if en.Status == v1.EnrolmentEnrolled {
		for _, col := range []string{ColSchool, ColGrade, ColClass} {
			if cols.Has(col) && rec.get(col) == "" {
				bad(col, "required for an enrolled child")
			}
		}
	}
	if d := rec.get(ColDeferredBefore); d != "" {
		switch strings.ToLower(d) {
		case "yes", "y", "true", "1", "是":
			en.DeferredBefore = true
		case "no", "n", "false", "0", "否":
		default:
			bad(ColDeferredBefore, "must be yes or no")
		}
	}
	ev := v1.Evidence{
		Certificate:     rec.get(ColEvidenceCertificate),
		IssuedBy:        rec.get(ColEvidenceIssuedBy),
		IssuedOn:        v1.Date(normalizeDate(rec.get(ColEvidenceIssuedOn))),
		ReceivingSchool: rec.get(ColEvidenceReceiving),
		ApprovedBy:      rec.get(ColEvidenceApprovedBy),
		Until:           v1.Date(normalizeDate(rec.get(ColEvidenceUntil))),
	}
	maxLen(ColEvidenceCertificate, ev.Certificate, 64, bad)
	maxLen(ColEvidenceIssuedBy, ev.IssuedBy, 128, bad)
	maxLen(ColEvidenceReceiving, ev.ReceivingSchool, 128, bad)
	maxLen(ColEvidenceApprovedBy, ev.ApprovedBy, 128, bad)
	for _, d := range []struct {
		col string
		val v1.Date
	}{{ColEvidenceIssuedOn, ev.IssuedOn}, {ColEvidenceUntil, ev.Until}} {
		if d.val != "" {
			if p := dateProblem(string(d.val)); p != "" {
				bad(d.col, p)
			}
		}
	}
	if ev != (v1.Evidence{}) {
		en.Evidence = &ev
	}
	switch en.Status {
	case v1.EnrolmentTransferredOut, v1.EnrolmentStudyingElsewhere:
		if cols.Has(ColEvidenceReceiving) && ev.ReceivingSchool == "" {
			bad(ColEvidenceReceiving, fmt.Sprintf("%s needs the school the child now attends (without it the child counts as not attending)", en.Status))
		}
	case v1.EnrolmentSuspendedForIllness, v1.EnrolmentDeferred:
		if cols.Has(ColEvidenceApprovedBy) && ev.ApprovedBy == "" {
			bad(ColEvidenceApprovedBy, fmt.Sprintf("%s needs the approving authority", en.Status))
		}
		if cols.Has(ColEvidenceUntil) && ev.Until == "" {
			bad(ColEvidenceUntil, fmt.Sprintf("%s needs the last day it covers", en.Status))
		}
	case v1.EnrolmentHomeDelivered:
		if cols.Has(ColEvidenceCertificate, ColEvidenceApprovedBy) && en.Evidence == nil {
			bad("evidence", "HomeDelivered needs evidence: fill evidence_certificate (the home-education plan) or evidence_approved_by")
		}
	}

	// Guardians.
	for _, g := range []struct{ name, rel, phone string }{
		{ColGuardianName, ColGuardianRelation, ColGuardianPhone},
		{ColGuardian2Name, ColGuardian2Relation, ColGuardian2Phone},
	} {
		gd := v1.Guardian{Name: rec.get(g.name), Relation: rec.get(g.rel), Phone: rec.get(g.phone)}
		if gd == (v1.Guardian{}) {
			continue
		}
		if gd.Name == "" {
			bad(g.name, "required when a relation or phone of this guardian is given")
		}
		maxLen(g.name, gd.Name, 64, bad)
		maxLen(g.rel, gd.Relation, 32, bad)
		if p := TextProblem(gd.Name); p != "" {
			bad(g.name, p)
		}
		if p := TextProblem(gd.Relation); p != "" {
			bad(g.rel, p)
		}
		if gd.Phone != "" && !rePhone.MatchString(gd.Phone) {
			bad(g.phone, "a phone number has digits only, optionally with + and -, 6 to 20 characters")
		}
		spec.Guardians = append(spec.Guardians, gd)
	}

	// Focus groups.
	if fg := rec.get(ColFocusGroups); fg != "" {
		seen := map[v1.FocusGroup]bool{}
		for i, item := range strings.FieldsFunc(fg, func(r rune) bool { return r == ';' || r == '；' }) {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			g, ok := matchEnum(aliasOf(item, focusAliases), focusGroups)
			if !ok {
				bad(ColFocusGroups, fmt.Sprintf("item %d is not one of %s", i+1, joinEnum(focusGroups)))
				continue
			}
			if !seen[g] {
				seen[g] = true
				spec.FocusGroups = append(spec.FocusGroups, g)
			}
		}
	}

	stu := &v1.Student{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1.GroupVersion.String(), Kind: "Student"},
		ObjectMeta: metav1.ObjectMeta{Name: StudentName(CanonicalID(spec.ResidentID, spec.StudentNumber))},
		Spec:       spec,
	}
	return stu, reasons
}

func parseIntColumn(rec record, col string, lo, hi int, bad func(string, string)) int32 {
	s := normalizeGradeOrClass(rec.get(col))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		bad(col, fmt.Sprintf("must be a whole number from %d to %d", lo, hi))
		return 0
	}
	return int32(n)
}

func maxLen(col, v string, max int, bad func(string, string)) {
	if utf8.RuneCountInString(v) > max {
		bad(col, fmt.Sprintf("at most %d characters", max))
	}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// aliasOf is the English value of a Chinese one, or s itself.
func aliasOf(s string, aliases map[string]string) string {
	if en, ok := aliases[strings.TrimSpace(s)]; ok {
		return en
	}
	return s
}

// parseSex reads 男/女 (or Male/Female, M/F). Empty, it is taken from the resident ID's 17th
// digit (odd for a boy); given, it must agree with it, as the API server also checks.
func parseSex(s, residentID string, bad func(string, string)) v1.Sex {
	fromID := ResidentIDSex(residentID)
	var sex v1.Sex
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return fromID
	case "男", "male", "m":
		sex = v1.SexMale
	case "女", "female", "f":
		sex = v1.SexFemale
	default:
		bad(ColSex, "must be 男 or 女 (Male or Female)")
		return ""
	}
	if fromID != "" && sex != fromID {
		bad(ColSex, "does not match the resident ID: its 17th digit is odd for a boy (男) and even for a girl (女)")
	}
	return sex
}

// matchEnum matches s case-insensitively against the values of an enum.
func matchEnum[T ~string](s string, values []T) (T, bool) {
	for _, v := range values {
		if strings.EqualFold(s, string(v)) {
			return v, true
		}
	}
	return "", false
}

func joinEnum[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// KeepAbsentColumns copies into spec the fields of columns the file does not have, from the
// Student as it is on the server, so an extract without (say) guardian columns leaves the
// guardians alone. Fields of columns that are present are what the file says, empty or not.
func KeepAbsentColumns(spec *v1.StudentSpec, existing *v1.StudentSpec, cols ColumnSet) {
	if existing == nil {
		return
	}
	if !cols.Has(ColResidentID) {
		spec.ResidentID = existing.ResidentID
	}
	if !cols.Has(ColStudentNumber) {
		spec.StudentNumber = existing.StudentNumber
	}
	if !cols.Has(ColSex) && spec.Sex == "" {
		spec.Sex = existing.Sex
	}
	if !cols.Has(ColVillage) {
		spec.Residence.Village = existing.Residence.Village
	}
	if !cols.Has(ColGroup) {
		spec.Residence.Group = existing.Residence.Group
	}
	en, old := &spec.Enrolment, &existing.Enrolment
	if !cols.Has(ColEnrolmentSince) {
		en.Since = old.Since
	}
	if !cols.Has(ColSchool) {
		en.School = old.School
	}
	if !cols.Has(ColGrade) {
		en.Grade = old.Grade
	}
	if !cols.Has(ColClass) {
		en.Class = old.Class
	}
	if !cols.Has(ColDeferredBefore) {
		en.DeferredBefore = old.DeferredBefore
	}
	evCols := []string{ColEvidenceCertificate, ColEvidenceIssuedBy, ColEvidenceIssuedOn, ColEvidenceReceiving, ColEvidenceApprovedBy, ColEvidenceUntil}
	if !cols.Has(evCols...) {
		if old.Evidence != nil {
			ev := *old.Evidence
			en.Evidence = &ev
		}
	} else if old.Evidence != nil {
		ev := v1.Evidence{}
		if en.Evidence != nil {
			ev = *en.Evidence
		}
		keep := func(col string, dst *string, src string) {
			if !cols.Has(col) {
				*dst = src
			}
		}
		keep(ColEvidenceCertificate, &ev.Certificate, old.Evidence.Certificate)
		keep(ColEvidenceIssuedBy, &ev.IssuedBy, old.Evidence.IssuedBy)
		keep(ColEvidenceReceiving, &ev.ReceivingSchool, old.Evidence.ReceivingSchool)
		keep(ColEvidenceApprovedBy, &ev.ApprovedBy, old.Evidence.ApprovedBy)
		if !cols.Has(ColEvidenceIssuedOn) {
			ev.IssuedOn = old.Evidence.IssuedOn
		}
		if !cols.Has(ColEvidenceUntil) {
			ev.Until = old.Evidence.Until
		}
		if ev != (v1.Evidence{}) {
			en.Evidence = &ev
		}
	}
	if !cols.Has(ColGuardianName, ColGuardianRelation, ColGuardianPhone, ColGuardian2Name, ColGuardian2Relation, ColGuardian2Phone) {
		spec.Guardians = append([]v1.Guardian(nil), existing.Guardians...)
	}
	if !cols.Has(ColFocusGroups) {
		spec.FocusGroups = append([]v1.FocusGroup(nil), existing.FocusGroups...)
	}
	// The other registries' findings are not the student registry's to change, except that the
	// student registry now lists the child.
	spec.NotListedIn = slices.DeleteFunc(slices.Clone(existing.NotListedIn), func(s v1.RegistrySource) bool { return s == v1.SourceStudentRegistry })
}

// PersonalValues lists the personal data in a Student spec (names, IDs, birth date, phone
// numbers), so that messages from elsewhere (an API server's error) can be scrubbed of them.
func PersonalValues(spec *v1.StudentSpec) []string {
	var vals []string
	add := func(s string) {
		if s = strings.TrimSpace(s); len(s) >= 2 {
			vals = append(vals, s)
		}
	}
	add(spec.Name)
	add(spec.ResidentID)
	add(spec.StudentNumber)
	add(string(spec.BirthDate))
	add(strings.ReplaceAll(string(spec.BirthDate), "-", ""))
	for _, g := range spec.Guardians {
		add(g.Name)
		add(g.Phone)
	}
	return vals
}
