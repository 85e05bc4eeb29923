package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestReportConfirmAndExport confirms a report in the user's own name (once: a second confirm
// changes nothing) and exports it as a workbook with Chinese headings and as an HTML page.
func TestReportConfirmAndExport(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	mr := &v1.MonthlyReport{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "township-520121100-202611"},
		Spec: v1.MonthlyReportSpec{Level: v1.ReportTownship, Township: "520121100", ScopeName: "城关镇", Month: "2026-11",
			CutOff: "2026-11-25", Due: "2026-11-25", Agreement: "township",
			Figures: v1.ReportFigures{From: "2026-10-25", To: "2026-11-24", Coverage: v1.Coverage{Children: 40, OpenCases: v1.StageCounts{TownshipReported: 1}},
				Rates: v1.Rates{PrimaryEnrolment: "97.5"}, Targets: v1.Targets{PrimaryEnrolment: ptrPercent("100")}, NewConfirmed: 1}}}
	if err := env.Client.Create(ctx, mr); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runIn(t, LangChinese, "report", "confirm", mr.Name, "-n", ns)
	if code != ExitOK || !strings.Contains(out, "已由") {
		t.Fatalf("confirm: %d %q %q", code, out, errOut)
	}
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(mr), mr); err != nil || mr.Spec.Confirmation == nil || mr.Spec.Confirmation.By == "" {
		t.Fatalf("confirmation %+v %v", mr.Spec.Confirmation, err)
	}
	first := *mr.Spec.Confirmation
	code, out, _ = run(t, "report", "confirm", mr.Name, "-n", ns)
	if code != ExitOK || !strings.Contains(out, "already confirmed") {
		t.Errorf("second confirm: %d %q", code, out)
	}
	_ = env.Client.Get(ctx, client.ObjectKeyFromObject(mr), mr)
	if !mr.Spec.Confirmation.At.Equal(&first.At) {
		t.Error("a second confirm changed the confirmation")
	}

	code, out, _ = runIn(t, LangChinese, "report", "export", mr.Name, "-n", ns, "-o", "xlsx")
	f, err := excelize.OpenReader(strings.NewReader(out))
	if code != ExitOK || err != nil {
		t.Fatalf("export xlsx: %d %v", code, err)
	}
	rows, _ := f.GetRows("数据")
	if len(rows) < 3 || rows[0][0] != "类别" || rows[2][1] != "范围" || rows[2][2] != "城关镇 (520121100)" {
		t.Errorf("workbook rows %q", rows[:min(3, len(rows))])
	}
	code, out, _ = run(t, "report", "export", mr.Name, "-n", ns, "-o", "html")
	if code != ExitOK || !strings.Contains(out, "<svg") || !strings.Contains(out, "Rates against targets") {
		t.Errorf("export html: %d %.300q", code, out)
	}
}

func ptrPercent(s string) *v1.Percent { p := v1.Percent(s); return &p }
