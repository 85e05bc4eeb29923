package policy

import (
	"reflect"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func i32(v int32) *int32 { return &v }
func pct(v string) *v1.Percent {
	p := v1.Percent(v)
	return &p
}

func agreement(name string, line v1.Line, role v1.Role, person string, scope v1.Scope, terms v1.Terms) *v1.ResponsibilityAgreement {
	return &v1.ResponsibilityAgreement{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: v1.ResponsibilityAgreementSpec{Line: line, Responsible: v1.Party{Role: role, Name: person},
			Scope: scope, Effective: v1.Period{From: "2026-09-01"}, Terms: terms},
	}
}

func pupil(name string, status v1.EnrolmentStatus, school v1.SchoolCode, grade, class int32, village v1.VillageCode) *v1.Student {
	return &v1.Student{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v1.StudentSpec{
		BirthDate: "2017-03-01",
		Residence: v1.Residence{Township: "520121100", Village: village, Group: v1.GroupCode(string(village) + "003")},
		Enrolment: v1.Enrolment{Status: status, School: school, Grade: grade, Class: class},
	}}
}

var (
	today     = MustDate("2026-11-22")
	county    = agreement("county-edu", v1.LineEducation, v1.RoleCountyBureau, "Bureau", v1.Scope{}, v1.Terms{Escalation: v1.Escalation{RequiredVisits: i32(3), TownshipReportAfterDays: i32(10)}, Targets: v1.Targets{MaxDropout: pct("1")}})
	school    = agreement("school-1", v1.LineEducation, v1.RolePrincipal, "Principal Li", v1.Scope{School: "5201210001", Catchment: []v1.VillageCode{"520121100201"}}, v1.Terms{Escalation: v1.Escalation{SchoolReportAfterDays: i32(5)}})
	grade5    = agreement("g5", v1.LineEducation, v1.RoleGradeLeader, "Leader Wu", v1.Scope{School: "5201210001", Grade: 5}, v1.Terms{})
	class53   = agreement("g5c3", v1.LineEducation, v1.RoleHomeroomTeacher, "Teacher Zhao", v1.Scope{School: "5201210001", Grade: 5, Class: 3}, v1.Terms{Escalation: v1.Escalation{RequiredVisits: i32(4)}})
	baoren    = agreement("baoren", v1.LineEducation, v1.RoleSubjectTeacher, "Teacher Sun", v1.Scope{School: "5201210001", Students: []string{"amy"}}, v1.Terms{})
	township  = agreement("tw", v1.LineGovernment, v1.RoleTownshipCadre, "Cadre Chen", v1.Scope{Township: "520121100"}, v1.Terms{})
	village   = agreement("vil", v1.LineGovernment, v1.RoleVillageCadre, "Cadre Hu", v1.Scope{Township: "520121100", Village: "520121100201"}, v1.Terms{Escalation: v1.Escalation{TownshipReportAfterDays: i32(8)}})
	otherVill = agreement("vil2", v1.LineGovernment, v1.RoleVillageCadre, "Cadre Ma", v1.Scope{Township: "520121100", Village: "520121100202"}, v1.Terms{})
	all       = []*v1.ResponsibilityAgreement{county, school, grade5, class53, baoren, township, village, otherVill}
)

func names(c Chain) []string {
	var out []string
	for _, a := range c {
		out = append(out, a.Name)
	}
	return out
}

func TestResolve(t *testing.T) {
	cases := []struct {
		name       string
		student    *v1.Student
		education  []string
		government []string
		visits     int32
		schoolDays int32
	}{
		{"class over grade over school over county", pupil("bob", v1.EnrolmentEnrolled, "5201210001", 5, 3, "520121100201"),
			[]string{"g5c3", "g5", "school-1", "county-edu"}, []string{"vil", "tw"}, 4, 5},
		{"named students (包人) are narrowest of all", pupil("amy", v1.EnrolmentEnrolled, "5201210001", 5, 3, "520121100201"),
			[]string{"baoren", "g5c3", "g5", "school-1", "county-edu"}, []string{"vil", "tw"}, 4, 5},
		{"another class of the grade gets the grade leader", pupil("cal", v1.EnrolmentEnrolled, "5201210001", 5, 1, "520121100202"),
			[]string{"g5", "school-1", "county-edu"}, []string{"vil2", "tw"}, 3, 5},
		{"not enrolled in the catchment: the school finds the child", pupil("dan", v1.EnrolmentNotEnrolled, "", 0, 0, "520121100201"),
			[]string{"school-1", "county-edu"}, []string{"vil", "tw"}, 3, 5},
		{"not enrolled outside the catchment: only the county", pupil("eve", v1.EnrolmentNotEnrolled, "", 0, 0, "520121100202"),
			[]string{"county-edu"}, []string{"vil2", "tw"}, 3, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Resolve(all, c.student, today)
			if !reflect.DeepEqual(names(r.Education), c.education) || !reflect.DeepEqual(names(r.Government), c.government) {
				t.Fatalf("education %v government %v, want %v %v", names(r.Education), names(r.Government), c.education, c.government)
			}
			l, err := LadderFrom(r.Terms)
			if err != nil {
				t.Fatal(err)
			}
			if l.RequiredVisits != c.visits || l.SchoolReportAfterDays != c.schoolDays {
				t.Errorf("ladder visits %d school report %d, want %d %d", l.RequiredVisits, l.SchoolReportAfterDays, c.visits, c.schoolDays)
			}
		})
	}
}

func TestTermInheritance(t *testing.T) {
	merged := MergeTerms(class53.Spec.Terms, school.Spec.Terms, county.Spec.Terms, village.Spec.Terms)
	l, err := LadderFrom(merged)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultLadder
	want.RequiredVisits, want.SchoolReportAfterDays, want.TownshipReportAfterDays = 4, 5, 10 // education line before government
	got := l
	got.Steps, want.Steps = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ladder %+v, want %+v", got, want)
	}
	if s := stepAt(l.Steps, v1.StageSchoolReported); *s.When.ConsecutiveDays != 5 {
		t.Fatalf("the school-report step counts %d days, want the inherited 5", *s.When.ConsecutiveDays)
	}
	if merged.Targets.MaxDropout == nil || *merged.Targets.MaxDropout != "1" {
		t.Fatalf("target not inherited from the county: %v", merged.Targets.MaxDropout)
	}
	if _, err := LadderFrom(v1.Terms{Escalation: v1.Escalation{SchoolReportAfterDays: i32(12)}}); err == nil {
		t.Fatal("an inherited ladder that is not increasing must be reported")
	}
}

func TestActivePeriod(t *testing.T) {
	a := agreement("x", v1.LineEducation, v1.RolePrincipal, "P", v1.Scope{School: "5201210001"}, v1.Terms{})
	a.Spec.Effective = v1.Period{From: "2025-09-01", Until: "2026-08-31"}
	if IsActive(a, today) || !IsActive(a, MustDate("2026-08-31")) || IsActive(a, MustDate("2025-08-31")) {
		t.Fatal("effective period not respected")
	}
	r := Resolve([]*v1.ResponsibilityAgreement{a}, pupil("bob", v1.EnrolmentEnrolled, "5201210001", 5, 3, "520121100201"), today)
	if len(r.Education) != 0 {
		t.Fatal("an expired agreement must not apply")
	}
}

func TestConflictsAreMutualAndResolutionDeterministic(t *testing.T) {
	dup := agreement("g5c3-new", v1.LineEducation, v1.RoleHomeroomTeacher, "Teacher Qian", class53.Spec.Scope, v1.Terms{})
	set := append([]*v1.ResponsibilityAgreement{dup}, all...)
	c := Conflicts(set, today)
	if !reflect.DeepEqual(c["g5c3"], []string{"g5c3-new"}) || !reflect.DeepEqual(c["g5c3-new"], []string{"g5c3"}) || len(c) != 2 {
		t.Fatalf("conflicts = %v", c)
	}
	bob := pupil("bob", v1.EnrolmentEnrolled, "5201210001", 5, 3, "520121100201")
	first := Resolve(set, bob, today).Education.Narrowest().Name
	reversed := []*v1.ResponsibilityAgreement{}
	for i := len(set) - 1; i >= 0; i-- {
		reversed = append(reversed, set[i])
	}
	if second := Resolve(reversed, bob, today).Education.Narrowest().Name; first != second || first != "g5c3" {
		t.Fatalf("resolution depends on order: %s vs %s (want g5c3, first by name)", first, second)
	}
}

func TestMissingResponsibility(t *testing.T) {
	bob := pupil("bob", v1.EnrolmentEnrolled, "5201210001", 5, 1, "520121100203")
	msg := MissingResponsibility(Resolve(all, bob, today), bob)
	for _, want := range []string{"no class agreement for school 5201210001 grade 5 class 1", "no village agreement for village 520121100203"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	ok := pupil("bob", v1.EnrolmentEnrolled, "5201210001", 5, 3, "520121100201")
	if msg := MissingResponsibility(Resolve(all, ok, today), ok); msg != "" {
		t.Errorf("fully assigned child reported missing: %q", msg)
	}
}

func TestScopeIndexKeysMeetStudentKeys(t *testing.T) {
	for _, a := range all {
		for _, s := range []*v1.Student{pupil("amy", v1.EnrolmentEnrolled, "5201210001", 5, 3, "520121100201"), pupil("dan", v1.EnrolmentNotEnrolled, "", 0, 0, "520121100201")} {
			if !Covers(a, s) {
				continue
			}
			found := false
			for _, k := range ScopeIndexKeys(a) {
				for _, sk := range StudentScopeKeys(s) {
					found = found || k == sk
				}
			}
			if !found {
				t.Errorf("%s covers %s but no index key meets", a.Name, s.Name)
			}
		}
	}
}

// An agreement's figures are the sum of its keys' tallies: a child it covers counts under exactly
// one of its keys, and a child it does not cover under none.
func TestTallyKeysPartitionEveryScope(t *testing.T) {
	kids := []*v1.Student{
		pupil("amy", v1.EnrolmentEnrolled, "5201210001", 5, 3, "520121100201"),
		pupil("bob", v1.EnrolmentEnrolled, "5201210001", 5, 1, "520121100202"),
		pupil("cat", v1.EnrolmentEnrolled, "5201210002", 2, 1, "520121100201"),
		pupil("dan", v1.EnrolmentNotEnrolled, "", 0, 0, "520121100201"),
		pupil("eve", v1.EnrolmentTransferredOut, "5201210001", 0, 0, "520121100203"),
		pupil("fay", v1.EnrolmentNotEnrolled, "", 0, 0, "520121100202"),
	}
	for _, a := range all {
		if ScopeLevel(a.Spec.Scope) == LevelStudents {
			continue
		}
		for _, s := range kids {
			met := 0
			for _, k := range ScopeIndexKeys(a) {
				for _, tk := range TallyKeys(s) {
					if k == tk {
						met++
					}
				}
			}
			if want := b2i(Covers(a, s)); met != want {
				t.Errorf("%s and %s: %d keys meet, want %d", a.Name, s.Name, met, want)
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestAssignByStage(t *testing.T) {
	r := Resolve(all, pupil("bob", v1.EnrolmentEnrolled, "5201210001", 5, 3, "520121100201"), today)
	school := Assign(v1.StageSchoolReported, r)
	if len(school.Education) != 2 || school.Education[0].Role != v1.RoleHomeroomTeacher || school.Education[1].Role != v1.RolePrincipal ||
		len(school.Government) != 1 || school.Government[0].Role != v1.RoleVillageCadre {
		t.Fatalf("SchoolReported assignees %+v: the village cadre is on the case from the start, the township not yet", school)
	}
	tw := Assign(v1.StageTownshipReported, r)
	if len(tw.Government) != 2 || tw.Government[0].Role != v1.RoleVillageCadre {
		t.Fatalf("TownshipReported government assignees %+v", tw.Government)
	}
	// The same lines filled in without a stage change (a new agreement closes a gap): the
	// township cadre added (the village cadre was on the case already). With the stage change
	// that brought it in: none, the stage change tells it.
	changes := AssigneeChanges(school, tw, false, today)
	if len(changes) != 1 || changes[0].Role != v1.RoleTownshipCadre || changes[0].From != "" {
		t.Fatalf("changes without a stage change %+v", changes)
	}
	if changes := AssigneeChanges(school, tw, true, today); len(changes) != 0 {
		t.Fatalf("roles joining with the stage counted as changes of hands: %+v", changes)
	}
	// A homeroom teacher replaced at the moment the case escalates is a change of hands.
	handed := tw
	handed.Education = append([]v1.Assignee{{Role: v1.RoleHomeroomTeacher, Name: "New Teacher", Agreement: "x"}}, tw.Education[1:]...)
	if changes := AssigneeChanges(school, handed, true, today); len(changes) != 1 || changes[0].To != "New Teacher" || changes[0].From == "" {
		t.Fatalf("change of hands during a stage change: %+v", changes)
	}
}

func TestContains(t *testing.T) {
	cases := []struct {
		wide, narrow v1.Scope
		want         bool
	}{
		{v1.Scope{}, v1.Scope{School: "5201210001"}, true},
		{v1.Scope{School: "5201210001"}, v1.Scope{School: "5201210001", Grade: 5, Class: 3}, true},
		{v1.Scope{School: "5201210002"}, v1.Scope{School: "5201210001", Grade: 5, Class: 3}, false},
		{v1.Scope{School: "5201210001", Grade: 4}, v1.Scope{School: "5201210001", Grade: 5, Class: 3}, false},
		{v1.Scope{School: "5201210001", Grade: 5, Class: 3}, v1.Scope{School: "5201210001", Grade: 5, Class: 3}, false},
		{v1.Scope{Township: "520121100"}, v1.Scope{Township: "520121100", Village: "520121100201"}, true},
		{v1.Scope{Township: "520121101"}, v1.Scope{Township: "520121100", Village: "520121100201"}, false},
	}
	for _, c := range cases {
		if got := Contains(c.wide, c.narrow); got != c.want {
			t.Errorf("Contains(%+v, %+v) = %v, want %v", c.wide, c.narrow, got, c.want)
		}
	}
}

// Every agreement whose scope contains another's is found under the narrower one's WiderKeys.
func TestWiderKeysFindEveryContainingAgreement(t *testing.T) {
	group := agreement("grp", v1.LineGovernment, v1.RoleGroupLeader, "Leader", v1.Scope{Township: "520121100", Village: "520121100201", Group: "520121100201001"}, v1.Terms{})
	for _, narrow := range append([]*v1.ResponsibilityAgreement{group}, all...) {
		for _, wide := range all {
			if !Contains(wide.Spec.Scope, narrow.Spec.Scope) {
				continue
			}
			found := false
			for _, k := range ScopeIndexKeys(wide) {
				for _, w := range WiderKeys(narrow.Spec.Scope) {
					found = found || k == w
				}
			}
			if !found {
				t.Errorf("%s contains %s but is not found under %v", wide.Name, narrow.Name, WiderKeys(narrow.Spec.Scope))
			}
		}
	}
}
