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
//   T  treated as dropped out (视同辍学): children in P who claim a reason for not attending
//      without valid evidence; they were on a roll, so they count among the base and the dropouts;
//   B  the base, E + T: children in P on a roll;
//   D  dropouts: children in E with an open DroppedOut case at TownshipReported or later
//      (confirmed dropouts), plus T;
//   enrolment = E/P, dropout = D/B, consolidation (巩固率) = (B−D)/B, as percentages.
// Assessment counts the dropouts that occurred this school year: children whose DroppedOut case
// of this school year reached TownshipReported, even if they have since come back, plus T.

// Measure computes an agreement's coverage and rates over the children in its scope.
func Measure(children []ChildFacts, terms v1.Terms) Measurement {
	var m Measurement
	c := &m.Coverage
	var p, e, base, pPrimary, ePrimary, pJunior, eJunior, dropouts, occurred int
	focus := map[v1.FocusGroup]*v1.FocusGroupCount{}
	for _, ch := range children {
		c.Children++
		open := openCase(ch.Cases)
		if open != nil {
			countStage(&c.OpenCases, open.Status.Stage)
		}
		droppedOut, returned, confirmed := false, false, false
		for _, dc := range ch.Cases {
			if dc.Spec.Type == v1.CaseDroppedOut {
				droppedOut = true
				returned = returned || dc.Status.ClosedReason == "Returned"
				confirmed = confirmed || ReachedTownship(dc)
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
		treated := TreatedAsDropout(ch.Student, ch.Standing)
		switch {
		case enrolled:
			c.Enrolled++
			e++
			base++
			if open != nil && open.Spec.Type == v1.CaseDroppedOut && Escalated(open.Status.Stage) {
				dropouts++
			}
			occurred += b2i(confirmed)
		case treated:
			base++
			dropouts++
			occurred++
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
	rates := measuredRates{
		primary:       rate{ePrimary, pPrimary},
		junior:        rate{eJunior, pJunior},
		consolidation: rate{base - dropouts, base},
		dropout:       rate{dropouts, base},
		disability:    rate{int(c.DisabilityEnrolled), int(c.DisabilitySchoolAge)},
	}
	m.Rates = v1.Rates{
		Enrolment:           rate{e, p}.floor(),
		PrimaryEnrolment:    rates.primary.floor(),
		JuniorEnrolment:     rates.junior.floor(),
		Dropout:             rates.dropout.ceil(),
		Consolidation:       rates.consolidation.floor(),
		DisabilityEnrolment: rates.disability.floor(),
	}
	m.Unmet = unmetTargets(rates, terms.Targets)
	m.TargetsMet = len(m.Unmet) == 0
	m.Assessment = assess(terms.Assessment, m.TargetsMet, occurred)
	return m
}

// TreatedAsDropout reports whether a child out of school was on a roll and claims a reason for
// not attending without valid evidence (视同辍学), as opposed to never having enrolled (失学, a
// deferral included). It is the line between the two case types CaseDue opens.
func TreatedAsDropout(s *v1.Student, a EnrolmentAssessment) bool {
	return a.Standing == StandingOutOfSchool && !neverEnrolled(s.Spec.Enrolment.Status)
}

func neverEnrolled(st v1.EnrolmentStatus) bool {
	return st == v1.EnrolmentNotEnrolled || st == v1.EnrolmentDeferred
}

// ReachedTownship reports whether a case is, or ever was, past the school's own work: a confirmed
// dropout, even if the child has since come back.
func ReachedTownship(dc *v1.DropoutCase) bool {
	if Escalated(dc.Status.Stage) {
		return true
	}
	for _, h := range dc.Status.History {
		if Escalated(h.Stage) {
			return true
		}
	}
	return false
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

// rate is n out of d; with d = 0 there is nobody to measure.
type rate struct{ n, d int }

// floor renders the rate as a percentage with at most two decimals, rounded down, and ceil
// rounded up: each rate is rounded away from its target, so that the figure shown never makes a
// missed target look met. "" when there is nobody to measure.
func (r rate) floor() v1.Percent { return r.render(r.n * 10000 / max(r.d, 1)) }

func (r rate) ceil() v1.Percent { return r.render((r.n*10000 + r.d - 1) / max(r.d, 1)) }

func (r rate) render(hundredths int) v1.Percent {
	if r.d == 0 {
		return ""
	}
	s := strconv.Itoa(hundredths/100) + "." + fmt.Sprintf("%02d", hundredths%100)
	return v1.Percent(strings.TrimSuffix(strings.TrimRight(s, "0"), "."))
}

// cmp compares the rate with a target percentage exactly: -1 below, 0 equal, 1 above.
func (r rate) cmp(target v1.Percent) int {
	hundredths, ok := percentHundredths(target)
	switch lhs, rhs := r.n*10000, hundredths*r.d; {
	case !ok || lhs == rhs:
		return 0
	case lhs < rhs:
		return -1
	}
	return 1
}

// percentHundredths reads a Percent ("99", "1.5", "0.25") as hundredths of a percent.
func percentHundredths(p v1.Percent) (int, bool) {
	whole, frac, _ := strings.Cut(string(p), ".")
	frac = (frac + "00")[:2]
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	return w*100 + f, err1 == nil && err2 == nil
}

// measuredRates are the exact rates the targets are judged on.
type measuredRates struct {
	primary, junior, consolidation, dropout, disability rate
}

func unmetTargets(r measuredRates, t v1.Targets) []string {
	var unmet []string
	atLeast := func(name string, got rate, target *v1.Percent) {
		if target != nil && got.d > 0 && got.cmp(*target) < 0 {
			unmet = append(unmet, fmt.Sprintf("%s %s%% < %s%%", name, got.floor(), *target))
		}
	}
	atLeast("primary enrolment", r.primary, t.PrimaryEnrolment)
	atLeast("junior enrolment", r.junior, t.JuniorEnrolment)
	atLeast("consolidation", r.consolidation, t.Consolidation)
	atLeast("disability enrolment", r.disability, t.DisabilityEnrolment)
	if t.MaxDropout != nil && r.dropout.d > 0 && r.dropout.cmp(*t.MaxDropout) > 0 {
		unmet = append(unmet, fmt.Sprintf("dropout %s%% > %s%%", r.dropout.ceil(), *t.MaxDropout))
	}
	return unmet
}

// assess applies the assessment terms: reward points when the targets are met, penalty points
// per dropout that occurred this school year, and the veto (一票否决) when any occurred.
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
