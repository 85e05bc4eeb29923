// Package queue builds work queues: what each responsible person owes, and by when. It reads
// what the controller wrote (case status: the required action, the line that owes it, the
// assignees; agreement status: a class's missing roll calls) and is pure.
package queue

import (
	"sort"
	"strconv"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/ledger"
	"kongchuo.io/kongchuo/internal/policy"
)

// SubmitRollCall is the work of a homeroom teacher whose class has school days without a roll
// call (零报告 included): not an API action, a queue item.
const SubmitRollCall = "SubmitRollCall"

// Item is one thing one person owes.
type Item struct {
	Person    string // the person's name, else empty
	Role      v1.Role
	Line      v1.Line
	Agreement string // the agreement that makes the person responsible
	What      string // an ActionType, or SubmitRollCall
	Case      string // the case, for actions
	Student   string // the child's Student object
	Name      string // the child's name (personal data: printed for authorised staff only)
	School    v1.SchoolCode
	Grade     int32
	Class     int32
	Township  v1.TownshipCode
	Village   v1.VillageCode
	DueBy     string // last day on time, YYYY-MM-DD
	DaysLate  int    // calendar days past DueBy; 0 when on time
	Overdue   bool
	Count     int // missing roll calls, for SubmitRollCall
}

// Filter narrows a queue. Empty fields do not filter.
type Filter struct {
	Person   string
	Role     v1.Role
	Line     v1.Line
	School   v1.SchoolCode
	Township v1.TownshipCode
	Village  v1.VillageCode
	// Agreements, when not nil, keeps the items of these agreements only (queue --mine).
	Agreements map[string]bool
}

func (f Filter) keep(it Item) bool {
	switch {
	case f.Person != "" && it.Person != f.Person:
	case f.Role != "" && it.Role != f.Role:
	case f.Line != "" && it.Line != f.Line:
	case f.School != "" && it.School != f.School:
	case f.Township != "" && it.Township != f.Township:
	case f.Village != "" && it.Village != f.Village:
	case f.Agreements != nil && !f.Agreements[it.Agreement]:
	default:
		return true
	}
	return false
}

// Build lists the work of a county on the given local day: for each open case with an action
// due, one item per assignee on the line that owes it (the principal and the homeroom teacher
// who must visit together each see it); for each class agreement with missing roll calls, one
// item for its responsible party. Overdue items come first, the longest overdue first, then by
// due day and person.
func Build(students []v1.Student, cases []v1.DropoutCase, agreements []v1.ResponsibilityAgreement, f Filter, today time.Time) []Item {
	byName := make(map[string]*v1.Student, len(students))
	for i := range students {
		byName[students[i].Name] = &students[i]
	}
	var items []Item
	for i := range cases {
		items = append(items, caseItems(&cases[i], byName[cases[i].Spec.Student], today)...)
	}
	for i := range agreements {
		if it, ok := rollCallItem(&agreements[i], today); ok {
			items = append(items, it)
		}
	}
	var kept []Item
	for _, it := range items {
		if f.keep(it) {
			kept = append(kept, it)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return before(kept[i], kept[j]) })
	return kept
}

func before(a, b Item) bool {
	if a.Overdue != b.Overdue {
		return a.Overdue
	}
	if a.DaysLate != b.DaysLate {
		return a.DaysLate > b.DaysLate
	}
	if a.DueBy != b.DueBy {
		return a.DueBy < b.DueBy
	}
	if a.Person != b.Person {
		return a.Person < b.Person
	}
	return a.Case < b.Case
}

func caseItems(dc *v1.DropoutCase, s *v1.Student, today time.Time) []Item {
	st := dc.Status
	if st.Stage == v1.StageClosed || st.RequiredAction == "" {
		return nil
	}
	assignees := st.Assignees.Education
	if st.RequiredLine == v1.LineGovernment {
		assignees = st.Assignees.Government
	}
	base := Item{What: string(st.RequiredAction), Case: dc.Name, Student: dc.Spec.Student, Line: st.RequiredLine,
		School: st.School, Township: st.Township, Village: st.Village, DueBy: string(st.DueBy),
		Overdue: meta.IsStatusConditionTrue(st.Conditions, v1.CaseOverdue)}
	if base.Line == "" {
		base.Line = v1.LineEducation
	}
	if s != nil {
		base.Name = s.Spec.Name
		base.School, base.Grade, base.Class = s.Spec.Enrolment.School, s.Spec.Enrolment.Grade, s.Spec.Enrolment.Class
		base.Township, base.Village = s.Spec.Residence.Township, s.Spec.Residence.Village
	}
	base.DaysLate = daysLate(base.DueBy, base.Overdue, today)
	if len(assignees) == 0 {
		return []Item{base} // nobody assigned: still owed, and the unassigned item shows it
	}
	items := make([]Item, 0, len(assignees))
	for _, a := range assignees {
		it := base
		it.Person, it.Role, it.Agreement = a.Name, a.Role, a.Agreement
		items = append(items, it)
	}
	return items
}

// rollCallItem is the missing roll calls of a class agreement: due on the first missing day.
func rollCallItem(a *v1.ResponsibilityAgreement, today time.Time) (Item, bool) {
	r := a.Status.Reporting
	if r == nil || len(r.MissingDays) == 0 || !meta.IsStatusConditionTrue(a.Status.Conditions, v1.AgreementActive) {
		return Item{}, false
	}
	first := r.MissingDays[0]
	for _, d := range r.MissingDays {
		if d < first {
			first = d
		}
	}
	sc := a.Spec.Scope
	return Item{
		Person: a.Spec.Responsible.Name, Role: a.Spec.Responsible.Role, Line: a.Spec.Line, Agreement: a.Name,
		What: SubmitRollCall, School: sc.School, Grade: sc.Grade, Class: sc.Class, DueBy: string(first),
		Overdue: true, DaysLate: daysLate(string(first), true, today), Count: len(r.MissingDays),
	}, true
}

// daysLate counts calendar days from the due day to today (a policy.LocalDate), for overdue items.
func daysLate(dueBy string, overdue bool, today time.Time) int {
	if !overdue || dueBy == "" {
		return 0
	}
	due, err := policy.ParseDate(v1.Date(dueBy))
	if err != nil {
		return 0
	}
	return max(0, int(today.Sub(due).Hours()/24))
}

// Table is the queue ready to print. The child's name is a wide column: shown on the person's
// own screen with -o wide.
func Table(items []Item) ledger.Table {
	t := ledger.Table{
		Title: "Work queue: what each responsible person owes, overdue first",
		Header: []string{"PERSON", "ROLE", "LINE", "WHAT", "DUE-BY", "OVERDUE", "CASE", "SCHOOL", "GRADE", "CLASS",
			"VILLAGE", "STUDENT", "NAME", "TOWNSHIP"},
		Wide: map[string]bool{"STUDENT": true, "NAME": true, "TOWNSHIP": true, "LINE": true},
	}
	overdue := 0
	for _, it := range items {
		late := ""
		if it.Overdue {
			overdue++
			late = strconv.Itoa(it.DaysLate)
		}
		what := it.What
		if it.What == SubmitRollCall {
			what = SubmitRollCall + " ×" + strconv.Itoa(it.Count)
		}
		t.Rows = append(t.Rows, []string{
			it.Person, string(it.Role), string(it.Line), what, it.DueBy, late, it.Case, string(it.School),
			itoa(it.Grade), itoa(it.Class), string(it.Village), it.Student, it.Name, string(it.Township),
		})
	}
	if len(items) == 0 {
		t.Notes = append(t.Notes, ledger.Note{Format: "nothing is due"})
	} else {
		t.Notes = append(t.Notes, ledger.Note{Format: "%d items, %d overdue", Args: []any{len(items), overdue}})
	}
	return t
}

func itoa(n int32) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(int(n))
}
