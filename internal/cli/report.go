package cli

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"
	authenticationv1 "k8s.io/api/authentication/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
	"kongchuo.io/kongchuo/internal/reportdoc"
	"kongchuo.io/kongchuo/internal/terms"
)

func newReportCommand(o *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "月报与学期、学年汇总：确认与导出 (monthly reports and summaries: confirm and export)",
		Long: `月报由控制器在截止日（学校每月23日，乡镇和县每月25日，可在责任书中设置）自动生成；
1月和7月的截止日另生成学期汇总（county-semester-202701），7月另生成学年汇总（county-year-202707，含三年保存率）。
责任人用 confirm 确认（记录确认人和时间）；逾期未确认的月报标记为 Late（逾期）。
kubectl get mr 列出月报。

Monthly reports are written by the controller on their cut-off day (schools the 23rd,
townships and the county the 25th, unless the agreements say otherwise). The responsible
person confirms them; a report not confirmed by its due day is Late. kubectl get mr lists them.
On the January and July cut-off days a semester summary is written too, and in July a
school-year summary with the three-year retention; they are confirmed and exported the same way.`,
	}
	cmd.AddCommand(newReportConfirmCommand(o), newReportExportCommand(o))
	return cmd
}

func newReportConfirmCommand(o *Options) *cobra.Command {
	return &cobra.Command{
		Use:     "confirm REPORT",
		Short:   "以本人名义确认月报 (confirm a monthly report in your own name)",
		Example: `  kubectl kongchuo report confirm school-5201210001-202611 -n demo-county`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.confirmReport(cmd.Context(), cmd.OutOrStdout(), args[0])
		},
	}
}

// confirmReport records the user (as the API server knows them) and the time on the report. A
// report confirmed before is left as it is: the first confirmation is the record.
func (o *Options) confirmReport(ctx context.Context, w io.Writer, name string) error {
	cl, ns, err := o.connect(ctx)
	if err != nil {
		return err
	}
	var mr v1.MonthlyReport
	if err := cl.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &mr); err != nil {
		return fmt.Errorf("reading report %s: %w", name, err)
	}
	if c := mr.Spec.Confirmation; c != nil {
		fmt.Fprint(w, o.l.Sprintf("report %s was already confirmed by %s at %s; nothing changed\n", name, c.By, c.At.In(o.loc).Format("2006-01-02 15:04")))
		return nil
	}
	review := &authenticationv1.SelfSubjectReview{}
	if err := cl.Create(ctx, review); err != nil {
		return o.l.Errorf("--mine asks the API server who you are: %w", err)
	}
	patch := client.MergeFrom(mr.DeepCopy())
	mr.Spec.Confirmation = &v1.Confirmation{By: review.Status.UserInfo.Username, At: metav1.Now()}
	if err := cl.Patch(ctx, &mr, patch); err != nil {
		return fmt.Errorf("confirming report %s: %w", name, err)
	}
	fmt.Fprint(w, o.l.Sprintf("report %s confirmed by %s\n", name, mr.Spec.Confirmation.By))
	return nil
}

func newReportExportCommand(o *Options) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "export REPORT",
		Short: "导出月报：Excel、HTML（含图表，A4 打印）或 CSV (export a monthly report)",
		Example: `  kubectl kongchuo report export county-202611 -n demo-county -o html > 月报.html
  kubectl kongchuo report export school-5201210001-202611 -n demo-county -o xlsx > 月报.xlsx`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.exportReport(cmd.Context(), cmd.OutOrStdout(), args[0], output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", outXLSX, "format: xlsx, html or csv")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion(outXLSX, outHTML, outCSV))
	return cmd
}

func (o *Options) exportReport(ctx context.Context, w io.Writer, name, format string) error {
	cl, ns, err := o.connect(ctx)
	if err != nil {
		return err
	}
	in, err := reportInput(ctx, cl, ns, name)
	if err != nil {
		return err
	}
	tr := o.reportTranslator()
	switch format {
	case outXLSX:
		return reportdoc.WriteXLSX(w, in, tr)
	case outHTML:
		return reportdoc.WriteHTML(w, in, tr)
	case outCSV:
		return reportdoc.WriteCSV(w, in, tr)
	}
	return o.l.Errorf("unknown output format %q: use %s", format, "xlsx, html, csv")
}

// reportInput reads a report, the township reports of the same period and month (for a county)
// and the scope's earlier reports of the same period kind: a summary's trend is the earlier
// summaries, a monthly report's the earlier months.
func reportInput(ctx context.Context, cl client.Client, ns, name string) (reportdoc.Input, error) {
	var mr v1.MonthlyReport
	if err := cl.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &mr); err != nil {
		return reportdoc.Input{}, fmt.Errorf("reading report %s: %w", name, err)
	}
	var list v1.MonthlyReportList
	if err := cl.List(ctx, &list, client.InNamespace(ns)); err != nil {
		return reportdoc.Input{}, fmt.Errorf("listing the county's reports: %w", err)
	}
	in := reportdoc.Input{Report: &mr, Confirmed: meta.IsStatusConditionTrue(mr.Status.Conditions, v1.ReportConfirmed), Late: meta.IsStatusConditionTrue(mr.Status.Conditions, v1.ReportLate)}
	for i := range list.Items {
		r := &list.Items[i]
		switch {
		case policy.PeriodOrMonth(r.Spec.Period) != policy.PeriodOrMonth(mr.Spec.Period):
		case mr.Spec.Level == v1.ReportCounty && r.Spec.Level == v1.ReportTownship && r.Spec.Month == mr.Spec.Month:
			in.Townships = append(in.Townships, r)
		case r.Name != mr.Name && r.Spec.Level == mr.Spec.Level && r.Spec.School == mr.Spec.School &&
			r.Spec.Township == mr.Spec.Township && r.Spec.Month < mr.Spec.Month:
			in.History = append(in.History, r)
		}
	}
	sort.Slice(in.History, func(i, j int) bool { return in.History[i].Spec.Month < in.History[j].Spec.Month })
	if len(in.History) > 11 {
		in.History = in.History[len(in.History)-11:]
	}
	return in, nil
}

// reportTranslator renders the report's labels in the output language: API values (stages,
// placements, focus groups…) by their Chinese names, the rest from the message catalogue.
func (o *Options) reportTranslator() reportdoc.Translate {
	return func(format string, args ...any) string {
		if o.l.lang == LangChinese && len(args) == 0 {
			if zh, ok := terms.Chinese(format); ok {
				return zh
			}
		}
		return o.l.Sprintf(format, args...)
	}
}
