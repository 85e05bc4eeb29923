package policy

import (
	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// focusGroups fixes an order (by name, as the status lists them) for the focus groups, so that a
// Tally holds them in an array and stays a comparable value.
var focusGroups = [...]v1.FocusGroup{v1.FocusDisability, v1.FocusLearningDifficulty, v1.FocusLeftBehind, v1.FocusMigrant, v1.FocusRegisteredPoor}

// Tally is what one child adds to the figures of every scope that covers it. Tallies add up, so a
// scope's figures are the sum of its children's, kept up to date one child at a time (+ the new
// contribution, − the old) instead of re-measured over the whole scope. The rate definitions
// (docs/rates.md) are in the names:
//
//	SchoolAge  P  school-age population, less those validly studying elsewhere;
//	Enrolled   E  children in P enrolled here, or validly suspended, deferred or home-educated;
//	Base       B  E + T, T being those treated as dropped out (视同辍学), less the children with a
//	              disability taught at home (送教上门, outside the headcount, 002);
//	Dropouts   D  children in E with an open DroppedOut case at TownshipReported or later, plus T;
//	Occurred      this school year's confirmed dropouts (assessment), plus T.
//
// The by-level figures split B, D and Occurred between primary and junior age; Confirmed counts
// the children in E with an open confirmed dropout case, who do not count as enrolled in the
// enrolment rates; Poor are the children of registered poor households (建档立卡).
type Tally struct {
	Children, Attending, AtRisk, DroppedOut, Returned int32
	OpenCases                                         v1.StageCounts

	SchoolAge, Enrolled, Base, Dropouts, Occurred  int32
	PopulationPrimary, EnrolledPrimary             int32
	PopulationJunior, EnrolledJunior               int32
	DisabilitySchoolAge, DisabilityEnrolled        int32
	Focus                                          [len(focusGroups)]v1.FocusGroupCount
	BasePrimary, OccurredPrimary, ConfirmedPrimary int32
	BaseJunior, OccurredJunior, ConfirmedJunior    int32
	PoorBase, PoorDropouts                         int32
	// Grade7 and Grade9 count the children in E − C (enrolled, not an open confirmed dropout) in
	// grades 7 and 9: the intake and the cohort of the three-year retention (三年保存率).
	Grade7, Grade9 int32
	// Outcomes counts causes and placements of the children's latest cases (outcomes.go).
	Outcomes Outcomes
	// Pending counts children whose status does not describe their spec yet (a new or edited
	// Student not reconciled so far): the figures are not final while any is pending.
	Pending int32
}

// Contribution is one child's part of every figure. A case held in Conflict counts nowhere.
func Contribution(ch ChildFacts) Tally {
	ch.Cases = countedCases(ch.Cases)
	t := Tally{Children: 1, Attending: b2i32(ch.Attending), AtRisk: b2i32(ch.AtRisk),
		Pending: b2i32(ch.Student.Status.ObservedGeneration != ch.Student.Generation)}
	t.Outcomes = OutcomesOf(ch.Cases)
	open := openCase(ch.Cases)
	if open != nil {
		countStage(&t.OpenCases, open.Status.Stage)
	}
	confirmed := false
	for _, dc := range ch.Cases {
		if dc.Spec.Type == v1.CaseDroppedOut {
			t.DroppedOut = 1
			t.Returned |= b2i32(dc.Status.ClosedReason == "Returned")
			confirmed = confirmed || ReachedTownship(dc)
		}
	}
	if !ch.SchoolAge || studiesElsewhere(ch.Standing) {
		return t
	}
	t.SchoolAge = 1
	enrolled := ch.Standing.Standing == StandingInSchool || ch.Standing.Standing == StandingExempt
	switch {
	case enrolled && outsideHeadcount(ch):
		t.Enrolled = 1
	case enrolled:
		t.Enrolled, t.Base = 1, 1
		t.Dropouts = b2i32(open != nil && open.Spec.Type == v1.CaseDroppedOut && Escalated(open.Status.Stage))
		t.Occurred = b2i32(confirmed)
	case TreatedAsDropout(ch.Student, ch.Standing):
		t.Base, t.Dropouts, t.Occurred = 1, 1, 1
	}
	confirmedNow := b2i32(enrolled) & t.Dropouts
	inSchool, grade := enrolled && confirmedNow == 0, ch.Student.Spec.Enrolment.Grade
	t.Grade7, t.Grade9 = b2i32(inSchool && grade == 7), b2i32(inSchool && grade == 9)
	if ch.Primary {
		t.PopulationPrimary, t.EnrolledPrimary = 1, b2i32(enrolled)
		t.BasePrimary, t.OccurredPrimary, t.ConfirmedPrimary = t.Base, t.Occurred, confirmedNow
	} else {
		t.PopulationJunior, t.EnrolledJunior = 1, b2i32(enrolled)
		t.BaseJunior, t.OccurredJunior, t.ConfirmedJunior = t.Base, t.Occurred, confirmedNow
	}
	for _, g := range ch.Student.Spec.FocusGroups {
		for i, fg := range focusGroups {
			if fg == g {
				t.Focus[i] = v1.FocusGroupCount{Group: g, SchoolAge: 1, Enrolled: b2i32(enrolled), OpenCases: b2i32(open != nil)}
			}
		}
		switch g {
		case v1.FocusDisability:
			t.DisabilitySchoolAge, t.DisabilityEnrolled = 1, b2i32(enrolled)
		case v1.FocusRegisteredPoor:
			t.PoorBase, t.PoorDropouts = t.Base, t.Dropouts
		}
	}
	return t
}

// outsideHeadcount reports whether a child is left out of the headcount assessment (人数考核):
// a child with a disability taught at home (送教上门), "对特殊学有困难的残疾学生特殊对待，不把此类
// 学生纳入人数考核" (002). It is enrolled, and counted by the disability enrolment rate, but is in
// none of the bases the dropout rates and the assessment are taken over.
func outsideHeadcount(ch ChildFacts) bool {
	if ch.Standing.Standing != StandingExempt || ch.Standing.Reason != "HomeDelivered" {
		return false
	}
	for _, g := range ch.Student.Spec.FocusGroups {
		if g == v1.FocusDisability {
			return true
		}
	}
	return false
}

// Add adds o to t (sign 1) or takes it away (sign -1).
func (t *Tally) Add(o Tally, sign int32) {
	add := func(dst *int32, v int32) { *dst += sign * v }
	for _, f := range []struct{ dst, v *int32 }{
		{&t.Children, &o.Children}, {&t.Attending, &o.Attending}, {&t.AtRisk, &o.AtRisk},
		{&t.DroppedOut, &o.DroppedOut}, {&t.Returned, &o.Returned},
		{&t.OpenCases.SchoolReported, &o.OpenCases.SchoolReported}, {&t.OpenCases.TownshipReported, &o.OpenCases.TownshipReported},
		{&t.OpenCases.ReturnNoticeIssued, &o.OpenCases.ReturnNoticeIssued}, {&t.OpenCases.LegalAction, &o.OpenCases.LegalAction},
		{&t.OpenCases.Returned, &o.OpenCases.Returned},
		{&t.SchoolAge, &o.SchoolAge}, {&t.Enrolled, &o.Enrolled}, {&t.Base, &o.Base}, {&t.Dropouts, &o.Dropouts}, {&t.Occurred, &o.Occurred},
		{&t.PopulationPrimary, &o.PopulationPrimary}, {&t.EnrolledPrimary, &o.EnrolledPrimary},
		{&t.PopulationJunior, &o.PopulationJunior}, {&t.EnrolledJunior, &o.EnrolledJunior},
		{&t.DisabilitySchoolAge, &o.DisabilitySchoolAge}, {&t.DisabilityEnrolled, &o.DisabilityEnrolled},
		{&t.Pending, &o.Pending},
		{&t.BasePrimary, &o.BasePrimary}, {&t.OccurredPrimary, &o.OccurredPrimary}, {&t.ConfirmedPrimary, &o.ConfirmedPrimary},
		{&t.BaseJunior, &o.BaseJunior}, {&t.OccurredJunior, &o.OccurredJunior}, {&t.ConfirmedJunior, &o.ConfirmedJunior},
		{&t.PoorBase, &o.PoorBase}, {&t.PoorDropouts, &o.PoorDropouts}, {&t.Grade7, &o.Grade7}, {&t.Grade9, &o.Grade9},
	} {
		add(f.dst, *f.v)
	}
	for i := range t.Focus {
		t.Focus[i].Group = focusGroups[i]
		add(&t.Focus[i].SchoolAge, o.Focus[i].SchoolAge)
		add(&t.Focus[i].Enrolled, o.Focus[i].Enrolled)
		add(&t.Focus[i].OpenCases, o.Focus[i].OpenCases)
	}
	t.Outcomes.add(o.Outcomes, sign)
}

func (t Tally) coverage() v1.Coverage {
	c := v1.Coverage{Children: t.Children, SchoolAge: t.SchoolAge, Enrolled: t.Enrolled, Attending: t.Attending, AtRisk: t.AtRisk,
		OpenCases: t.OpenCases, DroppedOut: t.DroppedOut, Returned: t.Returned,
		DisabilitySchoolAge: t.DisabilitySchoolAge, DisabilityEnrolled: t.DisabilityEnrolled, Grade7: t.Grade7, Grade9: t.Grade9}
	c.Causes, c.Placements = t.Outcomes.counts()
	for _, fc := range t.Focus {
		if fc.SchoolAge > 0 {
			c.FocusGroups = append(c.FocusGroups, fc)
		}
	}
	return c
}

func b2i32(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

func countedCases(cases []*v1.DropoutCase) []*v1.DropoutCase {
	out := make([]*v1.DropoutCase, 0, len(cases))
	for _, dc := range cases {
		if !Held(dc) {
			out = append(out, dc)
		}
	}
	return out
}
