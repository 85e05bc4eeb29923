package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/registry"
)

// A mistyped county is an error naming the counties that exist, never an empty ledger; so is a
// county with no Students at all.
func TestUnknownOrEmptyCountyIsAnError(t *testing.T) {
	ns := newNamespace(t)
	newCase(t, ns, registry.MakeResidentID("520121", "2014-06-07", 51), v1.StageTownshipReported, true)
	for _, cmd := range [][]string{{"ledger", "confirmed"}, {"queue"}, {"record", "HomeVisit", "stu-x", "--by", "x", "--line", "Education"}} {
		code, out, errOut := run(t, append(cmd, "-n", ns+"-typo")...)
		if code != ExitError || out != "" || !strings.Contains(errOut, `namespace "`+ns+`-typo" does not exist`) ||
			!strings.Contains(errOut, ns) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", cmd, code, out, errOut)
		}
	}
	empty := newNamespace(t)
	code, _, errOut := runIn(t, LangChinese, "ledger", "confirmed", "-n", empty)
	if code != ExitError || !strings.Contains(errOut, "中没有任何学生：县名是否写错") {
		t.Errorf("empty county: exit %d, stderr %q", code, errOut)
	}
}

func TestLedgerFormats(t *testing.T) {
	ns := newNamespace(t)
	s, dc := newCase(t, ns, registry.MakeResidentID("520121", "2014-06-08", 52), v1.StageTownshipReported, true)

	// Chinese by default: title, headings, stage names.
	code, out, errOut := runIn(t, LangChinese, "ledger", "confirmed", "-n", ns)
	for _, want := range []string{"辍学台账：已报乡镇的案件", "案件", "阶段", "已报乡镇", dc.Name, s.Spec.Name, "(共 1 个未销号案件)", "(已报乡镇 1)"} {
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("zh ledger lacks %q: %d %q %q", want, code, out, errOut)
		}
	}
	// Chinese columns line up: the heading of the column after NAME starts at the same
	// terminal column as its cells.
	lines := strings.Split(out, "\n")
	if col := strings.Index(lines[1], "学校"); col < 0 || displayWidth(lines[1][:col]) != displayWidth(lines[2][:strings.Index(lines[2], "5201210001")]) {
		t.Errorf("columns misaligned:\n%s\n%s", lines[1], lines[2])
	}

	// -o json is a meta.k8s.io/v1 Table with English headings and untranslated values.
	code, out, _ = runIn(t, LangChinese, "ledger", "confirmed", "-n", ns, "-o", "json")
	var tb metav1.Table
	if err := json.Unmarshal([]byte(out), &tb); code != ExitOK || err != nil {
		t.Fatalf("-o json: %d %v %q", code, err, out)
	}
	if tb.Kind != "Table" || tb.ColumnDefinitions[0].Name != "CASE" || len(tb.Rows) != 1 || tb.Rows[0].Cells[0] != dc.Name ||
		tb.Rows[0].Cells[8] != "TownshipReported" {
		t.Errorf("-o json = %+v", tb)
	}
	code, out, _ = run(t, "ledger", "roster", "-n", ns, "-o", "yaml")
	if err := yaml.Unmarshal([]byte(out), &tb); code != ExitOK || err != nil || len(tb.Rows) != 1 {
		t.Errorf("-o yaml: %d %v %q", code, err, out)
	}
	// kubectl's template formats work on the Table too.
	code, out, errOut = run(t, "ledger", "confirmed", "-n", ns, "-o", "jsonpath={.rows[*].cells[0]}")
	if code != ExitOK || out != dc.Name {
		t.Errorf("-o jsonpath: %d %q %q", code, out, errOut)
	}
	// -o wide adds the wide columns.
	_, narrow, _ := run(t, "ledger", "confirmed", "-n", ns)
	_, wide, _ := run(t, "ledger", "confirmed", "-n", ns, "-o", "wide")
	if strings.Contains(narrow, "OPENED") || !strings.Contains(wide, "OPENED") {
		t.Errorf("wide columns:\n%s\n%s", narrow, wide)
	}
	// -o xlsx is a workbook.
	code, out, _ = runIn(t, LangChinese, "ledger", "confirmed", "-n", ns, "-o", "xlsx")
	f, err := excelize.OpenReader(strings.NewReader(out))
	if code != ExitOK || err != nil {
		t.Fatalf("-o xlsx: %d %v", code, err)
	}
	if rows, err := f.GetRows("Sheet1"); err != nil || len(rows) != 2 || rows[0][0] != "案件" || rows[1][0] != dc.Name {
		t.Errorf("xlsx rows = %v %v", rows, err)
	}
	// -A: every namespace, with a NAMESPACE column.
	code, out, _ = run(t, "ledger", "confirmed", "-A")
	if code != ExitOK || !strings.Contains(out, "NAMESPACE") || !strings.Contains(out, ns+"   "+dc.Name) {
		t.Errorf("-A: %d %q", code, out)
	}
}

// setDue makes the fixture's case owe a return notice on the government line, overdue.
func setDue(t *testing.T, dc *v1.DropoutCase, owner v1.Assignee) {
	t.Helper()
	got := getCase(t, dc)
	got.Status.RequiredAction, got.Status.RequiredLine, got.Status.DueBy = v1.ActionReturnNotice, v1.LineGovernment, "2026-11-20"
	got.Status.Assignees.Government = []v1.Assignee{owner}
	if err := env.Client.Status().Update(context.Background(), got); err != nil {
		t.Fatal(err)
	}
}

func TestQueueCommand(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	_, dc := newCase(t, ns, registry.MakeResidentID("520121", "2014-06-09", 53), v1.StageTownshipReported, true)
	setDue(t, dc, v1.Assignee{Role: v1.RoleTownshipCadre, Name: "乡干部丙", Agreement: "township-100"})
	_, other := newCase(t, ns, registry.MakeResidentID("520121", "2014-06-10", 54), v1.StageTownshipReported, true)
	setDue(t, other, v1.Assignee{Role: v1.RoleTownshipCadre, Name: "乡干部戊", Agreement: "township-101"})

	code, out, errOut := runIn(t, LangChinese, "queue", "-n", ns)
	if code != ExitOK || !strings.Contains(out, "待办清单") || !strings.Contains(out, "复学通知书") || !strings.Contains(out, "(共 2 项，逾期 2 项)") {
		t.Errorf("queue: %d %q %q", code, out, errOut)
	}
	code, out, _ = run(t, "queue", "-n", ns, "--person", "乡干部丙", "-o", "json")
	var tb metav1.Table
	if err := json.Unmarshal([]byte(out), &tb); code != ExitOK || err != nil || len(tb.Rows) != 1 || tb.Rows[0].Cells[6] != dc.Name {
		t.Errorf("queue --person: %d %v %q", code, err, out)
	}

	// --mine: the agreement naming the kubeconfig user lists that user's work.
	cfg, err := env.UserConfig(ctx, "cadre-"+ns, ns, "kongchuo_viewer_role.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(t.TempDir(), "kubeconfig")
	if err := writeKubeconfigFor(cfg, mine); err != nil {
		t.Fatal(err)
	}
	ra := &v1.ResponsibilityAgreement{Spec: v1.ResponsibilityAgreementSpec{Line: v1.LineGovernment,
		Issuer:      v1.Party{Role: v1.RoleCountyGovernment, Name: "县政府"},
		Responsible: v1.Party{Role: v1.RoleTownshipCadre, Name: "乡干部丙", Username: "cadre-" + ns},
		Scope:       v1.Scope{Township: "520121100"}, Effective: v1.Period{From: "2025-09-01"}}}
	ra.Name, ra.Namespace = "township-100", ns
	if err := env.Client.Create(ctx, ra); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runWith("queue", "--mine", "-n", ns, "--kubeconfig", mine, "--lang", "en")
	if code != ExitOK || !strings.Contains(out, dc.Name) || strings.Contains(out, other.Name) || !strings.Contains(out, "(1 items, 1 overdue)") {
		t.Errorf("queue --mine: %d %q %q", code, out, errOut)
	}
	code, _, errOut = run(t, "queue", "--mine", "-n", ns) // the test's admin user is named in no agreement
	if code != ExitError || !strings.Contains(errOut, "no agreement names you") {
		t.Errorf("queue --mine, unknown user: %d %q", code, errOut)
	}
}

// The national registry export as it is: GB18030, Chinese headers, an extra column; and the
// same as an .xlsx workbook.
func TestImportRegistryExport(t *testing.T) {
	county := demo.Generate(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), demo.DefaultSeed)
	export, err := county.RegistryExportCSV()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := simplifiedchinese.GB18030.NewDecoder().Bytes(export); err != nil || bytes.HasPrefix(export, []byte("\ufeff")) {
		t.Fatalf("fixture is not GB18030: %v", err)
	}
	workbook, err := county.RegistryXLSX()
	if err != nil {
		t.Fatal(err)
	}
	n := itoa(len(county.Children))
	ns := newNamespace(t)
	code, out, errOut := runIn(t, LangChinese, "import", "registry", writeFile(t, "学籍.csv", export), "-n", ns)
	if code != ExitOK || !strings.HasPrefix(out, "共 "+n+" 行：新建 "+n+"，更新 0，未变 0，拒绝 0") ||
		!strings.Contains(out, `警告：`) || !strings.Contains(out, `column 1 ("民族")`) {
		t.Fatalf("GB18030 export: %d %q %q", code, out, errOut)
	}
	var stu v1.Student
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: county.Children[0].Name()}, &stu); err != nil ||
		stu.Spec.Sex != county.Children[0].Spec.Sex || stu.Spec.Name != county.Children[0].Spec.Name {
		t.Errorf("imported Student = %+v %v", stu.Spec, err)
	}
	// The workbook says the same: nothing changes.
	code, out, errOut = run(t, "import", "registry", writeFile(t, "学籍.xlsx", workbook), "-n", ns)
	if code != ExitOK || !strings.HasPrefix(out, n+" rows: 0 created, 0 changed, "+n+" unchanged, 0 rejected") {
		t.Errorf("xlsx: %d %q %q", code, out, errOut)
	}
	// A school's attendance sheet (学籍号, Chinese headings and kinds, GB18030) is the same roll
	// calls as the English extract: the children are found by their student numbers.
	reports := itoa(len(county.Classes) * demo.SchoolDays)
	code, out, errOut = run(t, "import", "attendance", writeFile(t, "attendance.csv", county.AttendanceCSV()), "-n", ns)
	if code != ExitOK || !strings.Contains(out, reports+" reports created") {
		t.Fatalf("attendance: %d %q %q", code, out, errOut)
	}
	sheet, err := county.SchoolAttendanceCSV()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "import", "attendance", writeFile(t, "考勤.csv", sheet), "-n", ns)
	if code != ExitOK || !strings.Contains(out, "0 reports created, 0 corrected, "+reports+" unchanged") || strings.Contains(out, "warnings") {
		t.Errorf("school attendance sheet: %d %q %q", code, out, errOut)
	}
}
