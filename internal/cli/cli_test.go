package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/registry"
)

// run runs the plugin against the test control plane, in English (the messages the tests
// match); runIn chooses the language.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runIn(t, LangEnglish, args...)
}

func runIn(t *testing.T, lang string, args ...string) (int, string, string) {
	t.Helper()
	return runWith(append(args, "--kubeconfig", kubeconfig, "--lang", lang)...)
}

// runWith runs the plugin with exactly these arguments.
func runWith(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Main(args, genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"import", "students", "f.csv"}, `unknown command "students" for "kubectl kongchuo import": use registry, household, poverty or attendance`},
		{[]string{"import", "registry"}, "accepts 1 arg(s), received 0"},
		{[]string{"record", "Visit", "dc-1", "--by", "x", "--line", "Education"}, "ACTION must be one of"},
		{[]string{"record", "HomeVisit", "dc-1", "--by", "x", "--line", "School"}, "--line must be Education or Government"},
		{[]string{"record", "ReturnNotice", "dc-1", "--by", "x", "--line", "Government", "--date", "2026-11-20", "--deadline", "2026-11-20"}, "deadline: must come after the date of the action"},
		{[]string{"record", "HomeVisit", "dc-1", "--by", "x", "--line", "Education", "--note", "电话13800000001"}, "note: seems to contain an ID or phone number"},
		{[]string{"close", "dc-1", "--by", "校长", "--reason", "ok"}, "reason: at least 5 characters"},
		{[]string{"ledger", "everything"}, `unknown ledger "everything"`},
		{[]string{"ledger", "-o", "csv"}, "-o csv, -o xlsx and -o html print one ledger"},
		{[]string{"ledger", "confirmed", "-o", "pdf"}, `unknown output format "pdf"`},
		{[]string{"import", "registry", "f.csv", "--workers", "0"}, "--workers must be at least 1"},
		{[]string{"import", "registry", "no-such-file.csv"}, "no such file or directory"},
		{[]string{"import", "registry", "f.csv", "--bogus"}, "unknown flag: --bogus"},
	}
	for _, tt := range tests {
		code, _, errOut := runWith(append(tt.args, "--lang", "en")...)
		if code != ExitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", tt.args, code, errOut, tt.want)
		}
	}
	if code, _, errOut := runWith("queue", "--lang", "fr"); code != ExitError || !strings.Contains(errOut, "--lang must be zh or en") {
		t.Errorf("--lang fr: %d %q", code, errOut)
	}
	// In Chinese by default.
	if code, _, errOut := runWith("record", "HomeVisit", "dc-1", "--by", "x", "--line", "School"); code != ExitError ||
		!strings.Contains(errOut, "错误：--line 必须是 Education（学校线）或 Government（政府线）") {
		t.Errorf("Chinese error: %d %q", code, errOut)
	}
}

// Every command answers --help (and -h) with exit status 0 and its usage, nothing on stderr.
func TestHelpOnEveryCommand(t *testing.T) {
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string(nil), path...), sub.Name()))
		}
	}
	root := NewRootCommand(&Options{})
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	walk(root, nil)
	if len(paths) < 12 {
		t.Fatalf("only %d commands in the tree: %v", len(paths), paths)
	}
	for _, p := range paths {
		for _, flags := range [][]string{{"--help"}, {"-h"}, {"--help", "--lang", "en"}, {"-n", "demo", "-h"}} {
			code, out, errOut := runWith(append(append([]string(nil), p...), flags...)...)
			if code != ExitOK || errOut != "" || !strings.Contains(out, "Usage:") {
				t.Errorf("%v %v: exit %d, stderr %q, stdout %.80q", p, flags, code, errOut, out)
			}
		}
	}
}

func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{"bash": "__start_kubectl-kongchuo", "zsh": "#compdef kubectl-kongchuo",
		"fish": "complete -c kubectl-kongchuo", "powershell": "Register-ArgumentCompleter"} {
		code, out, errOut := runWith("completion", shell)
		if code != ExitOK || errOut != "" || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, stderr %q, script lacks %q", shell, code, errOut, want)
		}
	}
	// Dynamic completion (what the scripts call): ledger kinds and action types.
	code, out, _ := runWith("__complete", "ledger", "")
	if code != ExitOK || !strings.Contains(out, "confirmed") || !strings.Contains(out, "roster") {
		t.Errorf("__complete ledger: %d %q", code, out)
	}
	code, out, _ = runWith("__complete", "record", "Home")
	if code != ExitOK || !strings.Contains(out, "HomeVisit") {
		t.Errorf("__complete record: %d %q", code, out)
	}
}

func TestVersion(t *testing.T) {
	code, out, errOut := runWith("version", "--client")
	if code != ExitOK || !strings.HasPrefix(out, "kubectl-kongchuo ") || errOut != "" {
		t.Errorf("version --client: %d %q %q", code, out, errOut)
	}
	if env == nil {
		return
	}
	code, out, errOut = run(t, "version")
	if code != ExitOK || !strings.Contains(out, "server: v1.") {
		t.Errorf("version: %d %q %q", code, out, errOut)
	}
}

func TestImportCommands(t *testing.T) {
	ns := newNamespace(t)
	county := demo.Generate(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), demo.DefaultSeed)
	reg := writeFile(t, "registry.csv", county.RegistryCSV())
	n := len(county.Children)

	code, out, errOut := run(t, "import", "registry", reg, "-n", ns, "--dry-run")
	if code != 0 || !strings.Contains(out, "created") || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: %d %q %q", code, out, errOut)
	}
	code, out, errOut = run(t, "import", "registry", reg, "-n", ns, "--workers", "8")
	if code != 0 || !strings.HasPrefix(out, strings.Join([]string{itoa(n), "rows:", itoa(n), "created, 0 changed, 0 unchanged, 0 rejected"}, " ")) {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	code, out, _ = run(t, "import", "registry", reg, "--namespace", ns)
	if code != 0 || !strings.Contains(out, "0 created, 0 changed, "+itoa(n)+" unchanged, 0 rejected") {
		t.Fatalf("re-import: %d %q", code, out)
	}
	// Bad rows: exit status 1, rows by line, no personal data on the screen.
	bad := county.Children[0].Spec
	badCSV := "resident_id,name,birth_date,township,enrolment_status\n" +
		bad.ResidentID[:17] + "Y," + bad.Name + "," + string(bad.BirthDate) + ",520121100,NotEnrolled\n"
	code, out, _ = run(t, "import", "registry", writeFile(t, "bad.csv", []byte(badCSV)), "-n", ns)
	if code != ExitRejected || !strings.Contains(out, "line 2: resident_id: the last character must be a digit or X") ||
		strings.Contains(out, bad.Name) || strings.Contains(out, bad.ResidentID[:17]) {
		t.Errorf("bad rows: %d %q", code, out)
	}
	// Attendance from standard input is not supported by the test harness; use the file.
	att := writeFile(t, "attendance.csv", county.AttendanceCSV())
	code, out, errOut = run(t, "import", "attendance", att, "-n", ns)
	if code != 0 || !strings.Contains(out, itoa(len(county.Classes)*demo.SchoolDays)+" reports created, 0 corrected, 0 unchanged; 0 rows rejected") {
		t.Errorf("attendance: %d %q %q", code, out, errOut)
	}
	// A missing namespace is one clear error.
	code, _, errOut = run(t, "import", "registry", reg, "-n", "nowhere")
	if code != ExitError || !strings.Contains(errOut, `namespace "nowhere" does not exist`) {
		t.Errorf("missing namespace: %d %q", code, errOut)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// newCase creates a Student and its open DropoutCase as the controller would.
func newCase(t *testing.T, ns, id string, stage v1.Stage, setOpen bool) (*v1.Student, *v1.DropoutCase) {
	t.Helper()
	ctx := context.Background()
	c := env.Client
	birth := registry.ResidentIDBirthDate(id)
	s := &v1.Student{ObjectMeta: metav1.ObjectMeta{Name: registry.StudentName(id), Namespace: ns}, Spec: v1.StudentSpec{
		Name: "案例" + id[14:17], ResidentID: id, BirthDate: v1.Date(birth),
		Residence: v1.Residence{Township: "520121100", Village: "520121100201"},
		Enrolment: v1.Enrolment{Status: v1.EnrolmentEnrolled, School: "5201210001", Grade: 4, Class: 1}}}
	if err := c.Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	dc := &v1.DropoutCase{ObjectMeta: metav1.ObjectMeta{Name: s.Name + "-do-20261110", Namespace: ns},
		Spec: v1.DropoutCaseSpec{Student: s.Name, Type: v1.CaseDroppedOut, Opened: "2026-11-10"}}
	if err := c.Create(ctx, dc); err != nil {
		t.Fatal(err)
	}
	now := metav1.Now()
	dc.Status = v1.DropoutCaseStatus{ObservedGeneration: dc.Generation, Stage: stage, StageEntered: &now, DaysAbsent: 11,
		VisitsRecorded: 3, VisitsRequired: 3, RequiredAction: v1.ActionReturnNotice, NextDeadline: &now,
		History:    []v1.StageChange{{Stage: stage, Time: now, Reason: "Test"}},
		Assignees:  v1.Assignees{Education: []v1.Assignee{{Role: v1.RoleHomeroomTeacher, Name: "班主任甲", Agreement: "class-x"}}},
		Conditions: []metav1.Condition{{Type: v1.CaseOverdue, Status: metav1.ConditionTrue, Reason: "Due", Message: "due", LastTransitionTime: now}}}
	if err := c.Status().Update(ctx, dc); err != nil {
		t.Fatal(err)
	}
	if setOpen {
		setOpenCase(t, s, dc.Name)
	}
	return s, dc
}

func setOpenCase(t *testing.T, s *v1.Student, name string) {
	t.Helper()
	ctx := context.Background()
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(s), s); err != nil {
		t.Error(err)
		return
	}
	now := metav1.Now()
	s.Status = v1.StudentStatus{ObservedGeneration: s.Generation, Age: 10, SchoolAge: true, OpenCase: name,
		Attendance:  v1.AttendanceSummary{ConsecutiveUnexcusedDays: 11, AbsentSince: "2026-11-06"},
		Responsible: v1.Responsibility{Education: &v1.ResponsibleParty{Agreement: "class-x", Role: v1.RoleHomeroomTeacher, Name: "班主任甲"}},
		Conditions:  []metav1.Condition{{Type: v1.StudentAtRisk, Status: metav1.ConditionFalse, Reason: "CaseOpen", Message: "case open", LastTransitionTime: now}}}
	if err := env.Client.Status().Update(ctx, s); err != nil {
		t.Error(err)
	}
}

func getCase(t *testing.T, dc *v1.DropoutCase) *v1.DropoutCase {
	t.Helper()
	got := &v1.DropoutCase{}
	if err := env.Client.Get(context.Background(), client.ObjectKeyFromObject(dc), got); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestRecordAndClose(t *testing.T) {
	ns := newNamespace(t)
	id := registry.MakeResidentID("520121", "2016-03-03", 21)
	s, dc := newCase(t, ns, id, v1.StageTownshipReported, true)

	code, out, errOut := run(t, "record", "homevisit", dc.Name, "--date", "2026-11-12", "--by", "班主任", "--line", "education",
		"--outcome", "refused", "-n", ns)
	if code != 0 || !strings.Contains(out, "HomeVisit on 2026-11-12 by 班主任 (Education), outcome Refused recorded on "+dc.Name) {
		t.Fatalf("record: %d %q %q", code, out, errOut)
	}
	// Twice: recorded once.
	code, out, _ = run(t, "record", "HomeVisit", dc.Name, "--date", "2026-11-12", "--by", "班主任", "--line", "Education", "--outcome", "Refused", "-n", ns)
	if code != 0 || !strings.Contains(out, "already recorded") {
		t.Errorf("record twice: %d %q", code, out)
	}
	// By Student name: the open case.
	code, out, _ = run(t, "record", "ReturnNotice", s.Name, "--date", "2026-11-13", "--deadline", "2026-11-28", "--by", "乡镇分管领导",
		"--line", "Government", "-n", ns)
	if code != 0 || !strings.Contains(out, "recorded on "+dc.Name) {
		t.Errorf("record by student: %d %q", code, out)
	}
	// Concurrent recorders: every action lands (optimistic concurrency with retries).
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(day int) {
			defer wg.Done()
			if code, _, e := run(t, "record", "PhoneCall", dc.Name, "--date", "2026-11-1"+string(rune('4'+day)), "--by", "村支书",
				"--line", "Government", "-n", ns); code != 0 {
				t.Errorf("concurrent record: %d %s", code, e)
			}
		}(i)
	}
	wg.Wait()
	got := getCase(t, dc)
	if len(got.Spec.Actions) != 8 {
		t.Errorf("%d actions, want 8: %+v", len(got.Spec.Actions), got.Spec.Actions)
	}
	if got.Status.Stage != v1.StageTownshipReported {
		t.Errorf("status was touched: %+v", got.Status)
	}
	// No open case, no such object.
	other := registry.MakeResidentID("520121", "2016-03-04", 22)
	stu, _ := newCase(t, ns, other, v1.StageSchoolReported, false)
	code, _, errOut = run(t, "record", "PhoneCall", stu.Name, "--by", "x", "--line", "Education", "-n", ns)
	if code != ExitError || !strings.Contains(errOut, "has no open case") {
		t.Errorf("no open case: %d %q", code, errOut)
	}
	code, _, errOut = run(t, "record", "PhoneCall", "dc-nothing", "--by", "x", "--line", "Education", "-n", ns)
	if code != ExitError || !strings.Contains(errOut, `no DropoutCase or Student named "dc-nothing"`) {
		t.Errorf("unknown case: %d %q", code, errOut)
	}

	// Close.
	code, out, errOut = run(t, "close", dc.Name, "--by", "县教育局", "--reason", "已转入外省学校就读，证明已核实", "--date", "2026-11-20", "-n", ns)
	if code != 0 || !strings.Contains(out, "closed by decision of 县教育局 on 2026-11-20") {
		t.Fatalf("close: %d %q %q", code, out, errOut)
	}
	if c := getCase(t, dc).Spec.Closure; c == nil || c.By != "县教育局" || c.Date != "2026-11-20" {
		t.Errorf("closure = %+v", c)
	}
	code, out, _ = run(t, "close", dc.Name, "--by", "县教育局", "--reason", "已转入外省学校就读，证明已核实", "--date", "2026-11-20", "-n", ns)
	if code != 0 || !strings.Contains(out, "already closed") {
		t.Errorf("close twice: %d %q", code, out)
	}
	code, _, errOut = run(t, "close", dc.Name, "--by", "校长", "--reason", "another decision", "-n", ns)
	if code != ExitError || !strings.Contains(errOut, "was already closed by decision on 2026-11-20") {
		t.Errorf("close differently: %d %q", code, errOut)
	}
}

func TestRecordFileWaitsForCases(t *testing.T) {
	ns := newNamespace(t)
	id1 := registry.MakeResidentID("520121", "2015-01-01", 31)
	id2 := registry.MakeResidentID("520121", "2015-01-02", 32)
	s1, dc1 := newCase(t, ns, id1, v1.StageTownshipReported, true)
	s2, dc2 := newCase(t, ns, id2, v1.StageTownshipReported, false) // the "controller" opens it later
	actions := "student_id,action,date,by,line,outcome,deadline,note\n" +
		id1 + ",HomeVisit,2026-11-11,班主任,Education,NoContact,,\n" +
		"G" + id2 + ",ReturnNotice,2026-11-12,乡镇分管领导,Government,,2026-11-30,复学通知书\n" + // by student number
		id1 + ",ReturnNotice,2026-11-12,乡镇,Government,,2026-11-12,\n" + // deadline on the day itself: rejected
		registry.MakeResidentID("520121", "2015-01-03", 33) + ",PhoneCall,2026-11-12,班主任,Education,,,\n" // not a Student
	_ = s1
	go func() {
		time.Sleep(1500 * time.Millisecond)
		setOpenCase(t, s2, dc2.Name)
	}()
	file := writeFile(t, "actions.csv", []byte(actions))
	code, out, errOut := run(t, "record-file", file, "-n", ns, "--wait", "30s")
	if code != ExitRejected {
		t.Errorf("exit %d, want 1 (some rows failed): %q %q", code, out, errOut)
	}
	for _, want := range []string{
		"line 2: HomeVisit on 2026-11-11 by 班主任 (Education), outcome NoContact recorded on " + dc1.Name,
		"line 3: ReturnNotice on 2026-11-12 by 乡镇分管领导 (Government), deadline 2026-11-30 recorded on " + dc2.Name,
		"4 rows: 2 recorded, 0 already recorded, 2 failed",
		"line 4: deadline: must come after the date of the action",
		"line 5: student_id: no Student in the namespace has this ID",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if len(getCase(t, dc2).Spec.Actions) != 1 {
		t.Errorf("case 2 actions: %+v", getCase(t, dc2).Spec.Actions)
	}
	// Again, with --from-file: everything already there.
	code, out, _ = run(t, "record", "--from-file", file, "-n", ns, "--wait", "1s")
	if code != ExitRejected || !strings.Contains(out, "4 rows: 0 recorded, 2 already recorded, 2 failed") {
		t.Errorf("second run: %d %q", code, out)
	}
	for _, id := range []string{id1, id2} {
		if strings.Contains(out, id) {
			t.Errorf("output repeats an ID")
		}
	}
}

func TestLedgerCommand(t *testing.T) {
	ns := newNamespace(t)
	s, dc := newCase(t, ns, registry.MakeResidentID("520121", "2014-06-06", 41), v1.StageTownshipReported, true)
	code, out, errOut := run(t, "ledger", "confirmed", "-n", ns)
	if code != 0 || !strings.Contains(out, dc.Name) || !strings.Contains(out, s.Spec.Name) || !strings.Contains(out, "Overdue") ||
		!strings.Contains(out, "(1 open cases)\n(1 TownshipReported)") {
		t.Errorf("confirmed: %d %q %q", code, out, errOut)
	}
	code, out, _ = run(t, "ledger", "-n", ns)
	if code != 0 || !strings.Contains(out, "Suspected dropouts") || !strings.Contains(out, "School-age roster") || !strings.Contains(out, s.Name) {
		t.Errorf("all ledgers: %d %q", code, out)
	}
	code, out, _ = run(t, "ledger", "roster", "-n", ns, "-o", "csv")
	if code != 0 || !strings.HasPrefix(out, "\ufeffSTUDENT,NAME,SEX,AGE,ENROLMENT") || !strings.Contains(out, s.Spec.Name) {
		t.Errorf("roster csv: %d %q", code, out)
	}
	var stu v1.Student
	_ = env.Client.Get(context.Background(), client.ObjectKeyFromObject(s), &stu)
	if meta.IsStatusConditionTrue(stu.Status.Conditions, v1.StudentAtRisk) {
		t.Error("fixture: student at risk")
	}
}

// County staff bound to the editor and viewer roles in their county can do their daily work with
// the plugin, but cannot delete a Student (and with it the child's cases) or change an agreement.
func TestCountyStaffPermissions(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	cfg, err := env.UserConfig(ctx, "clerk-of-"+ns, ns, "kongchuo_editor_role.yaml", "kongchuo_viewer_role.yaml")
	if err != nil {
		t.Fatal(err)
	}
	clerkConfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := writeKubeconfigFor(cfg, clerkConfig); err != nil {
		t.Fatal(err)
	}
	clerk := func(args ...string) (int, string, string) {
		return runWith(append(args, "-n", ns, "--kubeconfig", clerkConfig)...)
	}
	county := demo.Generate(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), demo.DefaultSeed)
	if code, out, errOut := clerk("import", "registry", writeFile(t, "registry.csv", county.RegistryCSV())); code != ExitOK {
		t.Fatalf("import registry as a clerk: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := clerk("import", "attendance", writeFile(t, "attendance.csv", county.AttendanceCSV())); code != ExitOK {
		t.Fatalf("import attendance as a clerk: %d %q %q", code, out, errOut)
	}
	id := registry.MakeResidentID("520121", "2015-02-02", 41)
	_, dc := newCase(t, ns, id, v1.StageSchoolReported, true)
	if code, out, errOut := clerk("record", "HomeVisit", dc.Name, "--date", "2026-11-20", "--by", "班主任", "--line", "Education"); code != ExitOK {
		t.Fatalf("record as a clerk: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := clerk("ledger", "roster", "-o", "csv"); code != ExitOK || !strings.Contains(out, dc.Name) {
		t.Fatalf("ledger as a clerk: %d %q %q", code, out, errOut)
	}

	c, err := client.New(cfg, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	stu := &v1.Student{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: county.Children[0].Name()}}
	if err := c.Delete(ctx, stu); !apierrors.IsForbidden(err) {
		t.Errorf("a clerk deleting a Student: %v, want Forbidden", err)
	}
	a := county.Agreements[0].DeepCopy()
	a.Namespace = ns
	if err := c.Create(ctx, a); !apierrors.IsForbidden(err) {
		t.Errorf("a clerk creating an agreement: %v, want Forbidden", err)
	}
}
