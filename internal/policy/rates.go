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
//   B  the base, E + T: children in P on a roll, less the children with a disability taught at
//      home (送教上门: "不把此类学生纳入人数考核", 002);
//   D  dropouts: children in E with an open DroppedOut case at TownshipReported or later
//      (confirmed dropouts), plus T;
//   C  the children in E with an open confirmed dropout case: on a roll, but not in school;
//   O  the dropouts that occurred this school year: children whose DroppedOut case of this school
//      year reached TownshipReported, even if they have since come back, plus T;
//   enrolment = (E−C)/P, dropout = D/B, consolidation (巩固率) = (B−D)/B, the school year's
//   dropout rate (年辍学率) = O/B, each also by level, as percentages.
// Assessment counts O.

// Measure computes an agreement's coverage and rates over the children in its scope.
func Measure(children []ChildFacts, terms v1.Terms) Measurement {
	var t Tally
	for _, ch := range children {
		t.Add(Contribution(ch), 1)
	}
	return MeasureTally(t, terms)
}

// MeasureTally computes coverage, rates and assessment from a scope's tally.
func MeasureTally(t Tally, terms v1.Terms) Measurement {
	return MeasureCohort(t, nil, terms)
}

// MeasureCohort is MeasureTally with the cohort whose three-year retention is judged against
// terms.targets.minCohortRetention (CohortOf: an agreement's status and a school-year summary;
// nil elsewhere, and without an intake report: no rate, no judgement).
func MeasureCohort(t Tally, cohort *Cohort, terms v1.Terms) Measurement {
	m := Measurement{Coverage: t.coverage()}
	rates := measureRates(t)
	if cohort != nil {
		rates.retention = rate{int(cohort.Grade9), int(cohort.Intake)}
	}
	m.Rates = v1.Rates{
		Enrolment:                   rates.enrolment.floor(),
		PrimaryEnrolment:            rates.primary.floor(),
		JuniorEnrolment:             rates.junior.floor(),
		Dropout:                     rates.dropout.ceil(),
		Consolidation:               rates.consolidation.floor(),
		DisabilityEnrolment:         rates.disability.floor(),
		SchoolYearDropout:           rates.yearDropout.ceil(),
		PrimaryDropout:              rates.primaryDropout.ceil(),
		JuniorDropout:               rates.juniorDropout.ceil(),
		RegisteredPoorConsolidation: rates.poorConsolidation.floor(),
	}
	m.Unmet = unmetTargets(rates, terms.Targets)
	m.TargetsMet = len(m.Unmet) == 0
	m.Assessment = assess(terms.Assessment, m.TargetsMet, rates, t)
	return m
}

// measureRates are the exact fractions of a tally (definitions above).
func measureRates(t Tally) measuredRates {
	return measuredRates{
		enrolment:         rate{int(t.Enrolled - t.ConfirmedPrimary - t.ConfirmedJunior), int(t.SchoolAge)},
		primary:           rate{int(t.EnrolledPrimary - t.ConfirmedPrimary), int(t.PopulationPrimary)},
		junior:            rate{int(t.EnrolledJunior - t.ConfirmedJunior), int(t.PopulationJunior)},
		consolidation:     rate{int(t.Base - t.Dropouts), int(t.Base)},
		dropout:           rate{int(t.Dropouts), int(t.Base)},
		disability:        rate{int(t.DisabilityEnrolled), int(t.DisabilitySchoolAge)},
		yearDropout:       rate{int(t.Occurred), int(t.Base)},
		primaryDropout:    rate{int(t.OccurredPrimary), int(t.BasePrimary)},
		juniorDropout:     rate{int(t.OccurredJunior), int(t.BaseJunior)},
		poorConsolidation: rate{int(t.PoorBase - t.PoorDropouts), int(t.PoorBase)},
	}
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
	enrolment, primary, junior, consolidation, dropout, disability rate
	yearDropout, primaryDropout, juniorDropout, poorConsolidation  rate
	// retention is the three-year retention of a school-year summary's cohort; zero elsewhere.
	retention rate
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
	atLeast("registered-poor consolidation", r.poorConsolidation, t.RegisteredPoorConsolidation)
	atLeast("three-year retention", r.retention, t.MinCohortRetention)
	atMost := func(name string, got rate, target *v1.Percent) {
		if target != nil && above(got, target) {
			unmet = append(unmet, fmt.Sprintf("%s %s%% > %s%%", name, got.ceil(), *target))
		}
	}
	atMost("primary school-year dropout", r.primaryDropout, t.MaxPrimaryDropout)
	atMost("junior school-year dropout", r.juniorDropout, t.MaxJuniorDropout)
	atMost("dropout", r.dropout, t.MaxDropout)
	return unmet
}

// above reports whether a measured rate exceeds a cap that is set.
func above(r rate, limit *v1.Percent) bool {
	return limit != nil && r.d > 0 && r.cmp(*limit) > 0
}

// assess applies the assessment terms (docs/rates.md) to the dropouts that occurred this school
// year (O): reward points when the targets are met; a single deduction when any is missed;
// penalty points per dropout; the veto (一票否决) on any dropout, or only above a school-year
// dropout rate; and a fine per dropout of each level whose school-year rate is above its cap.
func assess(a v1.Assessment, met bool, r measuredRates, t Tally) v1.AssessmentResult {
	var res v1.AssessmentResult
	if met && a.RewardPoints != nil {
		res.Points += *a.RewardPoints
	}
	if !met && a.MissedTargetsPenalty != nil {
		res.Points -= *a.MissedTargetsPenalty
	}
	if a.PenaltyPoints != nil {
		res.Points -= *a.PenaltyPoints * t.Occurred
	}
	anyDropout := a.VetoOnDropout != nil && *a.VetoOnDropout && t.Occurred > 0
	res.Vetoed = anyDropout || above(r.yearDropout, a.VetoAboveDropout)
	if f := a.Fine; f != nil {
		res.Fine = f.PerDropout * (finedDropouts(r.primaryDropout, f.AbovePrimaryDropout, t.OccurredPrimary) +
			finedDropouts(r.juniorDropout, f.AboveJuniorDropout, t.OccurredJunior))
	}
	return res
}

// finedDropouts is the number of a level's dropouts that are fined: all of them when the level's
// school-year rate is above the cap, or when there is no cap.
func finedDropouts(r rate, limit *v1.Percent, occurred int32) int32 {
	if limit == nil || above(r, limit) {
		return occurred
	}
	return 0
}

// IsPrimaryAge reports whether a school-age child is in the first six years of school age.
func IsPrimaryAge(r SchoolAgeRules, birth, today time.Time) bool {
	first, _ := r.SchoolAgeWindow(birth)
	return today.Before(first.AddDate(6, 0, 0))
}

// ClassCompliance lists the days before today on which the class's school reported and the class
// did not (zero-report rule, 零报告). Today is not missing yet: a class may still report, and a
// day that cannot be missed yet costs no write.
func ClassCompliance(schoolDays, classDays []v1.Date, today time.Time) v1.ReportingCompliance {
	have := make(map[v1.Date]bool, len(classDays))
	for _, d := range classDays {
		have[d] = true
	}
	todayDate := FormatDate(today)
	var out v1.ReportingCompliance
	for _, d := range schoolDays {
		if !have[d] && d < todayDate {
			have[d] = true
			out.MissingDays = append(out.MissingDays, d)
		}
	}
	sort.Slice(out.MissingDays, func(i, j int) bool { return out.MissingDays[i] < out.MissingDays[j] })
	return out
}

// Cohort is one junior school's cohort for the three-year retention rate (三年保存率): the
// grade-7 pupils reported at the start of the school year three years before (学年初报初一学生人数)
// and the grade-9 pupils of the cohort now (九年级学生人数).
type Cohort struct {
	Intake, Grade9 int32
}

// CohortRetention is the three-year retention rate (三年保存率) of a cohort, rounded down: the
// grade-9 pupils against the grade-7 intake three years earlier, as a bureau computes it: "根据
// 每年中招平台各学校九年级学生参加考试人数,比照三年前学年初报初一学生人数,计算各中学三年保存率".
// Transfers are not netted out: a school that took in more pupils than it lost can exceed 100 %.
// "" without a recorded intake.
func CohortRetention(c Cohort) v1.Percent {
	return rate{int(c.Grade9), int(c.Intake)}.floor()
}

// CohortRetentionBelow reports whether a cohort misses a minimum retention target, comparing
// exactly ("初中三年保存率在92%以上" is missed by 91.99 %, which shows as 91.99).
func CohortRetentionBelow(c Cohort, target v1.Percent) bool {
	r := rate{int(c.Grade9), int(c.Intake)}
	return r.d > 0 && r.cmp(target) < 0
}
