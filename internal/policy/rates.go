package policy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// ChildFacts is what an agreement's measurement needs about one child in its scope.
type ChildFacts struct {
	Student  *v1.Student
	Standing EnrolmentAssessment
	// SchoolAge and Primary (in the first six years of school age) on the measuring day.
	SchoolAge, Primary bool
	AtRisk, Attending  bool
	// Cases of the child opened this school year.
	Cases []*v1.DropoutCase
}

// Measurement is an agreement's coverage, rates and assessment.
type Measurement struct {
	Coverage   v1.Coverage
	Rates      v1.Rates
	TargetsMet bool
	// Unmet lists the targets missed, for the TargetsMet condition's message.
	Unmet      []string
	Assessment v1.AssessmentResult
}

// Rate definitions (docs/rates.md):
//   P  school-age population: school-age children in scope, less those validly transferred out
//      or studying elsewhere (they count where they study);
//   E  enrolled: children in P enrolled here, or validly suspended, deferred or home-educated;
//   D  dropouts: children in E with an open DroppedOut case at TownshipReported or later
//      (confirmed dropouts; a child still counted enrolled is the one who can drop out);
//   enrolment = E/P, dropout = D/E, consolidation (巩固率) = (E−D)/E, as percentages.

// Measure computes an agreement's coverage and rates over the children in its scope.
func Measure(children []ChildFacts, terms v1.Terms) Measurement {
	var m Measurement
	c := &m.Coverage
	var p, e, pPrimary, ePrimary, pJunior, eJunior, dropouts int
	focus := map[v1.FocusGroup]*v1.FocusGroupCount{}
	for _, ch := range children {
		c.Children++
		open := openCase(ch.Cases)
		if open != nil {
			countStage(&c.OpenCases, open.Status.Stage)
		}
		droppedOut, returned := false, false
		for _, dc := range ch.Cases {
			if dc.Spec.Type == v1.CaseDroppedOut {
				droppedOut = true
				returned = returned || dc.Status.ClosedReason == "Returned"
			}
		}
		c.DroppedOut += int32(b2i(droppedOut))
		c.Returned += int32(b2i(returned))
		if ch.AtRisk {
			c.AtRisk++
		}
		if ch.Attending {
			c.Attending++
		}
		if !ch.SchoolAge || studiesElsewhere(ch.Standing) {
			continue
		}
		c.SchoolAge++
		p++
		enrolled := ch.Standing.Standing == StandingInSchool || ch.Standing.Standing == StandingExempt
		dropped := open != nil && open.Spec.Type == v1.CaseDroppedOut && Escalated(open.Status.Stage)
		if enrolled {
			c.Enrolled++
			e++
			if dropped {
				dropouts++
			}
		}
		if ch.Primary {
			pPrimary++
			ePrimary += b2i(enrolled)
		} else {
			pJunior++
			eJunior += b2i(enrolled)
		}
		for _, g := range ch.Student.Spec.FocusGroups {
			fc := focus[g]
			if fc == nil {
				fc = &v1.FocusGroupCount{Group: g}
				focus[g] = fc
			}
			fc.SchoolAge++
			fc.Enrolled += int32(b2i(enrolled))
			fc.OpenCases += int32(b2i(open != nil))
			if g == v1.FocusDisability {
				c.DisabilitySchoolAge++
				c.DisabilityEnrolled += int32(b2i(enrolled))
			}
		}
	}
	for _, fc := range focus {
		c.FocusGroups = append(c.FocusGroups, *fc)
	}
	sort.Slice(c.FocusGroups, func(i, j int) bool { return c.FocusGroups[i].Group < c.FocusGroups[j].Group })
	m.Rates = v1.Rates{
		Enrolment:           percent(e, p),
		PrimaryEnrolment:    percent(ePrimary, pPrimary),
		JuniorEnrolment:     percent(eJunior, pJunior),
		Dropout:             percent(dropouts, e),
		Consolidation:       percent(e-dropouts, e),
		DisabilityEnrolment: percent(int(c.DisabilityEnrolled), int(c.DisabilitySchoolAge)),
	}
	m.Unmet = unmetTargets(m.Rates, terms.Targets)
	m.TargetsMet = len(m.Unmet) == 0
	m.Assessment = assess(terms.Assessment, m.TargetsMet, dropouts)
	return m
}

func studiesElsewhere(a EnrolmentAssessment) bool {
	return a.Standing == StandingExempt && (a.Reason == "Transferred" || a.Reason == "StudyingElsewhere")
}

func openCase(cases []*v1.DropoutCase) *v1.DropoutCase {
	for _, dc := range cases {
		if Open(dc.Status.Stage) {
			return dc
		}
	}
	return nil
}

func countStage(c *v1.StageCounts, s v1.Stage) {
	switch s {
	case v1.StageTownshipReported:
		c.TownshipReported++
	case v1.StageReturnNoticeIssued:
		c.ReturnNoticeIssued++
	case v1.StageLegalAction:
		c.LegalAction++
	case v1.StageReturned:
		c.Returned++
	default: // a case not yet evaluated starts at SchoolReported
		c.SchoolReported++
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// percent renders n/d as a percentage with at most two decimals, rounded down so that a rate
// never shows a target as met when it is not; "" when there is nobody to measure.
func percent(n, d int) v1.Percent {
	if d == 0 {
		return ""
	}
	hundredths := n * 10000 / d
	s := strconv.Itoa(hundredths/100) + "." + fmt.Sprintf("%02d", hundredths%100)
	return v1.Percent(strings.TrimSuffix(strings.TrimRight(s, "0"), "."))
}

func parsePercent(p v1.Percent) (float64, bool) {
	if p == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(p), 64)
	return f, err == nil
}

func unmetTargets(r v1.Rates, t v1.Targets) []string {
	var unmet []string
	atLeast := func(name string, rate v1.Percent, target *v1.Percent) {
		got, ok := parsePercent(rate)
		if target == nil || !ok {
			return
		}
		if want, _ := parsePercent(*target); got < want {
			unmet = append(unmet, fmt.Sprintf("%s %s%% < %s%%", name, rate, *target))
		}
	}
	atLeast("primary enrolment", r.PrimaryEnrolment, t.PrimaryEnrolment)
	atLeast("junior enrolment", r.JuniorEnrolment, t.JuniorEnrolment)
	atLeast("consolidation", r.Consolidation, t.Consolidation)
	atLeast("disability enrolment", r.DisabilityEnrolment, t.DisabilityEnrolment)
	if got, ok := parsePercent(r.Dropout); ok && t.MaxDropout != nil {
		if max, _ := parsePercent(*t.MaxDropout); got > max {
			unmet = append(unmet, fmt.Sprintf("dropout %s%% > %s%%", r.Dropout, *t.MaxDropout))
		}
	}
	return unmet
}

func assess(a v1.Assessment, met bool, dropouts int) v1.AssessmentResult {
	var res v1.AssessmentResult
	if met && a.RewardPoints != nil {
		res.Points += *a.RewardPoints
	}
	if a.PenaltyPoints != nil {
		res.Points -= *a.PenaltyPoints * int32(dropouts)
	}
	res.Vetoed = a.VetoOnDropout != nil && *a.VetoOnDropout && dropouts > 0
	return res
}

// IsPrimaryAge reports whether a school-age child is in the first six years of school age.
func IsPrimaryAge(r SchoolAgeRules, birth, today time.Time) bool {
	first, _ := r.SchoolAgeWindow(birth)
	return today.Before(first.AddDate(6, 0, 0))
}

// ClassCompliance counts, over the reports in the cache, the school days of a class's school and
// the days the class itself reported (zero-report rule, 零报告).
func ClassCompliance(schoolDays, classDays []time.Time) v1.ReportingCompliance {
	have := map[time.Time]bool{}
	for _, d := range classDays {
		have[d] = true
	}
	all := map[time.Time]bool{}
	for _, d := range schoolDays {
		all[d] = true
	}
	out := v1.ReportingCompliance{SchoolDays: int32(len(all)), ReportedDays: int32(len(have))}
	for d := range all {
		if !have[d] {
			out.MissingDays = append(out.MissingDays, FormatDate(d))
		}
	}
	sort.Slice(out.MissingDays, func(i, j int) bool { return out.MissingDays[i] < out.MissingDays[j] })
	return out
}
