package registry

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

const fullHeader = "resident_id,student_number,name,birth_date,township,village,group,enrolment_status,school,grade,class," +
	"evidence_certificate,evidence_issued_by,evidence_receiving_school,evidence_approved_by,evidence_until," +
	"guardian_name,guardian_relation,guardian_phone,focus_groups\n"

// Valid IDs of the test children.
var (
	id1 = MakeResidentID("520121", "2017-03-15", 11)
	id2 = MakeResidentID("520121", "2016-07-01", 22)
	id3 = MakeResidentID("520121", "2013-01-09", 33)
)

// wrongCheck returns id with a wrong check character.
func wrongCheck(id string) string {
	if id[17] == '0' {
		return id[:17] + "1"
	}
	return id[:17] + "0"
}

func parseOK(t *testing.T, csv string) *RegistryFile {
	t.Helper()
	f, err := ParseRegistry(strings.NewReader(csv))
	if err != nil {
		t.Fatalf("ParseRegistry: %v", err)
	}
	return f
}

func TestParseRegistryValidRow(t *testing.T) {
	f := parseOK(t, fullHeader+
		id1+",G"+id1+",王小明,2017-03-15,520121100,520121100201,520121100201001,Enrolled,5201210001,3,1,,,,,,王大山,父亲,13800000001,LeftBehind;RegisteredPoor\n")
	if len(f.Errors) != 0 {
		t.Fatalf("unexpected errors: %v", f.Errors)
	}
	if len(f.Rows) != 1 || f.Rows[0].Line != 2 {
		t.Fatalf("rows = %+v", f.Rows)
	}
	got := f.Rows[0].Student
	want := v1.StudentSpec{
		Name: "王小明", ResidentID: id1, StudentNumber: "G" + id1, BirthDate: "2017-03-15",
		Sex:         v1.SexMale, // no sex column: the resident ID's 17th digit (1) says a boy
		Residence:   v1.Residence{Township: "520121100", Village: "520121100201", Group: "520121100201001"},
		Enrolment:   v1.Enrolment{Status: v1.EnrolmentEnrolled, School: "5201210001", Grade: 3, Class: 1},
		Guardians:   []v1.Guardian{{Name: "王大山", Relation: "父亲", Phone: "13800000001"}},
		FocusGroups: []v1.FocusGroup{v1.FocusLeftBehind, v1.FocusRegisteredPoor},
	}
	if !reflect.DeepEqual(got.Spec, want) {
		t.Errorf("spec =\n%+v\nwant\n%+v", got.Spec, want)
	}
	if got.Name != StudentName(id1) || got.Kind != "Student" || got.APIVersion != "kongchuo.io/v1alpha1" {
		t.Errorf("meta = %q %q %q", got.Name, got.Kind, got.APIVersion)
	}
}

// Column order comes from the header; optional columns may be missing; BOM, spaces, case and
// blank lines are tolerated; a quoted value may hold a comma.
func TestParseRegistryFlexibleHeader(t *testing.T) {
	f := parseOK(t, "\ufeffEnrolment_Status, name ,birth_date,township,student_number,evidence_receiving_school\n"+
		"transferredout,李四,2016-07-01,520121101,G"+id2+",\"贵阳市云岩区第一小学, 分校\"\n"+
		",,,,,\n\n")
	if len(f.Errors) != 0 || len(f.Rows) != 1 {
		t.Fatalf("rows %d errors %v", len(f.Rows), f.Errors)
	}
	s := f.Rows[0].Student
	if s.Name != StudentName("G"+id2) {
		t.Errorf("name from student number = %q", s.Name)
	}
	if s.Spec.Enrolment.Status != v1.EnrolmentTransferredOut || s.Spec.Enrolment.Evidence == nil ||
		s.Spec.Enrolment.Evidence.ReceivingSchool != "贵阳市云岩区第一小学, 分校" {
		t.Errorf("enrolment = %+v", s.Spec.Enrolment)
	}
	for _, c := range []string{ColEnrolmentStatus, ColName, ColStudentNumber} {
		if !f.Columns[c] {
			t.Errorf("column %s not recorded", c)
		}
	}
	if f.Columns[ColGuardianName] {
		t.Errorf("absent column recorded")
	}
}

// A household-registry extract without school columns: an enrolled child's school, grade and
// class stay as the server has them, so the row is not rejected for lacking them. With the columns
// present but empty, it is.
func TestRulesApplyToTheColumnsTheFileHas(t *testing.T) {
	f := parseOK(t, "resident_id,name,birth_date,township,enrolment_status\n"+id1+",张三,2017-03-15,520121100,Enrolled\n")
	if len(f.Errors) != 0 || len(f.Rows) != 1 {
		t.Fatalf("without school columns: rows %d errors %v", len(f.Rows), f.Errors)
	}
	f = parseOK(t, "resident_id,name,birth_date,township,enrolment_status,school,grade,class\n"+id1+",张三,2017-03-15,520121100,Enrolled,,,\n")
	if len(f.Rows) != 0 || len(f.Errors) != 1 || !strings.Contains(f.Errors[0].Error(), "school: required for an enrolled child") {
		t.Fatalf("with empty school columns: rows %d errors %v", len(f.Rows), f.Errors)
	}
}

func TestParseRegistryHeaderErrors(t *testing.T) {
	tests := []struct{ csv, want string }{
		{"", "the file is empty"},
		{"name,birth_date,township,enrolment_status\n", "at least one of the columns resident_id, student_number"},
		{"resident_id,name,birth_date,township\n", `required column "enrolment_status" (学籍状态) is missing`},
		{"resident_id,name,name,birth_date,township,enrolment_status\n", `column "name" appears twice`},
		// A file without a header row: the first child's data must not be repeated.
		{id1 + ",王小明,2017-03-15,520121100,Enrolled\n", "no known column names: the first line must be the header row"},
		{"resident_id,name,birth_date,township,enrolment_status\xff\n", "neither UTF-8 nor GB18030"},
	}
	for _, tt := range tests {
		_, err := ParseRegistry(strings.NewReader(tt.csv))
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseRegistry(%q) error = %v; want a FileError containing %q", tt.csv, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), id1) || strings.Contains(err.Error(), "王小明") {
			t.Errorf("header error repeats personal data: %v", err)
		}
	}
}

func TestParseRegistryRowErrors(t *testing.T) {
	const hdr = "resident_id,student_number,name,birth_date,township,village,group,enrolment_status,school,grade,class," +
		"evidence_certificate,evidence_receiving_school,evidence_approved_by,evidence_until,guardian_name,guardian_relation,guardian_phone,focus_groups,deferred_before\n"
	ok := func(id, birth string) string {
		return id + ",,张三," + birth + ",520121100,520121100201,,Enrolled,5201210001,2,1"
	}
	tests := []struct {
		name string
		row  string
		want []string // substrings of the reasons
	}{
		{"check digit", wrongCheck(id1) + ",,张三,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,", []string{"resident_id: check digit is wrong"}},
		{"spreadsheet", "5.20121E+17,,张三,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,", []string{"resident_id: looks like a spreadsheet"}},
		{"no id", ",,张三,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,", []string{"give the resident ID"}},
		{"bad student number", ",X123,张三,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,", []string{"student_number: must be G, J or L"}},
		{"no name", id1 + ",,,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,", []string{"name: required"}},
		{"long name", id1 + ",," + strings.Repeat("长", 65) + ",2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,", []string{"name: at most 64 characters"}},
		{"birth format", id1 + ",,张三,15/03/2017,520121100,,,NotEnrolled,,,,,,,,,,,,", []string{"birth_date: must be a date written YYYY-MM-DD"}},
		{"birth not real", id1 + ",,张三,2017-02-30,520121100,,,NotEnrolled,,,,,,,,,,,,", []string{"birth_date: is not a real calendar day"}},
		{"birth mismatch", id1 + ",,张三,2017-03-16,520121100,,,NotEnrolled,,,,,,,,,,,,", []string{"birth_date: does not match the birth date inside resident_id"}},
		{"township", id1 + ",,张三,2017-03-15,52012110,,,NotEnrolled,,,,,,,,,,,,", []string{"township: must be 9 digits"}},
		{"village prefix", id1 + ",,张三,2017-03-15,520121100,520121101201,,NotEnrolled,,,,,,,,,,,,", []string{"village: must begin with the township code"}},
		{"group without village", id1 + ",,张三,2017-03-15,520121100,,520121100201001,NotEnrolled,,,,,,,,,,,,", []string{"group: a village group needs its village"}},
		{"group prefix", id1 + ",,张三,2017-03-15,520121100,520121100201,520121100202001,NotEnrolled,,,,,,,,,,,,", []string{"group: must begin with the village code"}},
		{"status", id1 + ",,张三,2017-03-15,520121100,,,Dropped,,,,,,,,,,,,", []string{"enrolment_status: must be one of Enrolled"}},
		{"enrolled needs class", id1 + ",,张三,2017-03-15,520121100,,,Enrolled,5201210001,2,,,,,,,,,,", []string{"class: required for an enrolled child"}},
		{"enrolled needs all", id1 + ",,张三,2017-03-15,520121100,,,Enrolled,,,,,,,,,,,,", []string{"school: required", "grade: required", "class: required"}},
		{"school code", ok(id1, "2017-03-15")[:len(ok(id1, "2017-03-15"))-len("5201210001,2,1")] + "520121,2,1,,,,,,,,,", []string{"school: a school code"}},
		{"grade range", id1 + ",,张三,2017-03-15,520121100,,,Enrolled,5201210001,10,1,,,,,,,,,", []string{"grade: must be a whole number from 1 to 9"}},
		{"class range", id1 + ",,张三,2017-03-15,520121100,,,Enrolled,5201210001,1,0,,,,,,,,,", []string{"class: must be a whole number from 1 to 99"}},
		{"transfer needs receiving school", id1 + ",,张三,2017-03-15,520121100,,,TransferredOut,5201210001,,,ZX-1,,,,,,,,", []string{"evidence_receiving_school: TransferredOut needs"}},
		{"suspension needs approval", id1 + ",,张三,2017-03-15,520121100,,,SuspendedForIllness,5201210001,2,1,H-1,,,,,,,,", []string{"evidence_approved_by: SuspendedForIllness needs", "evidence_until: SuspendedForIllness needs"}},
		{"deferral until date", id1 + ",,张三,2017-03-15,520121100,,,Deferred,,,,,,县教育局,2027-08-32,,,,,", []string{"evidence_until: is not a real calendar day"}},
		{"home delivered needs evidence", id1 + ",,张三,2017-03-15,520121100,,,HomeDelivered,5201210001,,,,,,,,,,,", []string{"evidence: HomeDelivered needs evidence"}},
		{"guardian without name", ok(id1, "2017-03-15") + ",,,,,,父亲,13800000001,,", []string{"guardian_name: required when"}},
		{"guardian phone", ok(id1, "2017-03-15") + ",,,,,王大山,父亲,138 0000 0001,,", []string{"guardian_phone: a phone number has digits only"}},
		{"focus group", ok(id1, "2017-03-15") + ",,,,,,,,LeftBehind;王小明,", []string{"focus_groups: item 2 is not one of"}},
		{"deferred before", ok(id1, "2017-03-15") + ",,,,,,,,,maybe", []string{"deferred_before: must be yes or no"}},
		{"field count", id1 + ",,张三", []string{"has 3 fields but the header has 20"}},
		{"bare quote", id1 + ",,张\"三,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,", []string{"cannot be read as CSV: a double quote inside an unquoted value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parseOK(t, hdr+tt.row+"\n")
			if len(f.Rows) != 0 || len(f.Errors) != 1 {
				t.Fatalf("rows %d errors %v", len(f.Rows), f.Errors)
			}
			e := f.Errors[0]
			if e.Line != 2 {
				t.Errorf("line = %d, want 2", e.Line)
			}
			msg := e.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			// The error names columns, never personal values.
			for _, v := range []string{"张三", "王大山", "王小明", id1, id1[:17], "13800000001", "2017-03-15"} {
				if strings.Contains(msg, v) {
					t.Errorf("error %q repeats personal data %q", msg, v)
				}
			}
		})
	}
}

func TestParseRegistryDuplicatesAndGoodRowsSurvive(t *testing.T) {
	f := parseOK(t, fullHeader+
		id1+",,甲,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,\n"+ // line 2
		wrongCheck(id1)+",,乙,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,\n"+ // line 3: bad check digit
		id2+",G"+id2+",丙,2016-07-01,520121100,,,NotEnrolled,,,,,,,,,,,,\n"+ // line 4
		id1+",,丁,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,\n"+ // line 5: duplicate of line 2
		id3+",G"+id2+",戊,2013-01-09,520121100,,,NotEnrolled,,,,,,,,,,,,\n"+ // line 6: student number of line 4
		"\"multi\nline\",,己,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,\n"+ // lines 7-8: a value over two lines
		id3+",,庚,2013-01-09,520121100,,,NotEnrolled,,,,,,,,,,,,\n") // line 9: resident ID of line 6
	var lines []int
	for _, r := range f.Rows {
		lines = append(lines, r.Line)
	}
	if !reflect.DeepEqual(lines, []int{2, 4}) {
		t.Errorf("good lines = %v, want [2 4]", lines)
	}
	want := map[int]string{
		3: "check digit is wrong",
		5: "resident_id: the same resident ID is on line 2",
		6: "student_number: the same student number is on line 4",
		7: "a quoted value runs past the end of this line",
		8: "a double quote inside an unquoted value",
		9: "resident_id: the same resident ID is on line 6",
	}
	if len(f.Errors) != len(want) {
		t.Fatalf("errors = %v", f.Errors)
	}
	for _, e := range f.Errors {
		if w, ok := want[e.Line]; !ok || !strings.Contains(e.Error(), w) {
			t.Errorf("error %q; want line %d with %q", e.Error(), e.Line, w)
		}
	}
}

func TestKeepAbsentColumns(t *testing.T) {
	existing := &v1.StudentSpec{
		Name: "旧", ResidentID: id1, StudentNumber: "G" + id1, BirthDate: "2017-03-15",
		Residence: v1.Residence{Township: "520121100", Village: "520121100201", Group: "520121100201001"},
		Enrolment: v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, School: "5201210001", Grade: 3, Class: 1,
			Evidence: &v1.Evidence{Certificate: "H-1", ApprovedBy: "县教育局", Until: "2027-01-31"}},
		Guardians:   []v1.Guardian{{Name: "王大山"}},
		FocusGroups: []v1.FocusGroup{v1.FocusLeftBehind},
	}
	// A file with only the identity, the required columns and the certificate.
	f := parseOK(t, "resident_id,name,birth_date,township,enrolment_status,evidence_certificate,evidence_until\n"+
		id1+",新,2017-03-15,520121100,SuspendedForIllness,H-2,\n")
	if len(f.Errors) != 1 { // the file alone lacks evidence_approved_by: the parser checks rows on their own
		t.Fatalf("errors = %v", f.Errors)
	}
	spec := v1.StudentSpec{Name: "新", ResidentID: id1, BirthDate: "2017-03-15",
		Residence: v1.Residence{Township: "520121100"},
		Enrolment: v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, Evidence: &v1.Evidence{Certificate: "H-2"}}}
	KeepAbsentColumns(&spec, existing, f.Columns)
	want := *existing.DeepCopy()
	want.Name = "新"
	want.Enrolment.Evidence = &v1.Evidence{Certificate: "H-2", ApprovedBy: "县教育局"} // until is a present, empty column
	if !reflect.DeepEqual(spec, want) {
		t.Errorf("merged =\n%+v\nwant\n%+v", spec, want)
	}
}

func TestPersonalValues(t *testing.T) {
	spec := &v1.StudentSpec{Name: "王小明", ResidentID: id1, BirthDate: "2017-03-15",
		Guardians: []v1.Guardian{{Name: "王大山", Phone: "13800000001"}}}
	got := strings.Join(PersonalValues(spec), "|")
	for _, w := range []string{"王小明", id1, "2017-03-15", "20170315", "王大山", "13800000001"} {
		if !strings.Contains(got, w) {
			t.Errorf("PersonalValues misses %q: %s", w, got)
		}
	}
}
