package v1alpha1_test

// Hostile and careless input sent to the real API server, with the CRDs (config/crd) and the
// ValidatingAdmissionPolicies (config/admission) installed as a cluster has them. Every object here
// was accepted before issue 12; each must now be refused with a message a clerk understands. The
// table is tagged by what each object attacks, and the test fails if a rule has no object.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

// What a hostile object attacks: the rules of issue 12.
const (
	ruleCheckDigit      = "resident ID check digit"
	ruleIDBirthDate     = "birth date inside the resident ID"
	ruleIDMatchesBirth  = "resident ID and birthDate agree"
	ruleGNumber         = "G student number embeds this child's ID"
	ruleBirthFuture     = "birth date in the future"
	ruleBirthOld        = "birth date implausibly old"
	ruleReportFuture    = "report dated more than a day ahead"
	ruleReportedAt      = "reportedAt in the future"
	ruleCaseByHand      = "only the manager opens cases"
	ruleCaseOpenedAhead = "case opened in the future"
	ruleActionEarly     = "action before the opening"
	ruleClosureEarly    = "closure before the opening"
	ruleControlChars    = "control and bidi characters in names and notes"
	rulePersonalInNote  = "ID or phone number in a note"
)

var allRules = []string{
	ruleCheckDigit, ruleIDBirthDate, ruleIDMatchesBirth, ruleGNumber, ruleBirthFuture, ruleBirthOld,
	ruleReportFuture, ruleReportedAt, ruleCaseByHand, ruleCaseOpenedAhead, ruleActionEarly,
	ruleClosureEarly, ruleControlChars, rulePersonalInNote,
}

const (
	msgCheckDigit   = "the check digit of the resident ID (身份证号) is wrong"
	msgIDBirthDate  = "characters 7 to 14 of the resident ID (身份证号) are not a real birth date"
	msgIDMismatch   = "birthDate does not match the birth date inside the resident ID"
	msgGNumber      = "the student number (全国学籍号) is G and a resident ID that is not this child's"
	msgBornFuture   = "birthDate is in the future"
	msgBornOld      = "birthDate is more than 25 years ago"
	msgReportAhead  = "date is more than a day in the future"
	msgReportedAt   = "reportedAt is in the future"
	msgOnlyManager  = "only the kongchuo manager opens dropout cases"
	msgOpenedAhead  = "opened is in the future"
	msgActionEarly  = "an action cannot be dated before the case was opened"
	msgClosureEarly = "a case cannot be closed before it was opened"
	msgControl      = "must not contain control characters, line breaks or invisible direction marks"
	msgPersonal     = "seems to contain an ID or phone number"
	msgRBAC         = "cannot create resource \"dropoutcases\""
)

// Users the hostile table writes as, besides the test's superuser.
const (
	asSuperuser    = ""
	asCountyAdmin  = "county-admin"  // bound to kongchuo-admin in the namespace
	asCaseCreator  = "case-creator"  // may create dropoutcases by RBAC, but lacks the verb "open"
	asTheManager   = "manager-clone" // bound to the manager's ClusterRole
	hostilePrefix  = "hostile-"
	shanghaiOffset = 8 * time.Hour
)

type hostileCase struct {
	name string
	rule string
	as   string
	obj  client.Object
	// update, when set, creates obj (valid) as the superuser and sends this change as the user.
	update func(client.Object)
	want   string
}

// localDay is a day relative to today in China Standard Time, as the admission policies judge it.
func localDay(offset int) v1.Date {
	return v1.Date(time.Now().UTC().Add(shanghaiOffset).AddDate(0, 0, offset).Format("2006-01-02"))
}

// childBornOn is the base Student born on a date, with a resident ID and G number that fit it.
func childBornOn(date v1.Date, mutate ...func(*v1.Student)) *v1.Student {
	id := registry.MakeResidentID("520121", string(date), 11)
	return student(append([]func(*v1.Student){func(s *v1.Student) {
		s.Spec.BirthDate, s.Spec.ResidentID, s.Spec.StudentNumber = date, id, "G"+id
	}}, mutate...)...)
}

func hostileCases() []hostileCase {
	type (
		stu = v1.Student
		att = v1.AttendanceReport
		ra  = v1.ResponsibilityAgreement
		dc  = v1.DropoutCase
	)
	valid := "52012120150315001X"
	other := registry.MakeResidentID("520121", "2014-07-01", 22) // another child's ID
	sameDayOther := registry.MakeResidentID("520121", "2015-03-15", 23)
	withID := func(id string) func(*stu) { return func(s *stu) { s.Spec.ResidentID = id } }
	named := func(n string) func(*stu) { return func(s *stu) { s.Spec.Name = n } }
	note := func(n string) func(*att) { return func(r *att) { r.Spec.Absences[1].Note = n } }
	actionNote := func(n string) func(client.Object) {
		return changed(func(d *dc) { d.Spec.Actions[0].Note = n })
	}
	reportedAt := func(t time.Time) func(*att) {
		return func(r *att) { r.Spec.ReportedAt = &metav1.Time{Time: t} }
	}
	return []hostileCase{
		// Resident ID check digit (GB 11643).
		{name: "check digit off by one", rule: ruleCheckDigit, obj: student(withID("520121201503150011")), want: msgCheckDigit},
		{name: "check digit X for a digit", rule: ruleCheckDigit, obj: student(withID("52012120150315002X")), want: msgCheckDigit},
		{name: "two digits transposed", rule: ruleCheckDigit, obj: student(withID("52021120150315001X")), want: msgCheckDigit},
		{name: "sequence digit mistyped", rule: ruleCheckDigit, obj: student(withID("52012120150315007X")), want: msgCheckDigit},
		{name: "check digit changed on update", rule: ruleCheckDigit, obj: student(), update: changed(withID("520121201503150010")), want: msgCheckDigit},
		// The birth date inside the ID is a real day.
		{name: "ID born on 30 February", rule: ruleIDBirthDate, obj: student(withID(registry.MakeResidentID("520121", "2015-02-30", 1))), want: msgIDBirthDate},
		{name: "ID born in month 13", rule: ruleIDBirthDate, obj: student(withID(registry.MakeResidentID("520121", "2015-13-01", 1))), want: msgIDBirthDate},
		{name: "ID born on day 00", rule: ruleIDBirthDate, obj: student(withID(registry.MakeResidentID("520121", "2015-03-00", 1))), want: msgIDBirthDate},
		{name: "ID born on 29 February of a common year", rule: ruleIDBirthDate, obj: student(withID(registry.MakeResidentID("520121", "2015-02-29", 1))), want: msgIDBirthDate},
		// The ID and birthDate name the same day.
		{name: "ID of a child born a year earlier", rule: ruleIDMatchesBirth, obj: student(withID(registry.MakeResidentID("520121", "2014-03-15", 1))), want: msgIDMismatch},
		{name: "birthDate one day off the ID", rule: ruleIDMatchesBirth, obj: student(func(s *stu) { s.Spec.BirthDate = "2015-03-16" }), want: msgIDMismatch},
		{name: "birthDate changed on update", rule: ruleIDMatchesBirth, obj: student(), update: changed(func(s *stu) { s.Spec.BirthDate = "2015-04-15" }), want: msgIDMismatch},
		// A G student number is G followed by this child's resident ID.
		{name: "G number embedding another child's ID", rule: ruleGNumber, obj: student(func(s *stu) { s.Spec.StudentNumber = "G" + other }), want: msgGNumber},
		{name: "G number of a twin (same day, other sequence)", rule: ruleGNumber, obj: student(func(s *stu) { s.Spec.StudentNumber = "G" + sameDayOther }), want: msgGNumber},
		{name: "G number only, born on another day", rule: ruleGNumber, obj: student(func(s *stu) { s.Spec.ResidentID, s.Spec.StudentNumber = "", "G"+other }), want: msgGNumber},
		{name: "G number swapped on update", rule: ruleGNumber, obj: student(), update: changed(func(s *stu) { s.Spec.StudentNumber = "G" + other }), want: msgGNumber},
		// Birth dates: not in the future, not implausibly old.
		{name: "born in 2030 (status.age -4)", rule: ruleBirthFuture, obj: childBornOn("2030-06-01"), want: msgBornFuture},
		{name: "born the day after tomorrow", rule: ruleBirthFuture, obj: childBornOn(localDay(2)), want: msgBornFuture},
		{name: "born next year, no resident ID", rule: ruleBirthFuture, obj: student(func(s *stu) {
			s.Spec.ResidentID, s.Spec.StudentNumber, s.Spec.BirthDate = "", "J000000000000000001", localDay(365)
		}), want: msgBornFuture},
		{name: "birth date moved to the future on update", rule: ruleBirthFuture, obj: student(func(s *stu) { s.Spec.ResidentID, s.Spec.StudentNumber = "", "J000000000000000002" }),
			update: changed(func(s *stu) { s.Spec.BirthDate = localDay(30) }), want: msgBornFuture},
		{name: "born 1900, enrolled in grade 5", rule: ruleBirthOld, obj: childBornOn("1900-01-01"), want: msgBornOld},
		{name: "born 1985", rule: ruleBirthOld, obj: childBornOn("1985-05-05"), want: msgBornOld},
		{name: "born 26 years ago", rule: ruleBirthOld, obj: childBornOn(localDay(-26 * 366)), want: msgBornOld},
		// Control and bidi characters in names.
		{name: "name with NUL", rule: ruleControlChars, obj: student(named("张\x00三")), want: msgControl},
		{name: "name with BEL", rule: ruleControlChars, obj: student(named("张三\a")), want: msgControl},
		{name: "name with right-to-left override", rule: ruleControlChars, obj: student(named("张\u202e三李")), want: msgControl},
		{name: "name with newline", rule: ruleControlChars, obj: student(named("张三\n李四")), want: msgControl},
		{name: "name with tab", rule: ruleControlChars, obj: student(named("张\t三")), want: msgControl},
		{name: "name with a terminal escape", rule: ruleControlChars, obj: student(named("\x1b[2J张三")), want: msgControl},
		{name: "name with DEL", rule: ruleControlChars, obj: student(named("张三\x7f")), want: msgControl},
		{name: "name with C1 next-line", rule: ruleControlChars, obj: student(named("张三\u0085")), want: msgControl},
		{name: "name with left-to-right isolate", rule: ruleControlChars, obj: student(named("\u2066张三\u2069")), want: msgControl},
		{name: "name with zero-width space", rule: ruleControlChars, obj: student(named("张\u200b三")), want: msgControl},
		{name: "name with line separator", rule: ruleControlChars, obj: student(named("张\u2028三")), want: msgControl},
		{name: "name made bidi on update", rule: ruleControlChars, obj: student(), update: changed(named("\u202e三张")), want: msgControl},
		{name: "guardian name with RLO", rule: ruleControlChars, obj: student(func(s *stu) { s.Spec.Guardians[0].Name = "\u202e测试" }), want: msgControl},
		{name: "guardian relation with newline", rule: ruleControlChars, obj: student(func(s *stu) { s.Spec.Guardians[0].Relation = "母亲\n" }), want: msgControl},
		{name: "reporter with a terminal escape", rule: ruleControlChars, obj: report(func(r *att) { r.Spec.Reporter = "t\x1b]0;owned\a" }), want: msgControl},
		{name: "report note with newline", rule: ruleControlChars, obj: report(note("fever\nforged line")), want: msgControl},
		{name: "report note with RLO", rule: ruleControlChars, obj: report(note("fever \u202e")), want: msgControl},
		{name: "report note with NUL", rule: ruleControlChars, obj: report(note("fe\x00ver")), want: msgControl},
		{name: "agreement party name with RLO", rule: ruleControlChars, obj: eduAgreement(func(a *ra) { a.Spec.Responsible.Name = "测试\u202e老师" }), want: msgControl},
		{name: "agreement issuer with NUL", rule: ruleControlChars, obj: eduAgreement(func(a *ra) { a.Spec.Issuer.Name = "校\x00长" }), want: msgControl},
		{name: "agreement organisation with newline", rule: ruleControlChars, obj: govAgreement(func(a *ra) { a.Spec.Issuer.Organisation = "镇政府\n" }), want: msgControl},
		{name: "action by with RLO", rule: ruleControlChars, obj: dropoutCase(), update: changed(func(d *dc) { d.Spec.Actions[0].By = "\u202eHomeroom" }), want: msgControl},
		{name: "action note with BEL", rule: ruleControlChars, obj: dropoutCase(), update: actionNote("家访\a"), want: msgControl},
		{name: "closure by with newline", rule: ruleControlChars, obj: dropoutCase(), update: changed(func(d *dc) {
			d.Spec.Closure = &v1.Closure{By: "局长\n", Reason: "已转入外省学校就读", Date: "2026-04-01"}
		}), want: msgControl},
		// IDs and phone numbers in notes.
		{name: "report note with a mobile number", rule: rulePersonalInNote, obj: report(note("call mother 13800000000")), want: msgPersonal},
		{name: "report note with a dashed number", rule: rulePersonalInNote, obj: report(note("家长电话 138-0000-0000")), want: msgPersonal},
		{name: "report note with a resident ID", rule: rulePersonalInNote, obj: report(note("身份证 " + valid)), want: msgPersonal},
		{name: "report note with a landline", rule: rulePersonalInNote, obj: report(note("0851 8888888")), want: msgPersonal},
		{name: "action note with a resident ID", rule: rulePersonalInNote, obj: dropoutCase(), update: actionNote("监护人身份证" + other), want: msgPersonal},
		{name: "action note with a phone number", rule: rulePersonalInNote, obj: dropoutCase(), update: actionNote("父亲手机 139 1234 5678"), want: msgPersonal},
		{name: "closure reason with a student number", rule: rulePersonalInNote, obj: dropoutCase(), update: changed(func(d *dc) {
			d.Spec.Closure = &v1.Closure{By: "县教育局", Reason: "转入 G" + valid, Date: "2026-04-01"}
		}), want: msgPersonal},
		// Reports: not dated ahead, reportedAt not in the future.
		{name: "report a year ahead (2027 for 2026)", rule: ruleReportFuture, obj: report(func(r *att) { r.Spec.Date = localDay(365) }), want: msgReportAhead},
		{name: "report the day after tomorrow", rule: ruleReportFuture, obj: report(func(r *att) { r.Spec.Date = localDay(2) }), want: msgReportAhead},
		{name: "zero report ten years ahead", rule: ruleReportFuture, obj: report(func(r *att) { r.Spec.Date, r.Spec.Absences = "2036-09-01", nil }), want: msgReportAhead},
		{name: "reportedAt in 2099", rule: ruleReportedAt, obj: report(reportedAt(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))), want: msgReportedAt},
		{name: "reportedAt in an hour", rule: ruleReportedAt, obj: report(reportedAt(time.Now().Add(time.Hour))), want: msgReportedAt},
		{name: "reportedAt tomorrow on today's report", rule: ruleReportedAt, obj: report(func(r *att) { r.Spec.Date = localDay(0) }, reportedAt(time.Now().Add(25*time.Hour))), want: msgReportedAt},
		// Cases: only the manager opens them.
		{name: "second open case by a county admin", rule: ruleCaseByHand, as: asCountyAdmin, obj: dropoutCase(func(d *dc) { d.Name = "stu-0a1b2c3d4e5f-do-20260310" }), want: msgRBAC},
		{name: "case for a child that does not exist", rule: ruleCaseByHand, as: asCountyAdmin, obj: dropoutCase(func(d *dc) { d.Spec.Student = "stu-doesnotexist" }), want: msgRBAC},
		{name: "case by a user with create but not open", rule: ruleCaseByHand, as: asCaseCreator, obj: dropoutCase(), want: msgOnlyManager},
		{name: "not-enrolled case by a user with create", rule: ruleCaseByHand, as: asCaseCreator, obj: dropoutCase(func(d *dc) { d.Spec.Type, d.Spec.Actions = v1.CaseNotEnrolled, nil }), want: msgOnlyManager},
		{name: "case opened in 2030", rule: ruleCaseOpenedAhead, as: asTheManager, obj: dropoutCase(func(d *dc) { d.Spec.Opened, d.Spec.Actions = "2030-01-01", nil }), want: msgOpenedAhead},
		{name: "case opened the day after tomorrow", rule: ruleCaseOpenedAhead, obj: dropoutCase(func(d *dc) { d.Spec.Opened, d.Spec.Actions = localDay(2), nil }), want: msgOpenedAhead},
		// Actions and closures are not dated before the opening.
		{name: "case created with an action before it opened", rule: ruleActionEarly, obj: dropoutCase(func(d *dc) { d.Spec.Actions[0].Date = "2026-03-01" }), want: msgActionEarly},
		{name: "action recorded a year before the opening", rule: ruleActionEarly, obj: dropoutCase(), update: changed(func(d *dc) {
			d.Spec.Actions = append(d.Spec.Actions, v1.CaseAction{Type: v1.ActionHomeVisit, Date: "2025-03-02", By: "HomeroomTeacher", Line: v1.LineEducation})
		}), want: msgActionEarly},
		{name: "action date moved before the opening", rule: ruleActionEarly, obj: dropoutCase(), update: changed(func(d *dc) { d.Spec.Actions[1].Date = "2026-02-28" }), want: msgActionEarly},
		{name: "closure six years before the opening", rule: ruleClosureEarly, obj: dropoutCase(), update: changed(func(d *dc) {
			d.Spec.Closure = &v1.Closure{By: "县教育局", Reason: "已转入外省学校就读", Date: "2020-03-02"}
		}), want: msgClosureEarly},
		{name: "closure the day before the opening", rule: ruleClosureEarly, obj: dropoutCase(func(d *dc) {
			d.Spec.Actions, d.Spec.Closure = nil, &v1.Closure{By: "县教育局", Reason: "已转入外省学校就读", Date: "2026-03-01"}
		}), want: msgClosureEarly},
	}
}

// TestHostileObjectsAreRefused sends each hostile object to the API server, as its user, and
// expects it refused with its message.
func TestHostileObjectsAreRefused(t *testing.T) {
	ctx := context.Background()
	clients := hostileClients(t)
	cases := hostileCases()
	covered := map[string]int{}
	for i, tc := range cases {
		covered[tc.rule]++
		t.Run(tc.name, func(t *testing.T) {
			c := clients[tc.as]
			obj := tc.obj
			obj.SetName(fmt.Sprintf("%s%d", hostilePrefix, i))
			if tc.update == nil {
				err := c.Create(ctx, obj)
				if err == nil {
					_ = k8s.Delete(ctx, obj)
				}
				expectRefused(t, err, tc.want)
				return
			}
			if err := k8s.Create(ctx, obj); err != nil {
				t.Fatalf("creating the valid object to update: %v", err)
			}
			t.Cleanup(func() { _ = k8s.Delete(ctx, obj) })
			tc.update(obj)
			expectRefused(t, c.Update(ctx, obj), tc.want)
		})
	}
	if len(cases) < 60 {
		t.Errorf("the hostile table has %d objects, want at least 60", len(cases))
	}
	for _, rule := range allRules {
		if covered[rule] == 0 {
			t.Errorf("no hostile object attacks %q", rule)
		}
	}
}

// TestNearMissesAreAccepted guards the hostile table: the legitimate objects next to each refusal
// pass, so the rules refuse what they say and no more.
func TestNearMissesAreAccepted(t *testing.T) {
	ctx := context.Background()
	clients := hostileClients(t)
	ok := []struct {
		name string
		as   string
		obj  client.Object
	}{
		{name: "resident ID ending in X", obj: student()},
		{name: "resident ID ending in a digit", obj: childBornOn("2016-02-29")},
		{name: "G number that is not an ID", obj: student(func(s *v1.Student) { s.Spec.StudentNumber = "G520121201503150012" })},
		{name: "J number with any resident ID", obj: student(func(s *v1.Student) { s.Spec.StudentNumber = "J000000000000000001" })},
		{name: "born today", obj: childBornOn(localDay(0))},
		{name: "born 24 years ago", obj: childBornOn(localDay(-24 * 365))},
		{name: "minority name with a middle dot", obj: student(func(s *v1.Student) { s.Spec.Name = "阿依古丽·买买提" })},
		{name: "report for today", obj: report(func(r *v1.AttendanceReport) { r.Spec.Date = localDay(0) })},
		{name: "report for tomorrow (a county a day ahead)", obj: report(func(r *v1.AttendanceReport) { r.Spec.Date = localDay(1) })},
		{name: "reportedAt a minute ago", obj: report(func(r *v1.AttendanceReport) { r.Spec.ReportedAt = &metav1.Time{Time: time.Now().Add(-time.Minute)} })},
		{name: "note with a short number", obj: report(func(r *v1.AttendanceReport) { r.Spec.Absences[1].Note = "第3节课后离校, 体温38.5" })},
		{name: "case opened by the manager", as: asTheManager, obj: dropoutCase()},
		{name: "case opened today with an action today", as: asTheManager, obj: dropoutCase(func(d *v1.DropoutCase) {
			d.Spec.Opened = localDay(0)
			d.Spec.Actions = []v1.CaseAction{{Type: v1.ActionPhoneCall, Date: localDay(0), By: "HomeroomTeacher", Line: v1.LineEducation}}
		})},
		{name: "action and closure on the opening day", obj: dropoutCase(func(d *v1.DropoutCase) {
			d.Spec.Actions = []v1.CaseAction{{Type: v1.ActionHomeVisit, Date: "2026-03-02", By: "HomeroomTeacher", Line: v1.LineEducation}}
			d.Spec.Closure = &v1.Closure{By: "县教育局", Reason: "已转入外省学校就读", Date: "2026-03-02"}
		})},
	}
	for i, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			tc.obj.SetName(fmt.Sprintf("near-miss-%d", i))
			if err := clients[tc.as].Create(ctx, tc.obj); err != nil {
				t.Fatalf("refused: %v", err)
			}
			t.Cleanup(func() { _ = k8s.Delete(ctx, tc.obj) })
		})
	}
}

// TestCountyAdminStillWorksCases: refusing hand-made cases must not take the admins' casework away.
func TestCountyAdminStillWorksCases(t *testing.T) {
	ctx := context.Background()
	clients := hostileClients(t)
	d := dropoutCase()
	d.Name = "admin-works-case"
	if err := clients[asTheManager].Create(ctx, d); err != nil {
		t.Fatalf("the manager's role cannot open a case: %v", err)
	}
	t.Cleanup(func() { _ = k8s.Delete(ctx, d) })
	d.Spec.Closure = &v1.Closure{By: "县教育局", Reason: "已转入外省学校就读", Date: "2026-04-01"}
	if err := clients[asCountyAdmin].Update(ctx, d); err != nil {
		t.Fatalf("a county admin cannot close a case: %v", err)
	}
	if err := clients[asCountyAdmin].Delete(ctx, d); err != nil {
		t.Fatalf("a county admin cannot delete a case: %v", err)
	}
}

// hostileClients are clients for the users of the hostile table, made once per test binary.
func hostileClients(t *testing.T) map[string]client.Client {
	t.Helper()
	ctx := context.Background()
	cfgs := map[string]func() (client.Client, error){
		asCountyAdmin: func() (client.Client, error) {
			cfg, err := env.UserConfig(ctx, asCountyAdmin, ns, "kongchuo_admin_role.yaml")
			if err != nil {
				return nil, err
			}
			return client.New(cfg, client.Options{Scheme: env.Scheme})
		},
		asTheManager: func() (client.Client, error) {
			cfg, err := env.UserConfig(ctx, asTheManager, "", "role.yaml")
			if err != nil {
				return nil, err
			}
			return client.New(cfg, client.Options{Scheme: env.Scheme})
		},
		asCaseCreator: func() (client.Client, error) {
			if err := bindCaseCreator(ctx); err != nil {
				return nil, err
			}
			cfg, err := env.UserConfig(ctx, asCaseCreator, ns)
			if err != nil {
				return nil, err
			}
			return client.New(cfg, client.Options{Scheme: env.Scheme})
		},
	}
	out := map[string]client.Client{asSuperuser: k8s}
	for user, mk := range cfgs {
		c, err := mk()
		if err != nil {
			t.Fatalf("client for %s: %v", user, err)
		}
		out[user] = c
	}
	return out
}

// bindCaseCreator grants the kongchuo-admin role as it was before issue 12 (create included), to
// show that RBAC alone is not the guard: the admission policy refuses whoever lacks "open".
func bindCaseCreator(ctx context.Context) error {
	role := &rbacv1.Role{
		ObjectMeta: metav1.ObjectMeta{Name: asCaseCreator, Namespace: ns},
		Rules: []rbacv1.PolicyRule{{APIGroups: []string{v1.GroupVersion.Group}, Resources: []string{"dropoutcases"},
			Verbs: []string{"get", "list", "watch", "create", "update", "patch", "delete"}}},
	}
	binding := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: asCaseCreator, Namespace: ns},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: asCaseCreator},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: asCaseCreator}},
	}
	for _, obj := range []client.Object{role, binding} {
		if err := k8s.Create(ctx, obj); err != nil && !apierrors.IsAlreadyExists(err) {
			return err
		}
	}
	return nil
}

// expectRefused asserts that the API server refused the request (as Invalid or Forbidden) with want
// in its message.
func expectRefused(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want it refused with %q", want)
	}
	if !apierrors.IsInvalid(err) && !apierrors.IsForbidden(err) {
		t.Fatalf("refused with %v (reason %q); want Invalid or Forbidden with %q", err, apierrors.ReasonForError(err), want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("refused with\n  %v\nwant the message to contain\n  %q", err, want)
	}
}
