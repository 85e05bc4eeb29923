package v1alpha1_test

// These tests send objects to a real kube-apiserver with the generated CRDs installed and check
// that the API server itself (OpenAPI schema + CEL x-kubernetes-validations) rejects invalid input
// with the message a county clerk sees, and accepts valid input, including every sample in
// config/samples.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/testenv"
)

const (
	ns        = "validation"
	samplesNS = "demo-county"
)

var (
	env *testenv.Env
	k8s client.Client
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	e, err := testenv.Start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "validation tests need the control plane: %v\n", err)
		return 1
	}
	defer func() { _ = e.Stop() }()
	env, k8s = e, e.Client
	for _, name := range []string{ns, samplesNS} {
		namespace := &unstructured.Unstructured{}
		namespace.SetAPIVersion("v1")
		namespace.SetKind("Namespace")
		namespace.SetName(name)
		if err := k8s.Create(context.Background(), namespace); err != nil {
			fmt.Fprintf(os.Stderr, "creating namespace %s: %v\n", name, err)
			return 1
		}
	}
	return m.Run()
}

// ---- valid base objects; every invalid case below is one of these with one mutation ----

func student(mutate ...func(*v1.Student)) *v1.Student {
	s := &v1.Student{
		ObjectMeta: metav1.ObjectMeta{Name: "stu-0a1b2c3d4e5f", Namespace: ns},
		Spec: v1.StudentSpec{
			Name:          "测试学生",
			StudentNumber: "G52012120150315001X",
			ResidentID:    "52012120150315001X",
			BirthDate:     "2015-03-15",
			Residence:     v1.Residence{Township: "520121100", Village: "520121100201", Group: "520121100201003"},
			Enrolment: v1.Enrolment{
				Status: v1.EnrolmentEnrolled, School: "5201210001", Grade: 5, Class: 2, Since: "2021-09-01",
			},
			Guardians:   []v1.Guardian{{Name: "测试监护人", Relation: "grandmother", Phone: "13800000000"}},
			FocusGroups: []v1.FocusGroup{v1.FocusLeftBehind},
		},
	}
	for _, m := range mutate {
		m(s)
	}
	return s
}

func report(mutate ...func(*v1.AttendanceReport)) *v1.AttendanceReport {
	r := &v1.AttendanceReport{
		ObjectMeta: metav1.ObjectMeta{Name: "att-5201210001-5-2-20260309", Namespace: ns},
		Spec: v1.AttendanceReportSpec{
			School: "5201210001", Grade: 5, Class: 2, Date: "2026-03-09", Reporter: "homeroom-5-2",
			Absences: []v1.Absence{
				{Student: "stu-0a1b2c3d4e5f", Kind: "Unexcused"},
				{Student: "stu-9f8e7d6c5b4a", Kind: "SickLeave", Note: "fever"},
			},
		},
	}
	for _, m := range mutate {
		m(r)
	}
	return r
}

// eduAgreement is a homeroom teacher's class agreement on the education line.
func eduAgreement(mutate ...func(*v1.ResponsibilityAgreement)) *v1.ResponsibilityAgreement {
	a := &v1.ResponsibilityAgreement{
		ObjectMeta: metav1.ObjectMeta{Name: "edu-5201210001-g5-c2", Namespace: ns},
		Spec: v1.ResponsibilityAgreementSpec{
			Line:        v1.LineEducation,
			Issuer:      v1.Party{Role: v1.RolePrincipal, Name: "测试校长"},
			Responsible: v1.Party{Role: v1.RoleHomeroomTeacher, Name: "测试老师", Contact: "13700000000"},
			Scope:       v1.Scope{School: "5201210001", Grade: 5, Class: 2},
			Effective:   v1.Period{From: "2025-09-01", Until: "2026-08-31"},
			Terms: v1.Terms{
				Targets: v1.Targets{Consolidation: pct("100"), MaxDropout: pct("1.5")},
				Escalation: v1.Escalation{
					AtRiskAfterDays: days(1), SchoolReportAfterDays: days(3),
					TownshipReportAfterDays: days(10), RequiredVisits: days(3),
				},
				Assessment: v1.Assessment{RewardPoints: days(2), PenaltyPoints: days(5), VetoOnDropout: &yes},
			},
		},
	}
	for _, m := range mutate {
		m(a)
	}
	return a
}

// govAgreement is a village cadre's agreement on the government line.
func govAgreement(mutate ...func(*v1.ResponsibilityAgreement)) *v1.ResponsibilityAgreement {
	a := &v1.ResponsibilityAgreement{
		ObjectMeta: metav1.ObjectMeta{Name: "gov-520121100201", Namespace: ns},
		Spec: v1.ResponsibilityAgreementSpec{
			Line:        v1.LineGovernment,
			Issuer:      v1.Party{Role: v1.RoleTownshipCadre, Name: "测试镇长"},
			Responsible: v1.Party{Role: v1.RoleVillageCadre, Name: "测试支书"},
			Scope:       v1.Scope{Township: "520121100", Village: "520121100201"},
			Effective:   v1.Period{From: "2025-09-01"},
			Terms: v1.Terms{Targets: v1.Targets{
				PrimaryEnrolment: pct("100"), JuniorEnrolment: pct("99"),
				DisabilityEnrolment: pct("90"),
			}},
		},
	}
	for _, m := range mutate {
		m(a)
	}
	return a
}

func dropoutCase(mutate ...func(*v1.DropoutCase)) *v1.DropoutCase {
	d := &v1.DropoutCase{
		ObjectMeta: metav1.ObjectMeta{Name: "stu-0a1b2c3d4e5f-20260302", Namespace: ns},
		Spec: v1.DropoutCaseSpec{
			Student: "stu-0a1b2c3d4e5f", Type: v1.CaseDroppedOut, Opened: "2026-03-02", Cause: "FamilyHardship",
			Actions: []v1.CaseAction{
				{Type: v1.ActionHomeVisit, Date: "2026-03-03", By: "HomeroomTeacher", Line: v1.LineEducation, Outcome: "Contacted"},
				{Type: v1.ActionReturnNotice, Date: "2026-03-11", By: "TownshipCadre", Line: v1.LineGovernment, Deadline: "2026-03-26"},
			},
		},
	}
	for _, m := range mutate {
		m(d)
	}
	return d
}

// ---- helpers ----

var yes = true

func pct(p v1.Percent) *v1.Percent { return &p }

func days(n int32) *int32 { return &n }

// set returns an edit of the object's JSON, for values the Go types cannot send (omitempty zeros).
func set(value any, path ...string) func(map[string]any) {
	return func(u map[string]any) {
		if err := unstructured.SetNestedField(u, value, path...); err != nil {
			panic(err)
		}
	}
}

// unset returns an edit that removes a field from the object's JSON.
func unset(path ...string) func(map[string]any) {
	return func(u map[string]any) { unstructured.RemoveNestedField(u, path...) }
}

// changed adapts a typed mutation for an update case.
func changed[T client.Object](mutate func(T)) func(client.Object) {
	return func(o client.Object) { mutate(o.(T)) }
}

// toUnstructured renders a typed object as the JSON a client would send, then applies edits.
func toUnstructured(t *testing.T, obj client.Object, edits ...func(map[string]any)) *unstructured.Unstructured {
	t.Helper()
	gvk, err := apiutil.GVKForObject(obj, env.Scheme)
	if err != nil {
		t.Fatal(err)
	}
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{Object: m}
	u.SetGroupVersionKind(gvk)
	for _, e := range edits {
		if e != nil {
			e(u.Object)
		}
	}
	return u
}

// expectRejected asserts that err is the API server's Invalid error carrying want.
func expectRejected(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want it rejected with %q", want)
	}
	if !apierrors.IsInvalid(err) {
		t.Fatalf("rejected with %v (reason %q); want Invalid with %q", err, apierrors.ReasonForError(err), want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("rejected with\n  %v\nwant the message to contain\n  %q", err, want)
	}
	t.Logf("rejected: %v", err)
}

// ---- the table ----

type invalidCase struct {
	name string
	obj  client.Object // a valid base object with one mutation
	// raw edits the JSON before it is sent, for what the Go types cannot express.
	raw func(map[string]any)
	// update, when set, creates obj (which must be valid) and expects this change to be rejected.
	update func(client.Object)
	want   string
}

const (
	msgStudentNumber = "a national student number (全国学籍号) is G, J or L followed by 17 digits"
	msgResidentID    = "a resident ID (身份证号) is 17 digits followed by a digit or X"
	msgDate          = "must be a real calendar date written YYYY-MM-DD, for example 2026-09-01"
	msgPhone         = "a phone number has digits only, optionally with + and -"
	msgPercent       = "must be a percentage from 0 to 100 with at most two decimals"
	msgEvidence      = "this status is a legitimate reason for not attending and needs evidence"
	msgSuspension    = "a suspension or deferral needs evidence.approvedBy and evidence.until"
	msgCaseIdentity  = "student, type and opened identify the case and cannot change"
	msgEduScope      = "an Education-line agreement is scoped by school, grade, class or students, not by township, village or group"
	msgGovScope      = "a Government-line agreement is scoped by township, village or group, not by school, grade, class, named students or catchment villages"
)

func invalidCases() []invalidCase {
	type (
		stu = v1.Student
		att = v1.AttendanceReport
		ra  = v1.ResponsibilityAgreement
		dc  = v1.DropoutCase
	)
	return []invalidCase{
		// Student: identity.
		{name: "student number too short", obj: student(func(s *stu) { s.Spec.StudentNumber = "G5201212015" }), want: msgStudentNumber},
		{name: "student number with a wrong letter", obj: student(func(s *stu) { s.Spec.StudentNumber = "K52012120150315001X" }), want: msgStudentNumber},
		{name: "student number with lower-case x", obj: student(func(s *stu) { s.Spec.StudentNumber = "G52012120150315000x" }), want: msgStudentNumber},
		{name: "resident ID with lower-case x", obj: student(func(s *stu) { s.Spec.ResidentID = "52012120150315000x" }), want: msgResidentID},
		{name: "resident ID of 15 digits", obj: student(func(s *stu) { s.Spec.ResidentID = "520121150315001" }), want: msgResidentID},
		{name: "resident ID starting with 0", obj: student(func(s *stu) { s.Spec.ResidentID = "02012120150315000X" }), want: msgResidentID},
		{name: "neither student number nor resident ID", obj: student(func(s *stu) { s.Spec.StudentNumber, s.Spec.ResidentID = "", "" }),
			want: "give the national student number (全国学籍号) or the resident ID (身份证号), or both"},
		{name: "object name contains an ID number", obj: student(func(s *stu) { s.Name = "stu-52012120150315000x" }),
			want: "the object name must not contain an ID number"},
		{name: "empty child name", obj: student(func(s *stu) { s.Spec.Name = "" }), want: "spec.name in body should be at least 1 chars long"},
		// Student: residence.
		{name: "township code of 8 digits", obj: student(func(s *stu) { s.Spec.Residence = v1.Residence{Township: "52012110"} }),
			want: "a township code is 9 digits: the 6-digit county code and 3 digits"},
		{name: "village code of 10 digits", obj: student(func(s *stu) { s.Spec.Residence.Village, s.Spec.Residence.Group = "5201211002", "" }),
			want: "a village code is 12 digits: the 9-digit township code and 3 digits"},
		{name: "group code with a letter", obj: student(func(s *stu) { s.Spec.Residence.Group = "52012110020100A" }),
			want: "a village group code is 15 digits: the 12-digit village code and 3 digits"},
		{name: "village outside the township", obj: student(func(s *stu) { s.Spec.Residence.Village, s.Spec.Residence.Group = "520121101201", "" }),
			want: "the village code must begin with the township code"},
		{name: "group without village", obj: student(func(s *stu) { s.Spec.Residence.Village = "" }),
			want: "a village group needs its village, and the group code must begin with the village code"},
		{name: "group outside the village", obj: student(func(s *stu) { s.Spec.Residence.Group = "520121100202003" }),
			want: "a village group needs its village, and the group code must begin with the village code"},
		// Student: enrolment.
		{name: "grade 0", obj: student(), raw: set(int64(0), "spec", "enrolment", "grade"),
			want: "spec.enrolment.grade in body should be greater than or equal to 1"},
		{name: "grade 10", obj: student(func(s *stu) { s.Spec.Enrolment.Grade = 10 }),
			want: "spec.enrolment.grade in body should be less than or equal to 9"},
		{name: "enrolled without class", obj: student(func(s *stu) { s.Spec.Enrolment.Class = 0 }),
			want: "an enrolled child needs school, grade and class"},
		{name: "enrolled without school", obj: student(func(s *stu) { s.Spec.Enrolment.School = "" }),
			want: "an enrolled child needs school, grade and class"},
		{name: "school code of 9 digits", obj: student(func(s *stu) { s.Spec.Enrolment.School = "520121001" }),
			want: "a school code (学校标识码) is exactly 10 digits"},
		{name: "unknown enrolment status", obj: student(func(s *stu) { s.Spec.Enrolment.Status = "DroppedOut" }),
			want: `spec.enrolment.status: Unsupported value: "DroppedOut"`},
		{name: "home-delivered without evidence", obj: student(func(s *stu) { s.Spec.Enrolment.Status = v1.EnrolmentHomeDelivered }),
			want: msgEvidence},
		{name: "transfer without evidence", obj: student(func(s *stu) { s.Spec.Enrolment.Status = v1.EnrolmentTransferredOut }),
			want: msgEvidence},
		{name: "transfer without receiving school", obj: student(func(s *stu) {
			s.Spec.Enrolment.Status = v1.EnrolmentTransferredOut
			s.Spec.Enrolment.Evidence = &v1.Evidence{Certificate: "ZX-2026-0042", IssuedOn: "2026-02-20"}
		}), want: "a transfer or study elsewhere needs evidence.receivingSchool"},
		{name: "suspension without approval", obj: student(func(s *stu) {
			s.Spec.Enrolment.Status = v1.EnrolmentSuspendedForIllness
			s.Spec.Enrolment.Evidence = &v1.Evidence{Certificate: "HOSP-17", Until: "2026-07-15"}
		}), want: msgSuspension},
		{name: "deferral without end date", obj: student(func(s *stu) {
			s.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentDeferred, Evidence: &v1.Evidence{Certificate: "YH-3", ApprovedBy: "县教育局"}}
		}), want: msgSuspension},
		{name: "birth date 30 February", obj: student(func(s *stu) { s.Spec.BirthDate = "2015-02-30" }), want: msgDate},
		{name: "birth date with slashes", obj: student(func(s *stu) { s.Spec.BirthDate = "2015/03/15" }), want: msgDate},
		{name: "enrolment date in month 13", obj: student(func(s *stu) { s.Spec.Enrolment.Since = "2021-13-01" }), want: msgDate},
		{name: "guardian phone with words", obj: student(func(s *stu) { s.Spec.Guardians[0].Phone = "call grandma" }), want: msgPhone},
		{name: "unknown focus group", obj: student(func(s *stu) { s.Spec.FocusGroups = []v1.FocusGroup{"Orphan"} }),
			want: `Unsupported value: "Orphan"`},
		// The base student's resident ID has 0 as its 17th digit: a girl.
		{name: "sex against the resident ID", obj: student(func(s *stu) { s.Spec.Sex = v1.SexFemale }),
			want: "sex (性别) does not match the resident ID"},
		{name: "unknown sex", obj: student(func(s *stu) { s.Spec.Sex = "男" }), want: `Unsupported value: "男"`},

		// AttendanceReport.
		{name: "report names a student twice", obj: report(func(r *att) {
			r.Spec.Absences = append(r.Spec.Absences, v1.Absence{Student: "stu-0a1b2c3d4e5f", Kind: "SickLeave"})
		}), want: "each student may appear only once in absences"},
		{name: "report with unknown absence kind", obj: report(func(r *att) { r.Spec.Absences[0].Kind = "Truant" }),
			want: `spec.absences[0].kind: Unsupported value: "Truant"`},
		{name: "report for grade 10", obj: report(func(r *att) { r.Spec.Grade = 10 }), want: "spec.grade in body should be less than or equal to 9"},
		{name: "report without reporter", obj: report(func(r *att) { r.Spec.Reporter = "" }), want: "spec.reporter in body should be at least 1 chars long"},
		{name: "report dated 31 April", obj: report(func(r *att) { r.Spec.Date = "2026-04-31" }), want: msgDate},
		{name: "report changed after creation", obj: report(), update: changed(func(r *att) { r.Spec.Absences = r.Spec.Absences[:1] }),
			want: "an attendance report cannot be changed once written: submit a new report for the same class and date"},

		// ResponsibilityAgreement: targets and ladder.
		{name: "target above 100", obj: eduAgreement(func(a *ra) { a.Spec.Terms.Targets.Consolidation = pct("100.5") }), want: msgPercent},
		{name: "target with a percent sign", obj: govAgreement(func(a *ra) { a.Spec.Terms.Targets.JuniorEnrolment = pct("99%") }), want: msgPercent},
		{name: "target with three decimals", obj: eduAgreement(func(a *ra) { a.Spec.Terms.Targets.MaxDropout = pct("1.125") }), want: msgPercent},
		{name: "ladder: at risk not before school report", obj: eduAgreement(func(a *ra) { a.Spec.Terms.Escalation.AtRiskAfterDays = days(3) }),
			want: "the ladder must be strictly increasing: atRiskAfterDays must be less than schoolReportAfterDays"},
		{name: "ladder: school report after township report", obj: eduAgreement(func(a *ra) { a.Spec.Terms.Escalation.SchoolReportAfterDays = days(14) }),
			want: "the ladder must be strictly increasing: schoolReportAfterDays must be less than townshipReportAfterDays"},
		{name: "ladder: at risk after township report", obj: eduAgreement(func(a *ra) {
			a.Spec.Terms.Escalation = v1.Escalation{AtRiskAfterDays: days(12), TownshipReportAfterDays: days(10)}
		}), want: "the ladder must be strictly increasing: atRiskAfterDays must be less than townshipReportAfterDays"},
		{name: "no required visits", obj: eduAgreement(), raw: set(int64(0), "spec", "terms", "escalation", "requiredVisits"),
			want: "spec.terms.escalation.requiredVisits in body should be greater than or equal to 1"},
		// ResponsibilityAgreement: line, role and scope.
		{name: "education line scoped by township", obj: eduAgreement(func(a *ra) { a.Spec.Scope = v1.Scope{Township: "520121100"} }), want: msgEduScope},
		{name: "government line scoped by school", obj: govAgreement(func(a *ra) { a.Spec.Scope = v1.Scope{School: "5201210001"} }), want: msgGovScope},
		{name: "government line with catchment villages", obj: govAgreement(func(a *ra) { a.Spec.Scope.Catchment = []v1.VillageCode{"520121100201"} }),
			want: msgGovScope},
		{name: "education line signed by a village cadre", obj: eduAgreement(func(a *ra) { a.Spec.Responsible.Role = v1.RoleVillageCadre }),
			want: "the responsible party of an Education-line agreement holds an education role"},
		{name: "government line signed by a homeroom teacher", obj: govAgreement(func(a *ra) { a.Spec.Responsible.Role = v1.RoleHomeroomTeacher }),
			want: "the responsible party of a Government-line agreement holds a government role"},
		{name: "unknown line", obj: eduAgreement(func(a *ra) { a.Spec.Line = "School" }), want: `spec.line: Unsupported value: "School"`},
		{name: "class scope without grade", obj: eduAgreement(func(a *ra) { a.Spec.Scope.Grade = 0 }), want: "a class scope needs its grade"},
		{name: "grade scope without school", obj: eduAgreement(func(a *ra) { a.Spec.Scope = v1.Scope{Grade: 5} }), want: "a grade scope needs its school"},
		{name: "named students without school", obj: eduAgreement(func(a *ra) { a.Spec.Scope = v1.Scope{Students: []string{"stu-0a1b2c3d4e5f"}} }),
			want: "named students (包人) need the school they are enrolled at"},
		{name: "catchment on a class agreement", obj: eduAgreement(func(a *ra) { a.Spec.Scope.Catchment = []v1.VillageCode{"520121100201"} }),
			want: "catchment villages belong to a school-level agreement"},
		{name: "village scope without township", obj: govAgreement(func(a *ra) { a.Spec.Scope.Township = "" }),
			want: "a village scope needs its township, and the village code must begin with the township code"},
		{name: "village scope in another township", obj: govAgreement(func(a *ra) { a.Spec.Scope.Township = "520121101" }),
			want: "a village scope needs its township, and the village code must begin with the township code"},
		{name: "group scope in another village", obj: govAgreement(func(a *ra) { a.Spec.Scope.Group = "520121100202001" }),
			want: "a village group scope needs its village, and the group code must begin with the village code"},
		{name: "agreement ends before it starts", obj: eduAgreement(func(a *ra) { a.Spec.Effective.Until = "2025-08-31" }),
			want: "the agreement must end on or after the day it starts"},
		{name: "agreement starting on a bad date", obj: govAgreement(func(a *ra) { a.Spec.Effective.From = "2025-9-1" }), want: msgDate},
		{name: "responsible contact with letters", obj: eduAgreement(func(a *ra) { a.Spec.Responsible.Contact = "teacher-chen" }), want: msgPhone},

		// DropoutCase.
		{name: "return notice deadline before the notice", obj: dropoutCase(func(d *dc) { d.Spec.Actions[1].Deadline = "2026-03-01" }),
			want: "an action's deadline must come after the date of the action"},
		{name: "unknown action type", obj: dropoutCase(func(d *dc) { d.Spec.Actions[0].Type = "Visit" }),
			want: `spec.actions[0].type: Unsupported value: "Visit"`},
		{name: "action on a bad date", obj: dropoutCase(func(d *dc) { d.Spec.Actions[0].Date = "03/03/2026" }), want: msgDate},
		{name: "closure reason too short", obj: dropoutCase(func(d *dc) {
			d.Spec.Closure = &v1.Closure{By: "county bureau", Reason: "ok", Date: "2026-04-01"}
		}), want: "spec.closure.reason in body should be at least 5 chars long"},
		{name: "unknown case type", obj: dropoutCase(func(d *dc) { d.Spec.Type = "Truant" }), want: `spec.type: Unsupported value: "Truant"`},
		{name: "case student changed", obj: dropoutCase(), update: changed(func(d *dc) { d.Spec.Student = "stu-9f8e7d6c5b4a" }), want: msgCaseIdentity},
		{name: "case type changed", obj: dropoutCase(), update: changed(func(d *dc) { d.Spec.Type = v1.CaseNotEnrolled }), want: msgCaseIdentity},
		{name: "case opened date changed", obj: dropoutCase(), update: changed(func(d *dc) { d.Spec.Opened = "2026-03-04" }), want: msgCaseIdentity},
	}
}

func TestInvalidObjectsAreRejected(t *testing.T) {
	ctx := context.Background()
	cases := invalidCases()
	seen := map[string]bool{}
	for i, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			if tc.update == nil {
				u := toUnstructured(t, tc.obj, tc.raw)
				err := k8s.Create(ctx, u)
				if err == nil {
					_ = k8s.Delete(ctx, u)
				}
				expectRejected(t, err, tc.want)
				return
			}
			// Update case: the object itself is valid; changing it must be refused.
			obj := tc.obj
			obj.SetName(fmt.Sprintf("update-%d", i))
			if err := k8s.Create(ctx, obj); err != nil {
				t.Fatalf("creating the valid object to update: %v", err)
			}
			t.Cleanup(func() { _ = k8s.Delete(ctx, obj) })
			tc.update(obj)
			expectRejected(t, k8s.Update(ctx, obj), tc.want)
		})
	}
	kinds := map[string]int{}
	for _, tc := range cases {
		gvk, err := apiutil.GVKForObject(tc.obj, env.Scheme)
		if err != nil {
			t.Fatal(err)
		}
		kinds[gvk.Kind]++
	}
	if len(cases) < 30 || len(kinds) != 4 {
		t.Errorf("the table has %d cases over kinds %v; want at least 30 over all four kinds", len(cases), kinds)
	}
}

// TestValidObjectsAreAccepted guards the table above: each base is valid on its own (so every
// rejection comes from its one mutation), and so are the legitimate variants the rules must allow.
func TestValidObjectsAreAccepted(t *testing.T) {
	ctx := context.Background()
	valid := []struct {
		name string
		obj  client.Object
		raw  func(map[string]any)
	}{
		{name: "student base", obj: student()},
		{name: "attendance report base", obj: report()},
		{name: "education agreement base", obj: eduAgreement()},
		{name: "government agreement base", obj: govAgreement()},
		{name: "dropout case base", obj: dropoutCase()},
		{name: "student with student number only", obj: student(func(s *v1.Student) { s.Spec.ResidentID = "" })},
		{name: "student with resident ID only", obj: student(func(s *v1.Student) { s.Spec.StudentNumber = "" })},
		{name: "student with township only", obj: student(func(s *v1.Student) { s.Spec.Residence = v1.Residence{Township: "520121100"} })},
		{name: "child not enrolled anywhere", obj: student(func(s *v1.Student) { s.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentNotEnrolled} })},
		{name: "transfer with certificate", obj: student(func(s *v1.Student) {
			s.Spec.Enrolment.Status = v1.EnrolmentTransferredOut
			s.Spec.Enrolment.Evidence = &v1.Evidence{Certificate: "ZX-2026-0042", ReceivingSchool: "某市实验小学", IssuedOn: "2026-02-20"}
		})},
		{name: "suspension approved until a date", obj: student(func(s *v1.Student) {
			s.Spec.Enrolment.Status = v1.EnrolmentSuspendedForIllness
			s.Spec.Enrolment.Evidence = &v1.Evidence{Certificate: "HOSP-17", ApprovedBy: "县教育局", Until: "2026-07-15"}
		})},
		{name: "leap day birth date", obj: student(func(s *v1.Student) {
			s.Spec.BirthDate, s.Spec.ResidentID, s.Spec.StudentNumber = "2016-02-29", "52012120160229000X", "G52012120160229000X"
		})},
		{name: "sex as the resident ID says", obj: student(func(s *v1.Student) { s.Spec.Sex = v1.SexMale })},
		{name: "sex with a student number only", obj: student(func(s *v1.Student) { s.Spec.ResidentID, s.Spec.Sex = "", v1.SexMale })},
		{name: "zero report", obj: report(func(r *v1.AttendanceReport) { r.Spec.Absences = nil })},
		{name: "county-wide agreement without scope", obj: eduAgreement(func(a *v1.ResponsibilityAgreement) {
			a.Spec.Responsible.Role = v1.RoleCountyBureau
		}), raw: unset("spec", "scope")},
		{name: "school agreement with catchment", obj: eduAgreement(func(a *v1.ResponsibilityAgreement) {
			a.Spec.Responsible.Role = v1.RolePrincipal
			a.Spec.Scope = v1.Scope{School: "5201210001", Catchment: []v1.VillageCode{"520121100201", "520121100202"}}
		})},
		{name: "subject teacher's named students", obj: eduAgreement(func(a *v1.ResponsibilityAgreement) {
			a.Spec.Responsible.Role = v1.RoleSubjectTeacher
			a.Spec.Scope = v1.Scope{School: "5201210001", Students: []string{"stu-0a1b2c3d4e5f", "stu-9f8e7d6c5b4a"}}
		})},
		{name: "group leader's village group", obj: govAgreement(func(a *v1.ResponsibilityAgreement) {
			a.Spec.Responsible.Role = v1.RoleGroupLeader
			a.Spec.Scope.Group = "520121100201003"
		})},
		{name: "one-day agreement", obj: govAgreement(func(a *v1.ResponsibilityAgreement) { a.Spec.Effective.Until = "2025-09-01" })},
		{name: "targets at the bounds", obj: govAgreement(func(a *v1.ResponsibilityAgreement) {
			a.Spec.Terms.Targets.MaxDropout = pct("0")
			a.Spec.Terms.Targets.Consolidation = pct("100.00")
		})},
		{name: "case closed with a reason", obj: dropoutCase(func(d *v1.DropoutCase) {
			d.Spec.Closure = &v1.Closure{By: "县教育局", Reason: "已转入外省学校就读", Date: "2026-04-01"}
		})},
	}
	for i, tc := range valid {
		t.Run(tc.name, func(t *testing.T) {
			u := toUnstructured(t, tc.obj, tc.raw)
			u.SetName(fmt.Sprintf("valid-%d", i))
			if err := k8s.Create(ctx, u, client.FieldValidation("Strict")); err != nil {
				t.Fatalf("rejected: %v", err)
			}
			t.Cleanup(func() { _ = k8s.Delete(ctx, u) })
		})
	}
}

// TestAllowedUpdates checks that the immutability rules protect only what they say they protect.
func TestAllowedUpdates(t *testing.T) {
	ctx := context.Background()
	t.Run("case: record another action and close", func(t *testing.T) {
		d := dropoutCase()
		d.Name = "update-allowed-case"
		if err := k8s.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = k8s.Delete(ctx, d) })
		d.Spec.Cause = v1.Cause("LearningDifficulty")
		d.Spec.Actions = append(d.Spec.Actions, v1.CaseAction{Type: v1.ActionHomeVisit, Date: "2026-03-20", By: "VillageCadre", Line: v1.LineGovernment, Outcome: "Returned"})
		d.Spec.Closure = &v1.Closure{By: "中心校校长", Reason: "returned and attended for 20 school days", Date: "2026-04-20"}
		if err := k8s.Update(ctx, d); err != nil {
			t.Fatalf("recording an action was rejected: %v", err)
		}
	})
	t.Run("report: labels may change, spec stays", func(t *testing.T) {
		r := report()
		r.Name = "update-allowed-report"
		if err := k8s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = k8s.Delete(ctx, r) })
		r.Labels = map[string]string{"kongchuo.io/imported-by": "kubectl-kongchuo"}
		if err := k8s.Update(ctx, r); err != nil {
			t.Fatalf("relabelling a report was rejected: %v", err)
		}
	})
}

// TestSamplesAreAccepted creates every object in config/samples, with strict field validation so
// that a misspelt field in a sample fails too.
func TestSamplesAreAccepted(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(testenv.RepoRoot(), "config", "samples")
	var kustomization struct {
		Namespace string   `json:"namespace"`
		Resources []string `json:"resources"`
	}
	decodeFile(t, filepath.Join(dir, "kustomization.yaml"), &kustomization)
	if kustomization.Namespace != samplesNS {
		t.Errorf("config/samples/kustomization.yaml sets namespace %q, want %q", kustomization.Namespace, samplesNS)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, r := range kustomization.Resources {
		listed[r] = true
	}
	for _, f := range files {
		if base := filepath.Base(f); base != "kustomization.yaml" && !listed[base] {
			t.Errorf("config/samples/%s is not listed in kustomization.yaml", base)
		}
	}

	byKind := map[string][]*unstructured.Unstructured{}
	for _, r := range kustomization.Resources {
		t.Run(r, func(t *testing.T) {
			u := &unstructured.Unstructured{}
			decodeFile(t, filepath.Join(dir, r), &u.Object)
			if u.GetNamespace() != samplesNS {
				t.Errorf("namespace %q, want %q", u.GetNamespace(), samplesNS)
			}
			if err := k8s.Create(ctx, u, client.FieldValidation("Strict")); err != nil {
				t.Fatalf("the API server rejected the sample: %v", err)
			}
			byKind[u.GetKind()] = append(byKind[u.GetKind()], u)
		})
	}

	for _, kind := range []string{"Student", "AttendanceReport", "ResponsibilityAgreement", "DropoutCase"} {
		if len(byKind[kind]) == 0 {
			t.Errorf("config/samples has no valid %s", kind)
		}
	}
	lines := map[string]bool{}
	for _, a := range byKind["ResponsibilityAgreement"] {
		line, _, _ := unstructured.NestedString(a.Object, "spec", "line")
		lines[line] = true
	}
	if !lines["Education"] || !lines["Government"] {
		t.Errorf("config/samples should have an agreement on each line, has %v", lines)
	}
	// The samples tell one story: the case and the report name the sample student.
	students := map[string]bool{}
	for _, s := range byKind["Student"] {
		students[s.GetName()] = true
	}
	for _, d := range byKind["DropoutCase"] {
		if name, _, _ := unstructured.NestedString(d.Object, "spec", "student"); !students[name] {
			t.Errorf("DropoutCase %s is about %q, which is not a sample Student", d.GetName(), name)
		}
	}
	for _, r := range byKind["AttendanceReport"] {
		absences, _, _ := unstructured.NestedSlice(r.Object, "spec", "absences")
		found := false
		for _, a := range absences {
			if name, _ := a.(map[string]any)["student"].(string); students[name] {
				found = true
			}
		}
		if !found {
			t.Errorf("AttendanceReport %s names none of the sample Students", r.GetName())
		}
	}
}

func decodeFile(t *testing.T, path string, into any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := utilyaml.NewYAMLOrJSONDecoder(f, 4096).Decode(into); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
}
