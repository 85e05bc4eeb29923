package policy

import (
	"strings"
	"testing"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func supportStudent(status v1.EnrolmentStatus, groups ...v1.FocusGroup) *v1.Student {
	return &v1.Student{Spec: v1.StudentSpec{Enrolment: v1.Enrolment{Status: status}, FocusGroups: groups}}
}

func TestSupportConditions(t *testing.T) {
	d := func(s string) time.Time { return MustDate(v1.Date(s)) }
	from, today := d("2026-11-02"), d("2026-11-18")
	record := func(spec v1.SupportRecordSpec) []*v1.SupportRecord { return []*v1.SupportRecord{{Spec: spec}} }
	twoAWeek := []v1.HomeTeachingSession{{Date: "2026-11-03", Hours: 3, By: "t"}, {Date: "2026-11-05", Hours: 3, By: "t"},
		{Date: "2026-11-10", Hours: 3, By: "t"}, {Date: "2026-11-12", Hours: 4, By: "t"}}
	for _, tc := range []struct {
		name    string
		student *v1.Student
		atRisk  bool
		records []*v1.SupportRecord
		terms   v1.SupportTerms
		reason  string // "" for no condition
	}{
		{"a poor child not at risk needs nothing", supportStudent(v1.EnrolmentEnrolled, v1.FocusRegisteredPoor), false, nil, v1.SupportTerms{}, ""},
		{"a poor child at risk without aid", supportStudent(v1.EnrolmentEnrolled, v1.FocusRegisteredPoor), true, nil, v1.SupportTerms{}, v1.ReasonAidMissing},
		{"a poor child at risk with aid", supportStudent(v1.EnrolmentEnrolled, v1.FocusRegisteredPoor), true,
			record(v1.SupportRecordSpec{Aid: []v1.AidGrant{{Date: "2026-09-05", Kind: v1.AidTwoExemptionsOneSubsidy, AmountYuan: 625, By: "资助办"}}}), v1.SupportTerms{}, ""},
		{"a left-behind child at risk without a pairing", supportStudent(v1.EnrolmentEnrolled, v1.FocusLeftBehind), true, nil, v1.SupportTerms{}, v1.ReasonPairingMissing},
		{"a pairing that ended does not count", supportStudent(v1.EnrolmentEnrolled, v1.FocusLeftBehind), true,
			record(v1.SupportRecordSpec{Pairings: []v1.Pairing{{Since: "2026-09-01", Until: "2026-10-31", By: "t"}}}), v1.SupportTerms{}, v1.ReasonPairingMissing},
		{"a pairing in force", supportStudent(v1.EnrolmentEnrolled, v1.FocusLearningDifficulty), true,
			record(v1.SupportRecordSpec{Pairings: []v1.Pairing{{Since: "2026-09-01", By: "t"}}}), v1.SupportTerms{}, ""},
		{"terms that require nothing of the poor", supportStudent(v1.EnrolmentEnrolled, v1.FocusRegisteredPoor), true, nil,
			v1.SupportTerms{Required: []v1.SupportRequirement{{FocusGroup: v1.FocusRegisteredPoor}}}, ""},
		{"terms that require aid of migrants", supportStudent(v1.EnrolmentEnrolled, v1.FocusMigrant), true, nil,
			v1.SupportTerms{Required: []v1.SupportRequirement{{FocusGroup: v1.FocusMigrant, Measures: []v1.SupportMeasure{v1.SupportAid}}}}, v1.ReasonAidMissing},
		{"home teaching twice a week", supportStudent(v1.EnrolmentHomeDelivered, v1.FocusDisability), false, record(v1.SupportRecordSpec{Sessions: twoAWeek}), v1.SupportTerms{}, ""},
		{"home teaching once in a week, not at risk", supportStudent(v1.EnrolmentHomeDelivered, v1.FocusDisability), false,
			record(v1.SupportRecordSpec{Sessions: twoAWeek[:3]}), v1.SupportTerms{}, v1.ReasonHomeTeachingShortWeek},
		{"a county that asks once a week", supportStudent(v1.EnrolmentHomeDelivered), false, record(v1.SupportRecordSpec{Sessions: twoAWeek[:3]}),
			v1.SupportTerms{HomeTeachingSessionsPerWeek: ptr(int32(1))}, ""},
		{"aid is the first reason when both are missing", supportStudent(v1.EnrolmentEnrolled, v1.FocusLeftBehind, v1.FocusRegisteredPoor), true, nil, v1.SupportTerms{}, v1.ReasonAidMissing},
	} {
		f := SupportFacts{Student: tc.student, Records: tc.records, Rules: SupportRulesFrom(tc.terms), From: from, Today: today}
		got := SupportConditions(tc.atRisk, f)
		switch {
		case tc.reason == "" && len(got) > 0:
			t.Errorf("%s: got %+v, want no condition", tc.name, got)
		case tc.reason != "" && (len(got) != 1 || got[0].Reason != tc.reason || got[0].Type != v1.StudentSupportMissing || !got[0].True):
			t.Errorf("%s: got %+v, want SupportMissing %s", tc.name, got, tc.reason)
		}
	}
}

func TestShortWeekMessageNamesTheWeek(t *testing.T) {
	d := func(s string) time.Time { return MustDate(v1.Date(s)) }
	f := SupportFacts{Student: supportStudent(v1.EnrolmentHomeDelivered), Rules: SupportRulesFrom(v1.SupportTerms{}), From: d("2026-11-09"), Today: d("2026-11-18"),
		Records: []*v1.SupportRecord{{Spec: v1.SupportRecordSpec{Sessions: []v1.HomeTeachingSession{{Date: "2026-11-10", Hours: 3, By: "t"}}}}}}
	got := SupportConditions(false, f)
	if len(got) != 1 || !strings.Contains(got[0].Message, "2026-11-09") || !strings.Contains(got[0].Message, "1 周") {
		t.Errorf("got %+v", got)
	}
}

func TestSupportTermsMergeByFocusGroup(t *testing.T) {
	wide := v1.Terms{Support: v1.SupportTerms{HomeTeachingMinHours: ptr(int32(2)), Required: []v1.SupportRequirement{
		{FocusGroup: v1.FocusMigrant, Measures: []v1.SupportMeasure{v1.SupportPairing}},
		{FocusGroup: v1.FocusRegisteredPoor, Measures: []v1.SupportMeasure{v1.SupportAid, v1.SupportPairing}}}}}
	narrow := v1.Terms{Support: v1.SupportTerms{Required: []v1.SupportRequirement{{FocusGroup: v1.FocusRegisteredPoor, Measures: []v1.SupportMeasure{v1.SupportAid}}}}}
	r := SupportRulesFrom(MergeTerms(narrow, wide).Support)
	if got := r.Required[v1.FocusRegisteredPoor]; len(got) != 1 || got[0] != v1.SupportAid {
		t.Errorf("registered poor: %v, want the narrow agreement's [Aid]", got)
	}
	if got := r.Required[v1.FocusMigrant]; len(got) != 1 || got[0] != v1.SupportPairing {
		t.Errorf("migrant: %v, want the wide agreement's [Pairing]", got)
	}
	if got := r.Required[v1.FocusLeftBehind]; len(got) != 1 || got[0] != v1.SupportPairing {
		t.Errorf("left-behind: %v, want the default [Pairing]", got)
	}
	if r.HomeTeaching.MinHours != 2 || r.HomeTeaching.SessionsPerWeek != 2 {
		t.Errorf("home teaching rule %+v, want 2 sessions of 2 hours", r.HomeTeaching)
	}
}

func TestSourceProblems(t *testing.T) {
	stu := func(missing ...v1.RegistrySource) *v1.Student {
		return &v1.Student{Spec: v1.StudentSpec{NotListedIn: missing}}
	}
	for _, tc := range []struct {
		name      string
		s         *v1.Student
		schoolAge bool
		want      string
	}{
		{"listed everywhere", stu(), true, ""},
		{"only in the household registry", stu(v1.SourceStudentRegistry), true, v1.ReasonNotInStudentRegistry},
		{"in no registry at all but created from one", stu(v1.SourceStudentRegistry, v1.SourceHousehold), true, v1.ReasonNotInStudentRegistry},
		{"a pupil the household registry does not know", stu(v1.SourceHousehold), true, v1.ReasonNotInHouseholdRegistry},
		{"out of school age", stu(v1.SourceHousehold), false, ""},
	} {
		got := SourceProblems(tc.s, tc.schoolAge)
		if (tc.want == "") != (len(got) == 0) || (len(got) > 0 && got[0].Reason != tc.want) {
			t.Errorf("%s: got %+v, want %q", tc.name, got, tc.want)
		}
	}
	if got := ListedIn(stu(v1.SourceHousehold), []v1.RegistrySource{v1.SourceHousehold, v1.SourcePoverty}); len(got) != 2 || got[0] != v1.SourceStudentRegistry || got[1] != v1.SourcePoverty {
		t.Errorf("ListedIn: %v", got)
	}
}

func TestNextSupportChangeIsTheNextMonday(t *testing.T) {
	rules := SupportRulesFrom(v1.SupportTerms{})
	next, ok := NextSupportChange(supportStudent(v1.EnrolmentHomeDelivered), false, rules, MustDate("2026-11-13"))
	if !ok || FormatDate(next) != "2026-11-16" {
		t.Errorf("got %v %v, want 2026-11-16", next, ok)
	}
	if _, ok := NextSupportChange(supportStudent(v1.EnrolmentEnrolled, v1.FocusRegisteredPoor), true, rules, MustDate("2026-11-13")); ok {
		t.Error("a child who needs no 送教上门 has no weekly change")
	}
}
