// Package ledger builds the three ledgers (台账) of a county from its Students and DropoutCases:
// suspected dropouts, confirmed dropouts and the school-age roster. It is pure; the tables carry
// children's names because they are printed for authorised staff on their own screen. Never log
// them.
package ledger

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// Kinds of ledger.
const (
	Suspected = "suspected"
	Confirmed = "confirmed"
	Roster    = "roster"
)

// Kinds lists the ledgers in the order they are printed.
var Kinds = []string{Suspected, Confirmed, Roster}

// Table is a ledger ready to print. Title, headings and notes are in English; the plugin
// translates them (and the enumerated values in the cells) for display.
type Table struct {
	Title  string
	Header []string
	// Wide names the columns shown only with -o wide.
	Wide map[string]bool
	// Compound names the columns whose cells hold several enumerated values among other text
	// (the measures taken): each value is translated in place.
	Compound map[string]bool
	Rows     [][]string
	// Notes are printed under the table (counts, caveats).
	Notes []Note
}

// Note is a line under a table: a format and its arguments, so it can be translated.
type Note struct {
	Format string
	Args   []any
	// Scope is the namespace the note counts, when a table joins several.
	Scope string
}

func note(format string, args ...any) Note { return Note{Format: format, Args: args} }

func wide(cols ...string) map[string]bool {
	m := make(map[string]bool, len(cols))
	for _, c := range cols {
		m[c] = true
	}
	return m
}

// Build returns the ledger of the given kind.
func Build(kind string, in Input) (Table, error) {
	switch kind {
	case Suspected:
		return BuildSuspected(in), nil
	case Confirmed:
		return BuildConfirmed(in), nil
	case Roster:
		return BuildRoster(in), nil
	}
	return Table{}, fmt.Errorf("unknown ledger %q: use suspected, confirmed or roster", kind)
}

// openStage is the stage of an open case; "" when the case is closed.
func openStage(c *v1.DropoutCase) v1.Stage {
	if c.Status.Stage == v1.StageClosed {
		return ""
	}
	if c.Status.Stage == "" {
		return v1.StageSchoolReported // just opened, not yet processed by the controller
	}
	return c.Status.Stage
}

// IsConfirmed: an open case at TownshipReported or later on the ladder, including a child who
// came back after that and is still followed up (Returned) until the case is struck off.
func IsConfirmed(c *v1.DropoutCase) bool {
	return openStage(c) != "" && policy.ReachedTownship(c) && !held(c)
}

// held: the controller holds the case in Conflict (it breaks 一生一案) and does not follow it.
func held(c *v1.DropoutCase) bool { return policy.Held(c) }

// conflictNotes list the cases held in Conflict, which neither ledger counts, so that a person
// closes or deletes them.
func conflictNotes(cases []v1.DropoutCase) []Note {
	var names []string
	for i := range cases {
		if c := &cases[i]; held(c) {
			reason := meta.FindStatusCondition(c.Status.Conditions, v1.CaseConflict).Reason
			names = append(names, fmt.Sprintf("%s (%s, for %s)", c.Name, reason, c.Spec.Student))
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	return []Note{note("%d cases held in Conflict, breaking one case per child (一生一案), not counted: close or delete them: %s",
		len(names), strings.Join(names, ", "))}
}

// lastDayOnTime turns status.nextDeadline (the instant the action becomes overdue: the start of
// the next day in the county's time zone) into the last local day on time, as people write it.
func lastDayOnTime(deadline *metav1.Time, loc *time.Location) string {
	if deadline == nil {
		return ""
	}
	if loc == nil {
		loc = time.Local
	}
	return deadline.Add(-time.Nanosecond).In(loc).Format("2006-01-02")
}

func party(p *v1.ResponsibleParty) string {
	if p == nil {
		return ""
	}
	if p.Name != "" {
		return p.Name
	}
	return string(p.Role)
}

// assignee names everyone the case assigns on one line (the responsible people of 三包), the
// role standing in for a name not recorded.
func assignee(as []v1.Assignee) string {
	names := make([]string, 0, len(as))
	for _, a := range as {
		if a.Name != "" {
			names = append(names, a.Name)
		} else {
			names = append(names, string(a.Role))
		}
	}
	return strings.Join(names, "、")
}

// guardian is the first guardian's name and phone: the people a visit goes to. Personal data:
// in the ledger only.
func guardian(s *v1.Student) (name, phone string) {
	if len(s.Spec.Guardians) == 0 {
		return "", ""
	}
	g := s.Spec.Guardians[0]
	return g.Name, g.Phone
}

// measures lists the actions recorded on a case, oldest first, as a 台账 writes 采取措施:
// date, action, who, outcome. The enumerated words are translated by the printer.
func measures(c *v1.DropoutCase) string {
	acts := append([]v1.CaseAction(nil), c.Spec.Actions...)
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].Date < acts[j].Date })
	parts := make([]string, 0, len(acts))
	for _, a := range acts {
		p := string(a.Date) + " " + string(a.Type) + " " + a.By
		if a.Outcome != "" {
			p += " " + string(a.Outcome)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// supportMissing is the reason of the child's SupportMissing condition (AidMissing,
// PairingMissing, HomeTeachingShortWeek) while it is True: the support the terms require and the
// child lacks.
func supportMissing(s *v1.Student) string {
	if c := meta.FindStatusCondition(s.Status.Conditions, v1.StudentSupportMissing); c != nil && c.Status == metav1.ConditionTrue {
		return c.Reason
	}
	return ""
}

func itoa(n int32) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(int(n))
}

func byClass(students map[string]*v1.Student, a, b string) bool {
	x, y := students[a], students[b]
	if x == nil || y == nil {
		return a < b
	}
	ex, ey := x.Spec.Enrolment, y.Spec.Enrolment
	if ex.School != ey.School {
		return ex.School < ey.School
	}
	if ex.Grade != ey.Grade {
		return ex.Grade < ey.Grade
	}
	if ex.Class != ey.Class {
		return ex.Class < ey.Class
	}
	return a < b
}

func index(students []v1.Student) map[string]*v1.Student {
	m := make(map[string]*v1.Student, len(students))
	for i := range students {
		m[students[i].Name] = &students[i]
	}
	return m
}

// BuildSuspected lists children at risk (1–2 unexcused days, no case yet) and children whose
// open case is still at the school (SchoolReported, or Returned without having reached the
// township): 疑似辍学台账.
func BuildSuspected(in Input) Table {
	students, cases, loc := in.Students, in.Cases, in.Loc
	st := index(students)
	caseOf := map[string]*v1.DropoutCase{}
	for i := range cases {
		c := &cases[i]
		if openStage(c) != "" && !policy.ReachedTownship(c) && !held(c) {
			caseOf[c.Spec.Student] = c
		}
	}
	var names []string
	for i := range students {
		s := &students[i]
		if caseOf[s.Name] != nil || meta.IsStatusConditionTrue(s.Status.Conditions, v1.StudentAtRisk) {
			names = append(names, s.Name)
		}
	}
	for n := range caseOf {
		if st[n] == nil {
			names = append(names, n) // case of a Student that is gone: still on the ledger
		}
	}
	sort.Slice(names, func(i, j int) bool { return byClass(st, names[i], names[j]) })
	t := Table{
		Title: "Suspected dropouts (疑似辍学台账): at risk, or case open at the school",
		Header: []string{"SCHOOL", "GRADE", "CLASS", "STUDENT", "NAME", "DAYS", "ABSENT-SINCE", "STATE", "CASE", "DEADLINE", "EDUCATION", "GOVERNMENT", "SEX",
			"SCHOOL-NAME", "VILLAGE", "VILLAGE-NAME", "GUARDIAN", "PHONE", "CAUSE", "MEASURES", "SUPPORT"},
		Wide:     wide("ABSENT-SINCE", "GOVERNMENT", "SEX", "VILLAGE", "VILLAGE-NAME", "GUARDIAN", "PHONE", "MEASURES"),
		Compound: wide("MEASURES"),
	}
	for _, n := range names {
		s := st[n]
		row := make([]string, len(t.Header))
		row[3] = n
		state := "AtRisk"
		if s != nil {
			e := s.Spec.Enrolment
			row[0], row[1], row[2] = string(e.School), itoa(e.Grade), itoa(e.Class)
			row[4] = s.Spec.Name
			row[5] = strconv.Itoa(int(s.Status.Attendance.ConsecutiveUnexcusedDays))
			row[6] = string(s.Status.Attendance.AbsentSince)
			row[10], row[11] = party(s.Status.Responsible.Education), party(s.Status.Responsible.Government)
			row[12] = string(s.Spec.Sex)
			row[13] = in.Names.School(e.School)
			row[14] = string(s.Spec.Residence.Village)
			row[15] = in.Names.Village(s.Spec.Residence.Village)
			row[16], row[17] = guardian(s)
			row[20] = supportMissing(s)
		}
		if c := caseOf[n]; c != nil {
			state = string(openStage(c))
			row[18], row[19] = string(c.Spec.Cause), measures(c)
			row[8] = c.Name
			row[9] = lastDayOnTime(c.Status.NextDeadline, loc)
			if a := assignee(c.Status.Assignees.Education); a != "" {
				row[10] = a
			}
			if a := assignee(c.Status.Assignees.Government); a != "" {
				row[11] = a
			}
		}
		row[7] = state
		t.Rows = append(t.Rows, row)
	}
	t.Notes = append(t.Notes, note("%d children", len(t.Rows)))
	t.Notes = append(t.Notes, conflictNotes(cases)...)
	return t
}

// BuildConfirmed lists open cases that reached the township (TownshipReported, ReturnNoticeIssued,
// LegalAction, and Returned children still followed up after that): 辍学台账.
func BuildConfirmed(in Input) Table {
	students, cases, loc := in.Students, in.Cases, in.Loc
	st := index(students)
	var open []*v1.DropoutCase
	for i := range cases {
		if IsConfirmed(&cases[i]) {
			open = append(open, &cases[i])
		}
	}
	sort.Slice(open, func(i, j int) bool {
		if open[i].Spec.Student == open[j].Spec.Student {
			return open[i].Name < open[j].Name
		}
		return byClass(st, open[i].Spec.Student, open[j].Spec.Student)
	})
	t := Table{
		Title: "Confirmed dropouts (辍学台账): cases reported to the township, until struck off",
		Header: []string{"CASE", "STUDENT", "NAME", "SCHOOL", "GRADE", "CLASS", "VILLAGE", "TYPE", "STAGE", "OPENED", "DAYS",
			"VISITS", "ACTION-DUE", "DEADLINE", "OVERDUE", "EDUCATION", "GOVERNMENT", "SEX",
			"SCHOOL-NAME", "TOWNSHIP", "TOWNSHIP-NAME", "VILLAGE-NAME", "GUARDIAN", "PHONE", "CAUSE", "MEASURES", "PLACEMENT", "SUPPORT"},
		Wide: wide("STUDENT", "TYPE", "OPENED", "GOVERNMENT", "SEX", "TOWNSHIP", "TOWNSHIP-NAME",
			"GUARDIAN", "PHONE", "MEASURES"),
		Compound: wide("MEASURES"),
	}
	stages := map[v1.Stage]int{}
	for _, c := range open {
		row := make([]string, len(t.Header))
		row[0], row[1] = c.Name, c.Spec.Student
		if s := st[c.Spec.Student]; s != nil {
			e := s.Spec.Enrolment
			row[2], row[3], row[4], row[5] = s.Spec.Name, string(e.School), itoa(e.Grade), itoa(e.Class)
			row[6] = string(s.Spec.Residence.Village)
			row[17] = string(s.Spec.Sex)
			r := s.Spec.Residence
			row[18], row[19], row[20] = in.Names.School(e.School), string(r.Township), in.Names.Township(r.Township)
			row[21] = in.Names.Village(r.Village)
			row[22], row[23] = guardian(s)
			row[27] = supportMissing(s)
		}
		row[24], row[25], row[26] = string(c.Spec.Cause), measures(c), string(c.Spec.Placement)
		row[7], row[8], row[9] = string(c.Spec.Type), string(openStage(c)), string(c.Spec.Opened)
		row[10] = strconv.Itoa(int(c.Status.DaysAbsent))
		row[11] = fmt.Sprintf("%d/%d", c.Status.VisitsRecorded, c.Status.VisitsRequired)
		row[12] = string(c.Status.RequiredAction)
		row[13] = lastDayOnTime(c.Status.NextDeadline, loc)
		if meta.IsStatusConditionTrue(c.Status.Conditions, v1.CaseOverdue) {
			row[14] = "Overdue"
		}
		row[15], row[16] = assignee(c.Status.Assignees.Education), assignee(c.Status.Assignees.Government)
		stages[openStage(c)]++
		t.Rows = append(t.Rows, row)
	}
	t.Notes = append(t.Notes, note("%d open cases", len(open)))
	for _, s := range []v1.Stage{v1.StageTownshipReported, v1.StageReturnNoticeIssued, v1.StageLegalAction, v1.StageReturned} {
		if stages[s] > 0 {
			t.Notes = append(t.Notes, note("%d %s", stages[s], string(s)))
		}
	}
	t.Notes = append(t.Notes, conflictNotes(cases)...)
	return t
}

// BuildRoster lists the school-age children (as the controller judged them) with their
// enrolment status: 适龄儿童少年花名册.
func BuildRoster(in Input) Table {
	students := in.Students
	st := index(students)
	var names []string
	unprocessed := 0
	for i := range students {
		s := &students[i]
		if s.Status.ObservedGeneration == 0 {
			unprocessed++
			continue
		}
		if s.Status.SchoolAge {
			names = append(names, s.Name)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := st[names[i]], st[names[j]]
		if a.Spec.Residence.Village != b.Spec.Residence.Village {
			return a.Spec.Residence.Village < b.Spec.Residence.Village
		}
		return byClass(st, names[i], names[j])
	})
	t := Table{
		Title: "School-age roster (适龄儿童少年花名册)",
		Header: []string{"STUDENT", "NAME", "SEX", "AGE", "ENROLMENT", "SCHOOL", "GRADE", "CLASS", "TOWNSHIP", "VILLAGE", "FOCUS", "ABSENT", "CASE",
			"SCHOOL-NAME", "TOWNSHIP-NAME", "VILLAGE-NAME", "GUARDIAN", "PHONE", "SUPPORT"},
		Wide: wide("TOWNSHIP", "TOWNSHIP-NAME", "FOCUS", "GUARDIAN", "PHONE"),
	}
	counts := map[v1.EnrolmentStatus]int{}
	bySex := map[v1.Sex]int{}
	for _, n := range names {
		s := st[n]
		e := s.Spec.Enrolment
		var focus []string
		for _, f := range s.Spec.FocusGroups {
			focus = append(focus, string(f))
		}
		r := s.Spec.Residence
		gName, gPhone := guardian(s)
		t.Rows = append(t.Rows, []string{
			n, s.Spec.Name, string(s.Spec.Sex), strconv.Itoa(int(s.Status.Age)), string(e.Status), string(e.School), itoa(e.Grade), itoa(e.Class),
			string(r.Township), string(r.Village), strings.Join(focus, ";"),
			itoa(s.Status.Attendance.ConsecutiveUnexcusedDays), s.Status.OpenCase,
			in.Names.School(e.School), in.Names.Township(r.Township), in.Names.Village(r.Village), gName, gPhone, supportMissing(s),
		})
		counts[e.Status]++
		bySex[s.Spec.Sex]++
	}
	t.Notes = append(t.Notes, note("%d school-age children", len(names)))
	t.Notes = append(t.Notes, unknownAttendance(st, names)...)
	if len(names) > 0 {
		t.Notes = append(t.Notes, note("%d boys, %d girls", bySex[v1.SexMale], bySex[v1.SexFemale]))
	}
	for _, s := range []v1.EnrolmentStatus{v1.EnrolmentEnrolled, v1.EnrolmentNotEnrolled, v1.EnrolmentTransferredOut,
		v1.EnrolmentSuspendedForIllness, v1.EnrolmentDeferred, v1.EnrolmentHomeDelivered, v1.EnrolmentStudyingElsewhere, v1.EnrolmentCompleted} {
		if counts[s] > 0 {
			t.Notes = append(t.Notes, note("%d %s", counts[s], string(s)))
		}
	}
	if unprocessed > 0 {
		t.Notes = append(t.Notes, note("%d Students not yet processed by the controller (no status) are not listed", unprocessed))
	}
	return t
}

// unknownAttendance lists, under the roster, the children of silent classes: no roll call says
// whether they come (Attending Unknown), so a person must find out.
func unknownAttendance(st map[string]*v1.Student, names []string) []Note {
	var unknown []string
	for _, n := range names {
		if meta.IsStatusConditionPresentAndEqual(st[n].Status.Conditions, v1.StudentAttending, metav1.ConditionUnknown) {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return []Note{note("attendance unknown, class not reporting: %s", strings.Join(unknown, ", "))}
}
