package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/registry"
)

var demoToday = time.Date(2026, time.November, 23, 0, 0, 0, 0, time.UTC)

func resourceVersions(t *testing.T, ns string) map[string]string {
	t.Helper()
	var list v1.StudentList
	if err := k8s.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	rv := map[string]string{}
	for _, s := range list.Items {
		rv[s.Name] = s.ResourceVersion
	}
	return rv
}

func importRegistry(t *testing.T, ns string, csv []byte, dryRun bool) *RegistryResult {
	t.Helper()
	im := &Importer{Client: k8s, Namespace: ns, DryRun: dryRun}
	res, err := im.ImportRegistry(context.Background(), bytes.NewReader(csv))
	if err != nil {
		t.Fatalf("ImportRegistry: %v", err)
	}
	return res
}

// (a) Importing the same file twice: the second time everything is unchanged and nothing is written.
func TestImportRegistryTwiceWritesNothing(t *testing.T) {
	ns := newNamespace(t)
	county := demo.Generate(demoToday, demo.DefaultSeed)
	csv := county.RegistryCSV()
	n := len(county.Children)

	dry := importRegistry(t, ns, csv, true)
	if dry.Created != n || len(dry.Rejected) != 0 || len(resourceVersions(t, ns)) != 0 {
		t.Fatalf("dry run: %+v; objects written: %d", dry, len(resourceVersions(t, ns)))
	}

	first := importRegistry(t, ns, csv, false)
	if first.Created != n || first.Changed != 0 || first.Unchanged != 0 || len(first.Rejected) != 0 {
		t.Fatalf("first import: %+v", first)
	}
	before := resourceVersions(t, ns)
	if len(before) != n {
		t.Fatalf("%d Students stored, want %d", len(before), n)
	}

	second := importRegistry(t, ns, csv, false)
	if second.Unchanged != n || second.Created != 0 || second.Changed != 0 || len(second.Rejected) != 0 {
		t.Fatalf("second import: %+v", second)
	}
	after := resourceVersions(t, ns)
	for name, rv := range before {
		if after[name] != rv {
			t.Errorf("Student %s was written by the second import (resourceVersion %s -> %s)", name, rv, after[name])
		}
	}

	// The object is owned by the import's field manager, spec only.
	var s v1.Student
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: county.Children[0].Name()}, &s); err != nil {
		t.Fatal(err)
	}
	var managers []string
	for _, mf := range s.ManagedFields {
		managers = append(managers, mf.Manager+"/"+string(mf.Operation)+"/"+mf.Subresource)
		var owned map[string]any
		if err := json.Unmarshal(mf.FieldsV1.Raw, &owned); err != nil {
			t.Fatal(err)
		}
		if _, status := owned["f:status"]; status || owned["f:spec"] == nil {
			t.Errorf("the import owns %s", mf.FieldsV1.Raw)
		}
	}
	if len(managers) != 1 || managers[0] != FieldManager+"/Apply/" {
		t.Errorf("managed fields = %v", managers)
	}

	// One changed row: one write.
	changed := strings.Replace(string(csv), ",Enrolled,,5201210001,1,1,", ",Enrolled,,5201210001,1,2,", 1)
	third := importRegistry(t, ns, []byte(changed), false)
	if third.Changed != 1 || third.Unchanged != n-1 || third.Created != 0 {
		t.Errorf("after changing one row: %+v", third)
	}
}

// Fields set by someone else are not fought over, and a status written by the controller survives.
func TestImportRegistryLeavesStatusAndAbsentColumns(t *testing.T) {
	ns := newNamespace(t)
	id := registry.MakeResidentID("520121", "2016-04-01", 7)
	full := "resident_id,name,birth_date,township,village,enrolment_status,school,grade,class,guardian_name,guardian_phone\n" +
		id + ",测试甲,2016-04-01,520121100,520121100201,Enrolled,5201210001,4,1,测试乙,13800000001\n"
	if res := importRegistry(t, ns, []byte(full), false); res.Created != 1 {
		t.Fatalf("import: %+v", res)
	}
	name := registry.StudentName(id)
	ctx := context.Background()
	var s v1.Student
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &s); err != nil {
		t.Fatal(err)
	}
	s.Status.Age = 10
	s.Status.OpenCase = "dc-something"
	if err := k8s.Status().Update(ctx, &s); err != nil {
		t.Fatal(err)
	}
	// An extract without guardian and village columns changes the class only.
	partial := "resident_id,name,birth_date,township,enrolment_status,school,grade,class\n" +
		id + ",测试甲,2016-04-01,520121100,Enrolled,5201210001,4,2\n"
	if res := importRegistry(t, ns, []byte(partial), false); res.Changed != 1 {
		t.Fatalf("partial import: %+v", res)
	}
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &s); err != nil {
		t.Fatal(err)
	}
	if s.Spec.Enrolment.Class != 2 || len(s.Spec.Guardians) != 1 || s.Spec.Residence.Village != "520121100201" {
		t.Errorf("spec after partial import: %+v", s.Spec)
	}
	if s.Status.Age != 10 || s.Status.OpenCase != "dc-something" {
		t.Errorf("status was touched: %+v", s.Status)
	}
	if res := importRegistry(t, ns, []byte(partial), false); res.Unchanged != 1 {
		t.Errorf("re-import of the partial file: %+v", res)
	}
	// The same child known by the student number only: found, not duplicated.
	byNumber := "student_number,name,birth_date,township,enrolment_status,school,grade,class\n" +
		"G" + id + ",测试甲,2016-04-01,520121100,Enrolled,5201210001,4,3\n"
	res := importRegistry(t, ns, []byte(byNumber), false)
	if res.Changed != 1 || res.Created != 0 {
		t.Errorf("import by student number: %+v", res)
	}
	if n := len(resourceVersions(t, ns)); n != 1 {
		t.Errorf("%d Students, want 1", n)
	}
}

// (b) A file with bad rows: the good rows are applied, the bad ones are reported by line.
func TestImportRegistryBadRows(t *testing.T) {
	ns := newNamespace(t)
	good1 := registry.MakeResidentID("520121", "2016-04-01", 1)
	good2 := registry.MakeResidentID("520121", "2015-06-30", 2)
	bad := registry.MakeResidentID("520121", "2014-01-15", 3)
	bad = bad[:17] + map[bool]string{true: "1", false: "0"}[bad[17] == '0']
	csv := "resident_id,name,birth_date,township,enrolment_status,school,grade,class\n" +
		good1 + ",好甲,2016-04-01,520121100,Enrolled,5201210001,4,1\n" + // 2
		bad + ",坏乙,2014-01-15,520121100,Enrolled,5201210001,6,1\n" + // 3: check digit
		good2 + ",好丙,2015-06-30,520121100,NotEnrolled,,,\n" + // 4
		good1 + ",好甲,2016-04-01,520121100,Enrolled,5201210001,4,1\n" + // 5: duplicate
		registry.MakeResidentID("520121", "2013-03-03", 4) + ",坏丁,2013-03-03,520121100,Enrolled,5201210003,,\n" // 6: no grade, class
	res := importRegistry(t, ns, []byte(csv), false)
	if res.Created != 2 || res.Rows != 5 {
		t.Errorf("result %+v", res)
	}
	var lines []string
	for _, e := range res.Rejected {
		lines = append(lines, e.Error())
	}
	text := strings.Join(lines, "\n")
	if len(res.Rejected) != 3 {
		t.Errorf("%d rejected, want 3", len(res.Rejected))
	}
	for _, want := range []string{
		"line 3: resident_id: check digit is wrong",
		"line 5: resident_id: the same resident ID is on line 2",
		"line 6: grade: required for an enrolled child; class: required for an enrolled child",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, pd := range []string{bad, good1, "坏乙", "坏丁", "2014-01-15"} {
		if strings.Contains(text, pd) {
			t.Errorf("output contains personal data %q:\n%s", pd, text)
		}
	}
	rv := resourceVersions(t, ns)
	if len(rv) != 2 || rv[registry.StudentName(good1)] == "" || rv[registry.StudentName(good2)] == "" {
		t.Errorf("stored Students: %v", rv)
	}
}

// (c) A row the API server rejects is reported with its line and the server's reason, without
// personal data; the other rows are applied. The county has an admission policy the client
// cannot know about: school 5201219999 is closed.
func TestImportRegistryServerRejection(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	policy := &admissionv1.ValidatingAdmissionPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "closed-school-" + ns},
		Spec: admissionv1.ValidatingAdmissionPolicySpec{
			MatchConstraints: &admissionv1.MatchResources{ResourceRules: []admissionv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionv1.RuleWithOperations{
					Operations: []admissionv1.OperationType{admissionv1.Create, admissionv1.Update},
					Rule:       admissionv1.Rule{APIGroups: []string{"kongchuo.io"}, APIVersions: []string{"v1alpha1"}, Resources: []string{"students"}},
				}}}},
			Validations: []admissionv1.Validation{{
				Expression: "!has(object.spec.enrolment.school) || object.spec.enrolment.school != '5201219999'",
				// A careless policy that repeats the child's name and ID: the import must not print them.
				MessageExpression: "'school 5201219999 closed on 2026-07-01; cannot enrol ' + object.spec.name + ' (' + object.spec.residentID + ')'",
			}},
		},
	}
	fail := admissionv1.Deny
	binding := &admissionv1.ValidatingAdmissionPolicyBinding{
		ObjectMeta: metav1.ObjectMeta{Name: policy.Name},
		Spec: admissionv1.ValidatingAdmissionPolicyBindingSpec{
			PolicyName:        policy.Name,
			ValidationActions: []admissionv1.ValidationAction{fail},
			MatchResources: &admissionv1.MatchResources{NamespaceSelector: &metav1.LabelSelector{
				MatchLabels: map[string]string{"kubernetes.io/metadata.name": ns}}},
		},
	}
	if err := k8s.Create(ctx, policy); err != nil {
		t.Fatal(err)
	}
	if err := k8s.Create(ctx, binding); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = k8s.Delete(ctx, binding); _ = k8s.Delete(ctx, policy) })

	closedID := registry.MakeResidentID("520121", "2016-04-01", 9)
	probe := "resident_id,name,birth_date,township,enrolment_status,school,grade,class\n" +
		closedID + ",关校甲,2016-04-01,520121100,Enrolled,5201219999,4,1\n"
	// The policy takes a moment to be enforced: probe with dry runs.
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := importRegistry(t, ns, []byte(probe), true)
		if len(res.Rejected) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the admission policy was never enforced: %+v", res)
		}
		time.Sleep(200 * time.Millisecond)
	}

	okID := registry.MakeResidentID("520121", "2015-02-02", 10)
	csv := "resident_id,name,birth_date,township,enrolment_status,school,grade,class,guardian_name,guardian_phone\n" +
		okID + ",开校甲,2015-02-02,520121100,Enrolled,5201210001,5,1,监护乙,13800000002\n" +
		closedID + ",关校甲,2016-04-01,520121100,Enrolled,5201219999,4,1,监护丙,13800000003\n"
	res := importRegistry(t, ns, []byte(csv), false)
	if res.Created != 1 || len(res.Rejected) != 1 {
		t.Fatalf("result %+v", res)
	}
	e := res.Rejected[0]
	msg := e.Error()
	t.Log(msg)
	if e.Line != 3 || !strings.Contains(msg, "rejected by the API server") || !strings.Contains(msg, "school 5201219999 closed on 2026-07-01") {
		t.Errorf("rejection = %q", msg)
	}
	for _, pd := range []string{"关校甲", closedID, "监护丙", "13800000003"} {
		if strings.Contains(msg, pd) {
			t.Errorf("rejection repeats personal data %q: %s", pd, msg)
		}
	}
}

// The server's own validation (CEL and formats) of a Student that slipped past the client
// checks: reported without the values the server repeats.
func TestServerValidationMessagesAreScrubbed(t *testing.T) {
	ns := newNamespace(t)
	id := registry.MakeResidentID("520121", "2015-02-28", 5)
	s := &v1.Student{ObjectMeta: metav1.ObjectMeta{Name: registry.StudentName(id), Namespace: ns}, Spec: v1.StudentSpec{
		Name: "格式甲", ResidentID: id, BirthDate: "2015-02-30", // not a date: the server's format check
		Residence: v1.Residence{Township: "520121100"},
		Enrolment: v1.Enrolment{Status: v1.EnrolmentEnrolled, School: "5201210001"}, // CEL: needs grade and class
	}}
	im := &Importer{Client: k8s, Namespace: ns}
	o, rowErr := im.applyStudent(context.Background(), applyJob{line: 7, student: s})
	if o != outRejected || rowErr == nil {
		t.Fatalf("outcome %v", o)
	}
	msg := rowErr.Error()
	if !strings.HasPrefix(msg, "line 7: rejected by the API server (Invalid)") ||
		!strings.Contains(msg, "an enrolled child needs school, grade and class") || !strings.Contains(msg, "spec.birthDate") {
		t.Errorf("message = %q", msg)
	}
	for _, pd := range []string{"2015-02-30", "格式甲", id} {
		if strings.Contains(msg, pd) {
			t.Errorf("message repeats %q: %s", pd, msg)
		}
	}
}

func TestImportIntoMissingNamespace(t *testing.T) {
	if env == nil {
		t.Skip("integration test")
	}
	im := &Importer{Client: k8s, Namespace: "no-such-county"}
	_, err := im.ImportRegistry(context.Background(), strings.NewReader("resident_id,name,birth_date,township,enrolment_status\n"))
	if err == nil || !strings.Contains(err.Error(), `namespace "no-such-county" does not exist`) {
		t.Errorf("err = %v", err)
	}
}

func importAttendance(t *testing.T, ns string, csv string, now time.Time) *AttendanceResult {
	t.Helper()
	im := &Importer{Client: k8s, Namespace: ns, Now: func() time.Time { return now }}
	res, err := im.ImportAttendance(context.Background(), strings.NewReader(csv))
	if err != nil {
		t.Fatalf("ImportAttendance: %v", err)
	}
	return res
}

func TestImportAttendance(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	id1 := registry.MakeResidentID("520121", "2017-03-15", 11)
	id2 := registry.MakeResidentID("520121", "2017-05-15", 12)
	reg := "resident_id,student_number,name,birth_date,township,enrolment_status,school,grade,class\n" +
		id1 + ",G" + id1 + ",考勤甲,2017-03-15,520121100,Enrolled,5201210001,3,1\n" +
		id2 + ",,考勤乙,2017-05-15,520121100,Enrolled,5201210001,3,1\n"
	if res := importRegistry(t, ns, []byte(reg), false); res.Created != 2 {
		t.Fatalf("registry: %+v", res)
	}
	unknown := registry.MakeResidentID("520121", "2017-01-01", 13)
	att := "school,grade,class,date,reporter,student_id,kind,note\n" +
		"5201210001,3,1,2026-11-19,T31,,,\n" +
		"5201210001,3,1,2026-11-20,T31,G" + id1 + ",Unexcused,\n" + // by student number
		"5201210001,3,1,2026-11-20,T31," + unknown + ",SickLeave,\n" +
		"5201210001,3,2,2026-11-20,T32,,,\n"
	now := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	res := importAttendance(t, ns, att, now)
	if res.Created != 3 || res.Rows != 4 || len(res.Rejected) != 0 || len(res.Warnings) != 1 || res.Warnings[0].Line != 4 {
		t.Fatalf("first import: %+v", res)
	}
	var r v1.AttendanceReport
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "att-5201210001-3-1-20261120"}, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Spec.Absences) != 2 || r.Spec.ReportedAt != nil || r.Spec.Reporter != "T31" {
		t.Errorf("report = %+v", r.Spec)
	}
	names := map[string]bool{r.Spec.Absences[0].Student: true, r.Spec.Absences[1].Student: true}
	if !names[registry.StudentName(id1)] || !names[registry.StudentName(unknown)] {
		t.Errorf("absences name %v", names)
	}

	// Twice: nothing written.
	if res := importAttendance(t, ns, att, now.Add(time.Hour)); res.Unchanged != 3 || res.Created+res.Corrected != 0 {
		t.Errorf("second import: %+v", res)
	}

	// A correction: child 2 was also away. A new report supersedes the first.
	corrected := att + "5201210001,3,1,2026-11-20,T31," + id2 + ",Unexcused,\n"
	res = importAttendance(t, ns, corrected, now)
	if res.Corrected != 1 || res.Unchanged != 2 {
		t.Fatalf("correction: %+v", res)
	}
	var r2 v1.AttendanceReport
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "att-5201210001-3-1-20261120-r2"}, &r2); err != nil {
		t.Fatal(err)
	}
	if len(r2.Spec.Absences) != 3 || r2.Spec.ReportedAt == nil || !r2.Spec.ReportedAt.After(r.CreationTimestamp.Time) {
		t.Errorf("correction = %+v (first created %s)", r2.Spec, r.CreationTimestamp)
	}
	// Back to the first version: a third report, later still.
	res = importAttendance(t, ns, att, now)
	if res.Corrected != 1 {
		t.Fatalf("second correction: %+v", res)
	}
	var r3 v1.AttendanceReport
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "att-5201210001-3-1-20261120-r3"}, &r3); err != nil {
		t.Fatal(err)
	}
	if !r3.Spec.ReportedAt.After(r2.Spec.ReportedAt.Time) {
		t.Errorf("r3 reportedAt %s not after r2 %s", r3.Spec.ReportedAt, r2.Spec.ReportedAt)
	}
	if res := importAttendance(t, ns, att, now); res.Unchanged != 3 {
		t.Errorf("after the second correction: %+v", res)
	}
}

// The committed demo county loads without a single rejection: registry, agreements, attendance.
func TestDemoCountyLoads(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	county := demo.Generate(demoToday, demo.DefaultSeed)
	if res := importRegistry(t, ns, county.RegistryCSV(), false); len(res.Rejected) != 0 {
		t.Fatalf("registry: %+v", res)
	}
	y, err := county.AgreementsYAML()
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewYAMLOrJSONDecoder(bytes.NewReader(y), 4096)
	n := 0
	for {
		u := &unstructured.Unstructured{}
		if err := dec.Decode(&u.Object); err != nil {
			break
		}
		if len(u.Object) == 0 {
			continue
		}
		u.SetNamespace(ns)
		if err := k8s.Create(ctx, u); err != nil {
			t.Errorf("agreement %s: %v", u.GetName(), err)
		}
		n++
	}
	if n != len(county.Agreements) {
		t.Errorf("created %d agreements, want %d", n, len(county.Agreements))
	}
	res := importAttendance(t, ns, string(county.AttendanceCSV()), time.Now())
	if len(res.Rejected) != 0 || len(res.Warnings) != 0 || res.Created != len(county.Classes)*demo.SchoolDays {
		t.Errorf("attendance: %+v", res)
	}
	f, err := registry.ParseActions(bytes.NewReader(county.ActionsCSV()))
	if err != nil || len(f.Errors) > 0 || len(f.Rows) == 0 {
		t.Errorf("actions: %v %v", err, f)
	}
}

func TestServerReason(t *testing.T) {
	err := apierrors.NewInvalid(v1.GroupVersion.WithKind("Student").GroupKind(), "stu-0123456789ab", nil)
	if got := ServerReason(err, nil); !strings.Contains(got, "rejected by the API server (Invalid)") {
		t.Errorf("ServerReason = %q", got)
	}
	got := ServerReason(fmt.Errorf(`Invalid value: "52012120150315001X": bad for 王小明`), []string{"王小明"})
	if strings.Contains(got, "52012120150315001X") || strings.Contains(got, "王小明") {
		t.Errorf("ServerReason = %q", got)
	}
}

// Issue 12: a stray unclosed quote on line 4 of a 10-row registry file used to drop every later
// row; the summary said 3 rows. Now all 10 rows are counted, 9 imported and line 4 reported.
func TestImportRegistryUnclosedQuoteCountsEveryRow(t *testing.T) {
	ns := newNamespace(t)
	csv := "resident_id,name,birth_date,township,enrolment_status\n"
	for i := 0; i < 10; i++ {
		name := fmt.Sprintf("孩子%d", i)
		if i == 2 {
			name = `"` + name // line 4
		}
		csv += registry.MakeResidentID("520121", "2016-05-01", 200+i) + "," + name + ",2016-05-01,520121100,NotEnrolled\n"
	}
	res := importRegistry(t, ns, []byte(csv), false)
	if res.Rows != 10 || res.Created != 9 || len(res.Rejected) != 1 || res.Rejected[0].Line != 4 ||
		!strings.Contains(strings.Join(res.Rejected[0].Reasons, " "), "a quoted value runs past the end of this line") {
		t.Errorf("rows %d, created %d, rejected %+v; want 10 rows, 9 created and line 4 rejected", res.Rows, res.Created, res.Rejected)
	}
	if rv := resourceVersions(t, ns); len(rv) != 9 {
		t.Errorf("%d Students stored, want 9", len(rv))
	}
}
