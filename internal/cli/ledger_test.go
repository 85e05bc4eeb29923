package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

// signFor creates an agreement whose responsible party's organisation names its scope.
func signFor(t *testing.T, ns, name string, line v1.Line, org string, scope v1.Scope) {
	t.Helper()
	a := &v1.ResponsibilityAgreement{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Spec: v1.ResponsibilityAgreementSpec{
		Line: line, Issuer: v1.Party{Role: v1.RoleCountyBureau, Name: "县教育局"},
		Responsible: v1.Party{Role: v1.RolePrincipal, Name: "负责人", Organisation: org},
		Scope:       scope, Effective: v1.Period{From: "2026-09-01", Until: "2027-08-31"}}}
	if line == v1.LineGovernment {
		a.Spec.Responsible.Role = v1.RoleTownshipCadre
	}
	if err := env.Client.Create(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

// Issue 10: the confirmed ledger as an officer opens it in Excel: Chinese headings, the names of
// school, township and village beside their codes, the codes as text cells (never 5.20121E+11),
// sex, guardian and phone, cause, measures taken, responsible people on both lines, placement.
func TestLedgerWorkbookHasTheColumnsOfATaizhang(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	signFor(t, ns, "school-5201210001", v1.LineEducation, "示范县第一小学", v1.Scope{School: "5201210001"})
	signFor(t, ns, "township-520121100", v1.LineGovernment, "城关镇人民政府", v1.Scope{Township: "520121100"})
	signFor(t, ns, "village-520121100201", v1.LineGovernment, "红岩村村民委员会", v1.Scope{Township: "520121100", Village: "520121100201"})
	s, dc := newCase(t, ns, registry.MakeResidentID("520121", "2015-04-09", 62), v1.StageTownshipReported, true)

	s.Spec.Sex = v1.SexFemale
	s.Spec.Guardians = []v1.Guardian{{Name: "监护人乙", Relation: "母亲", Phone: "13800000062"}}
	if err := env.Client.Update(ctx, s); err != nil {
		t.Fatal(err)
	}
	got := getCase(t, dc)
	got.Spec.Cause = v1.CauseFamilyHardship
	got.Spec.Actions = []v1.CaseAction{
		{Type: v1.ActionPersuasionLetter, Date: "2026-11-13", By: "班主任甲", Line: v1.LineEducation, Outcome: v1.Outcome("Refused")},
		{Type: v1.ActionHomeVisit, Date: "2026-11-11", By: "班主任甲", Line: v1.LineEducation, Outcome: v1.Outcome("Contacted")},
	}
	if err := env.Client.Update(ctx, got); err != nil {
		t.Fatal(err)
	}
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(got), got); err != nil {
		t.Fatal(err)
	}
	got.Status.Assignees.Government = []v1.Assignee{{Role: v1.RoleTownshipCadre, Name: "乡镇干部丙", Agreement: "township-520121100"},
		{Role: v1.RoleVillageCadre, Name: "村干部丁", Agreement: "village-520121100201"}}
	if err := env.Client.Status().Update(ctx, got); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runIn(t, LangChinese, "ledger", "confirmed", "-n", ns, "-o", "xlsx")
	f, err := excelize.OpenReader(strings.NewReader(out))
	if code != ExitOK || err != nil {
		t.Fatalf("-o xlsx: %d %v %s", code, err, errOut)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows = %v %v", rows, err)
	}
	cell := map[string]string{}
	colOf := map[string]int{}
	for i, h := range rows[0] {
		colOf[h] = i + 1
		if i < len(rows[1]) {
			cell[h] = rows[1][i]
		}
	}
	want := map[string]string{
		"学校": "5201210001", "学校名称": "示范县第一小学", "乡镇": "520121100", "乡镇名称": "城关镇", "村": "520121100201", "村名称": "红岩村",
		"性别": "女", "监护人": "监护人乙", "联系电话": "13800000062", "辍学原因": "家庭贫困",
		"采取措施":   "2026-11-11 家访劝返 班主任甲 已联系; 2026-11-13 劝学书 班主任甲 拒绝返校",
		"学校线责任人": "班主任甲", "政府线责任人": "乡镇干部丙、村干部丁", "阶段": "已报乡镇",
	}
	for h, v := range want {
		if cell[h] != v {
			t.Errorf("%s = %q, want %q", h, cell[h], v)
		}
	}
	// Codes and phones are text cells: Excel keeps every digit.
	for _, h := range []string{"学校", "乡镇", "村", "联系电话"} {
		name, _ := excelize.CoordinatesToCellName(colOf[h], 2)
		if typ, err := f.GetCellType("Sheet1", name); err != nil || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
			t.Errorf("%s (%s) cell type = %v %v, want a string", h, name, typ, err)
		}
	}

	// English on request, values untranslated.
	code, out, _ = runIn(t, LangEnglish, "ledger", "confirmed", "-n", ns, "-o", "csv")
	if code != ExitOK || !strings.Contains(out, "SCHOOL-NAME") || !strings.Contains(out, "FamilyHardship") ||
		!strings.Contains(out, "2026-11-11 HomeVisit 班主任甲 Contacted") {
		t.Errorf("--lang en csv: %d %q", code, out)
	}
	// With -A the measures are still translated (the joined table keeps its compound columns).
	code, out, _ = runIn(t, LangChinese, "ledger", "confirmed", "-A", "-o", "wide")
	if code != ExitOK || !strings.Contains(out, "2026-11-11 家访劝返 班主任甲 已联系") {
		t.Errorf("-A -o wide: %d %q", code, out)
	}
	// A printable page with the same table.
	code, out, _ = runIn(t, LangChinese, "ledger", "confirmed", "-n", ns, "-o", "html")
	if code != ExitOK || !strings.Contains(out, "<th>学校名称</th>") || !strings.Contains(out, "<td>示范县第一小学</td>") ||
		!strings.Contains(out, "size: A4 landscape") {
		t.Errorf("-o html: %d %q", code, out)
	}
}
