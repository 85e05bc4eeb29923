package ledger

import (
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// Input is what a ledger is built from: the county's Students and DropoutCases (today's, or
// rewound by AsOf), the names of its schools, townships and villages, and its time zone.
type Input struct {
	Students []v1.Student
	Cases    []v1.DropoutCase
	Names    Names
	Loc      *time.Location
}

// AsOf rewinds the input to the end of a past day, from what the record keeps:
//   - attendance: each child's run of unexcused days on that day, from the class records
//     (ClassAttendance, one per class and month) of the child's class;
//   - cases: only those opened by that day, at the stage their status.history shows that day,
//     with the actions dated up to that day, the visits among them, the assignees their
//     status.assigneeHistory shows, and a closure only if it was dated by then;
//   - ages on that day, from the birth date.
//
// What the record does not keep stays as today: a child's identity, residence, guardians and
// enrolment (the Student keeps no spec history, so a child since moved shows the new class and
// school), a case's cause and placement (recorded without a date; a placement shows only on a case
// returned or closed by that day), and each line's responsible party for a child with no case.
// Deadlines and Overdue are not reproduced: the ledger of a past day shows what was recorded, not
// what was owed. A child counts as at risk on a day with at least one unexcused day in a run and
// no case (the default ladder's first step).
func AsOf(in Input, classes []v1.ClassAttendance, day time.Time) Input {
	loc := in.Loc
	if loc == nil {
		loc = time.Local
	}
	date := policy.FormatDate(day)
	end := policy.StartOfDay(policy.AddDays(day, 1), loc)
	out := Input{Names: in.Names, Loc: in.Loc}
	openCase := map[string]string{}
	for i := range in.Cases {
		c, ok := rewindCase(&in.Cases[i], date, end)
		if !ok {
			continue
		}
		if c.Status.Stage != v1.StageClosed && !held(&c) {
			openCase[c.Spec.Student] = c.Name
		}
		out.Cases = append(out.Cases, c)
	}
	days := classDays(classes, date)
	for i := range in.Students {
		s := in.Students[i].DeepCopy()
		if s.CreationTimestamp.After(end) {
			continue // registered after the day
		}
		rewindStudent(s, days[classOf(s.Spec.Enrolment)], day, openCase[s.Name])
		out.Students = append(out.Students, *s)
	}
	run := map[string]int32{}
	for i := range out.Students {
		run[out.Students[i].Name] = out.Students[i].Status.Attendance.ConsecutiveUnexcusedDays
	}
	for i := range out.Cases {
		out.Cases[i].Status.DaysAbsent = run[out.Cases[i].Spec.Student]
	}
	return out
}

type classKey struct {
	school       v1.SchoolCode
	grade, class int32
}

func classOf(e v1.Enrolment) classKey { return classKey{e.School, e.Grade, e.Class} }

// classDays joins each class's monthly records into its days up to the given date, oldest first.
func classDays(classes []v1.ClassAttendance, upTo v1.Date) map[classKey][]v1.ClassDay {
	out := map[classKey][]v1.ClassDay{}
	for i := range classes {
		sp := &classes[i].Spec
		k := classKey{sp.School, sp.Grade, sp.Class}
		for _, d := range sp.Days {
			if d.Date <= upTo {
				out[k] = append(out[k], d)
			}
		}
	}
	for k := range out {
		sort.Slice(out[k], func(i, j int) bool { return out[k][i].Date < out[k][j].Date })
	}
	return out
}

// rewindStudent sets the status fields a ledger shows to their values on the day.
func rewindStudent(s *v1.Student, days []v1.ClassDay, day time.Time, openCase string) {
	st := &s.Status
	st.Attendance.ConsecutiveUnexcusedDays, st.Attendance.AbsentSince = 0, ""
	if s.Spec.Enrolment.Status == v1.EnrolmentEnrolled {
		if run := policy.CurrentRun(policy.ChildDays(days, s.Name, s.Spec.Enrolment.Since)); len(run) > 0 {
			st.Attendance.ConsecutiveUnexcusedDays, st.Attendance.AbsentSince = int32(len(run)), run[0]
		}
	}
	if birth, err := policy.ParseDate(s.Spec.BirthDate); err == nil {
		st.Age = int32(policy.Age(birth, day))
	}
	st.OpenCase = openCase
	atRisk := metav1.ConditionFalse
	if openCase == "" && st.Attendance.ConsecutiveUnexcusedDays > 0 {
		atRisk = metav1.ConditionTrue
	}
	meta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: v1.StudentAtRisk, Status: atRisk, Reason: "AsOf"})
}

// rewindCase is the case as it stood at end (the start of the day after date); false when it was
// not yet opened.
func rewindCase(in *v1.DropoutCase, date v1.Date, end time.Time) (v1.DropoutCase, bool) {
	if in.Spec.Opened > date {
		return v1.DropoutCase{}, false
	}
	c := *in.DeepCopy()
	var actions []v1.CaseAction
	var visits int32
	for _, a := range c.Spec.Actions {
		if a.Date <= date {
			actions = append(actions, a)
			if a.Type == v1.ActionHomeVisit && a.Date >= c.Spec.Opened {
				visits++
			}
		}
	}
	c.Spec.Actions = actions
	if c.Spec.Closure != nil && c.Spec.Closure.Date > date {
		c.Spec.Closure = nil
	}
	var history []v1.StageChange
	for _, h := range c.Status.History {
		if h.Time.Time.Before(end) {
			history = append(history, h)
		}
	}
	c.Status.History = history
	c.Status.Stage = v1.StageSchoolReported
	if len(history) > 0 {
		c.Status.Stage = history[len(history)-1].Stage
	}
	if c.Status.Stage != v1.StageReturned && c.Status.Stage != v1.StageClosed {
		c.Spec.Placement = ""
	}
	c.Status.VisitsRecorded = visits
	c.Status.NextDeadline, c.Status.DueBy, c.Status.RequiredAction, c.Status.RequiredLine = nil, "", "", ""
	meta.RemoveStatusCondition(&c.Status.Conditions, v1.CaseOverdue)
	rewindAssignees(&c.Status, end)
	return c, true
}

// rewindAssignees undoes, newest first, the hand-overs recorded after end: the role was held by
// the person it passed from.
func rewindAssignees(st *v1.DropoutCaseStatus, end time.Time) {
	changes := append([]v1.AssigneeChange(nil), st.AssigneeHistory...)
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].Time.After(changes[j].Time.Time) })
	for _, ch := range changes {
		if ch.Time.Time.Before(end) {
			break
		}
		list := &st.Assignees.Education
		if ch.Line == v1.LineGovernment {
			list = &st.Assignees.Government
		}
		for i := range *list {
			if (*list)[i].Role == ch.Role {
				(*list)[i].Name = ch.From
			}
		}
	}
	var kept []v1.AssigneeChange
	for _, ch := range st.AssigneeHistory {
		if ch.Time.Time.Before(end) {
			kept = append(kept, ch)
		}
	}
	st.AssigneeHistory = kept
}
