package demo

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

var today = time.Date(2026, time.November, 23, 0, 0, 0, 0, time.UTC) // a Monday

func TestDeterministic(t *testing.T) {
	a, b := Generate(today, DefaultSeed), Generate(today, DefaultSeed)
	ya, _ := a.AgreementsYAML()
	yb, _ := b.AgreementsYAML()
	if !bytes.Equal(a.RegistryCSV(), b.RegistryCSV()) || !bytes.Equal(a.AttendanceCSV(), b.AttendanceCSV()) ||
		!bytes.Equal(a.ActionsCSV(), b.ActionsCSV()) || !bytes.Equal(ya, yb) {
		t.Fatal("two runs with the same seed and date differ")
	}
	c := Generate(today.AddDate(0, 0, 7), DefaultSeed)
	if !bytes.Equal(a.RegistryCSV(), c.RegistryCSV()) {
		t.Error("the registry changed with the date within one school year")
	}
}

func TestRegistryIsValidAndRealistic(t *testing.T) {
	c := Generate(today, DefaultSeed)
	f, err := registry.ParseRegistry(bytes.NewReader(c.RegistryCSV()))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Errors) != 0 {
		t.Fatalf("generated registry has errors: %v", f.Errors)
	}
	n := len(f.Rows)
	if n < 280 || n > 360 {
		t.Errorf("%d children, want about 300", n)
	}
	status := map[v1.EnrolmentStatus]int{}
	focus, leftBehind := 0, 0
	roles := map[string]int{}
	for _, ch := range c.Children {
		status[ch.Spec.Enrolment.Status]++
		roles[ch.Role]++
		if len(ch.Spec.FocusGroups) > 0 {
			focus++
		}
		for _, g := range ch.Spec.FocusGroups {
			if g == v1.FocusLeftBehind {
				leftBehind++
			}
		}
		birth, _ := time.Parse("2006-01-02", string(ch.Spec.BirthDate))
		age := c.SchoolYear.Year() - birth.Year()
		if birth.Month() >= time.September {
			age--
		}
		if g := ch.Spec.Enrolment.Grade; ch.Spec.Enrolment.Status == v1.EnrolmentEnrolled && age != int(g)+5 {
			t.Errorf("pupil in grade %d is %d at the school year's start", g, age)
		}
		switch ch.Role {
		case RoleNotEnrolled:
			if age < 7 || age > 14 {
				t.Errorf("not-enrolled child of age %d, want 7–14", age)
			}
		case RoleDeferred:
			if age != 6 {
				t.Errorf("deferred child of age %d, want 6", age)
			}
		case RoleUnder6:
			if age >= 6 {
				t.Errorf("under-6 child of age %d", age)
			}
		case RoleOver15:
			if age <= 15 {
				t.Errorf("over-15 child of age %d", age)
			}
		}
	}
	if share := float64(status[v1.EnrolmentEnrolled]) / float64(n); share < 0.88 || share > 0.96 {
		t.Errorf("enrolled share %.2f, want about 0.9", share)
	}
	if share := float64(focus) / float64(n); share < 0.12 || share > 0.28 {
		t.Errorf("focus-group share %.2f, want about 0.2", share)
	}
	if leftBehind*2 < focus {
		t.Errorf("left-behind %d of %d focus-group children: should be the most common", leftBehind, focus)
	}
	want := map[string]int{RoleTransferred: 3, RoleTransferredBad: 1, RoleSuspended: 1, RoleDeferred: 1, RoleHomeDelivered: 1, RoleNotEnrolled: 3}
	for r, w := range want {
		if roles[r] != w {
			t.Errorf("%d children with role %s, want %d", roles[r], r, w)
		}
	}
	if roles[RoleUnder6] == 0 || roles[RoleOver15] == 0 {
		t.Errorf("no under-6 or over-15 children")
	}
	for _, ch := range c.Children {
		if ch.Role == RoleTransferred && ch.Spec.Enrolment.Evidence.Certificate == "" ||
			ch.Role == RoleTransferredBad && ch.Spec.Enrolment.Evidence.Certificate != "" {
			t.Errorf("transfer evidence wrong for %s", ch.Role)
		}
	}
	// Class sizes.
	sizes := map[string]int{}
	for _, ch := range c.Children {
		if e := ch.Spec.Enrolment; e.Status == v1.EnrolmentEnrolled {
			sizes[classKey(string(e.School), e.Grade, e.Class)]++
		}
	}
	for k, s := range sizes {
		if s < 25 || s > 35 {
			t.Errorf("class %s has %d pupils", k, s)
		}
	}
}

// runs replays the attendance file: for each child, the marks on each reported day.
func runs(t *testing.T, c *County) map[string][]v1.AbsenceKind {
	t.Helper()
	f, err := registry.ParseAttendance(bytes.NewReader(c.AttendanceCSV()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Errors) != 0 {
		t.Fatalf("attendance errors: %v", f.Errors)
	}
	if want := len(c.Classes) * SchoolDays; len(f.Reports) != want {
		t.Fatalf("%d reports, want one per class and day (%d)", len(f.Reports), want)
	}
	dayIndex := map[v1.Date]int{}
	for i, d := range c.Days {
		dayIndex[v1.Date(d.Format("2006-01-02"))] = i
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || !d.Before(c.Today) {
			t.Errorf("day %s is not a weekday before today", d)
		}
	}
	marks := map[string][]v1.AbsenceKind{}
	zero := 0
	for _, r := range f.Reports {
		if len(r.Report.Spec.Absences) == 0 {
			zero++
		}
		for _, a := range r.Report.Spec.Absences {
			if marks[a.Student] == nil {
				marks[a.Student] = make([]v1.AbsenceKind, SchoolDays)
			}
			marks[a.Student][dayIndex[r.Report.Spec.Date]] = a.Kind
		}
	}
	if zero*2 < len(f.Reports) {
		t.Errorf("only %d of %d reports are zero reports", zero, len(f.Reports))
	}
	return marks
}

func TestAttendancePatterns(t *testing.T) {
	c := Generate(today, DefaultSeed)
	marks := runs(t, c)
	run := func(m []v1.AbsenceKind) (current, present int) {
		for i := len(m) - 1; i >= 0; i-- {
			switch m[i] {
			case "":
				if current > 0 {
					return current, present
				}
				present++
			case "Unexcused", "LeftWithoutLeave":
				if present > 0 {
					return 0, present
				}
				current++
			}
		}
		return current, present
	}
	tests := []struct {
		role       string
		minRun     int
		maxRun     int
		presentEnd int
	}{
		{RoleAtRisk1, 1, 1, 0},
		{RoleAtRisk2, 2, 2, 0},
		{RoleSchool4, 4, 4, 0},
		{RoleSchool7, 7, 7, 0},
		{RoleTownship12, 12, 12, 0},
		{RoleTownship15, 15, 15, 0},
		{RoleNoticeFuture, 15, 15, 0},
		{RoleNoticePassed, 15, 15, 0},
		{RoleReturned, 0, 0, 3},
	}
	for _, tt := range tests {
		ch := c.Planned(tt.role)
		if ch == nil {
			t.Errorf("no child planned as %s", tt.role)
			continue
		}
		cur, present := run(marks[ch.Name()])
		if cur < tt.minRun || cur > tt.maxRun || (tt.presentEnd > 0 && present != tt.presentEnd) {
			t.Errorf("%s: current run %d, present at the end %d", tt.role, cur, present)
		}
	}
	// The returned child was away 5 school days before coming back.
	m := marks[c.Planned(RoleReturned).Name()]
	away := 0
	for _, k := range m {
		if k == "Unexcused" {
			away++
		}
	}
	if away != 5 {
		t.Errorf("returned child away %d days, want 5", away)
	}
}

func TestActions(t *testing.T) {
	c := Generate(today, DefaultSeed)
	f, err := registry.ParseActions(bytes.NewReader(c.ActionsCSV()))
	if err != nil || len(f.Errors) != 0 {
		t.Fatalf("actions: %v %v", err, f)
	}
	rows := f.Rows
	visits := map[string]int{}
	var notices []registry.ActionRow
	for _, r := range rows {
		if r.Action.Type == v1.ActionHomeVisit {
			visits[r.StudentID]++
		}
		if r.Action.Type == v1.ActionReturnNotice {
			notices = append(notices, r)
		}
		// Actions fall within the child's current absence, so the ladder counts them.
		for _, a := range c.Actions {
			if a.Child.Spec.ResidentID == r.StudentID && string(a.Date) >= c.Today.Format("2006-01-02") {
				t.Errorf("action dated today or later")
			}
		}
	}
	if visits[c.Planned(RoleTownship12).Spec.ResidentID] != 3 {
		t.Errorf("township child has %d visits, want 3", visits[c.Planned(RoleTownship12).Spec.ResidentID])
	}
	if len(notices) != 2 {
		t.Fatalf("%d return notices, want 2", len(notices))
	}
	todayS := v1.Date(c.Today.Format("2006-01-02"))
	ahead, passed := 0, 0
	for _, n := range notices {
		if n.Action.Deadline > todayS {
			ahead++
		} else {
			passed++
		}
	}
	if ahead != 1 || passed != 1 {
		t.Errorf("notices: %d with the deadline ahead, %d passed", ahead, passed)
	}
}

func TestAgreements(t *testing.T) {
	c := Generate(today, DefaultSeed)
	classes := map[string]bool{}
	levels := map[v1.Role]int{}
	override := 0
	for _, a := range c.Agreements {
		levels[a.Spec.Responsible.Role]++
		s := a.Spec.Scope
		if s.Class != 0 {
			classes[classKey(string(s.School), s.Grade, s.Class)] = true
		}
		if a.Spec.Terms.Escalation.RequiredVisits != nil {
			if s.Class != 0 && *a.Spec.Terms.Escalation.RequiredVisits == 4 {
				override++
			}
		}
		if a.Spec.Responsible.Role == v1.RolePrincipal && len(s.Catchment) == 0 {
			t.Errorf("school agreement %s without catchment", a.Name)
		}
	}
	for _, cl := range c.Classes {
		if !classes[classKey(cl.School, cl.Grade, cl.Class)] {
			t.Errorf("class %s-%d-%d has no agreement", cl.School, cl.Grade, cl.Class)
		}
	}
	if override != 1 {
		t.Errorf("%d class agreements override requiredVisits to 4, want 1", override)
	}
	for role, min := range map[v1.Role]int{v1.RoleCountyBureau: 1, v1.RoleCountyGovernment: 1, v1.RolePrincipal: 3, v1.RoleGradeLeader: 1,
		v1.RoleTownshipCadre: 2, v1.RoleVillageCadre: 6, v1.RoleGroupLeader: 2} {
		if levels[role] < min {
			t.Errorf("%d agreements with role %s, want at least %d", levels[role], role, min)
		}
	}
	y, err := c.AgreementsYAML()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(y), "\nkind: ResponsibilityAgreement\n"); n != len(c.Agreements) {
		t.Errorf("YAML has %d agreements, want %d", n, len(c.Agreements))
	}
	if strings.Contains(string(y), "status:") || strings.Contains(string(y), "creationTimestamp") {
		t.Error("YAML carries status or server fields")
	}
}

func TestSyntheticRegistry(t *testing.T) {
	data := SyntheticRegistry(2000, 1, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	f, err := registry.ParseRegistry(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rows) != 2000 || len(f.Errors) != 0 {
		t.Fatalf("rows %d errors %v", len(f.Rows), f.Errors)
	}
}

func TestAppendSchoolDay(t *testing.T) {
	c := Generate(today, DefaultSeed)
	last := c.Days[len(c.Days)-1]
	i := c.AppendSchoolDay()
	if i != SchoolDays || len(c.Days) != SchoolDays+1 {
		t.Fatalf("new day index %d of %d days", i, len(c.Days))
	}
	next := c.Days[i]
	if !next.After(last) || next.Weekday() == time.Saturday || next.Weekday() == time.Sunday || next.Sub(last) > 72*time.Hour {
		t.Errorf("next school day after %s is %s (%s)", last.Format("2006-01-02"), next.Format("2006-01-02"), next.Weekday())
	}
	rows, err := csv.NewReader(bytes.NewReader(c.AttendanceCSVFrom(i))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	classes, absent := map[string]bool{}, map[string]string{}
	for _, r := range rows[1:] {
		if r[3] != next.Format("2006-01-02") {
			t.Fatalf("row of another day: %v", r)
		}
		classes[r[0]+"/"+r[1]+"/"+r[2]] = true
		if r[5] != "" {
			absent[r[5]] = r[6]
		}
	}
	if len(classes) != len(c.Classes) {
		t.Errorf("%d classes report, want all %d", len(classes), len(c.Classes))
	}
	// Away without excuse on the last day: still away. Back, or on leave: present.
	for _, role := range []string{RoleAtRisk1, RoleSchool7, RoleTownship15} {
		if id := c.Planned(role).Spec.ResidentID; absent[id] != "Unexcused" {
			t.Errorf("%s: marked %q on the new day, want Unexcused", role, absent[id])
		}
	}
	if id := c.Planned(RoleReturned).Spec.ResidentID; absent[id] != "" {
		t.Errorf("the returned child is marked %q on the new day", absent[id])
	}
	if len(absent) != 8 {
		t.Errorf("%d absences on the new day, want the 8 planned runs that reach the last day", len(absent))
	}
}

// TestDemoCarriesTwoMonthsOfReports: the demo county has the monthly reports of the two months
// before its own, for every school, township and the county; the older confirmed on its due
// day, the later never confirmed (so Late once the manager judges it).
func TestDemoCarriesTwoMonthsOfReports(t *testing.T) {
	today := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	reports := Generate(today, DefaultSeed).Reports()
	months := map[string][2]int{}
	for _, r := range reports {
		m := months[r.Spec.Month]
		if r.Spec.Confirmation != nil {
			m[0]++
			if on := r.Spec.Confirmation.At.Format("2006-01-02"); on != string(r.Spec.Due) {
				t.Errorf("%s confirmed on %s, due %s", r.Name, on, r.Spec.Due)
			}
		} else {
			m[1]++
		}
		months[r.Spec.Month] = m
		if r.Spec.Figures.Coverage.Children == 0 {
			t.Errorf("%s counts no children", r.Name)
		}
	}
	per := len(Schools) + len(townships) + 1
	if months["2026-10"] != [2]int{per, 0} || months["2026-11"] != [2]int{0, per} || len(months) != 2 {
		t.Errorf("confirmed/unconfirmed by month: %v", months)
	}
}
