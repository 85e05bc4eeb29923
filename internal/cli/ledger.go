package cli

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/spf13/cobra"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/ledger"
)

// listOptions are the flags of the commands that list: ledger and queue.
type listOptions struct {
	*Options
	output        string
	allNamespaces bool
}

func (l *listOptions) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&l.output, "output", "o", outTable, "output format: table, wide, csv, xlsx (csv and xlsx: one table), or kubectl's json, yaml, jsonpath=…, go-template=…")
	cmd.Flags().BoolVarP(&l.allNamespaces, "all-namespaces", "A", false, "all counties (namespaces) the kubeconfig user may read")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion(outputFormats()...))
}

func newLedgerCommand(o *Options) *cobra.Command {
	l := &listOptions{Options: o}
	cmd := &cobra.Command{
		Use:   "ledger [suspected|confirmed|roster]",
		Short: "三本台账：疑似辍学、辍学、适龄儿童花名册 (the ledgers: suspected, confirmed, roster)",
		Long: `打印县的三本台账（不指定则全部打印）：
  suspected  疑似辍学台账：有辍学风险（连续旷课 1–2 天）或案件仍在学校阶段的孩子
  confirmed  辍学台账：已报乡镇的案件，直至销号
  roster     适龄儿童少年花名册
台账列出孩子姓名，仅供授权人员查看，请勿外传。-o xlsx 输出 Excel 文件（请重定向到文件）。

Print the county's ledgers (all three without an argument). They show children's names: for
authorised staff only. -o xlsx writes an Excel workbook (redirect it to a file).`,
		Example: `  kubectl kongchuo ledger confirmed -n demo-county
  kubectl kongchuo ledger roster -n demo-county -o xlsx > 花名册.xlsx
  kubectl kongchuo ledger suspected -A -o wide`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: fixedCompletion(ledger.Kinds...),
		RunE:              func(cmd *cobra.Command, args []string) error { return l.runLedger(cmd.Context(), args) },
	}
	l.addFlags(cmd)
	return cmd
}

func (l *listOptions) runLedger(ctx context.Context, args []string) error {
	kinds := ledger.Kinds
	if len(args) == 1 {
		if _, err := ledger.Build(args[0], nil, nil, nil); err != nil {
			return err
		}
		kinds = args
	}
	if err := l.checkOutput(l.output); err != nil {
		return err
	}
	if (l.output == outCSV || l.output == outXLSX) && len(kinds) != 1 {
		return l.l.Errorf("-o csv and -o xlsx print one ledger: name it (suspected, confirmed or roster)")
	}
	county, err := l.readCounties(ctx)
	if err != nil {
		return err
	}
	var tables []ledger.Table
	for _, k := range kinds {
		t, err := county.ledger(k, l.loc)
		if err != nil {
			return err
		}
		tables = append(tables, t)
	}
	return l.printTables(l.Out, l.output, tables)
}

// counties holds the objects the ledgers and queues are built from, by namespace.
type counties struct {
	namespaces []string
	students   map[string][]v1.Student
	cases      map[string][]v1.DropoutCase
	agreements map[string][]v1.ResponsibilityAgreement
	// all: listed with -A, so tables get a NAMESPACE column.
	all bool
}

// readCounties lists Students, DropoutCases and agreements of the namespace (or all of them
// with -A). No Students at all is an error: it means a wrong county or no import yet, and an
// officer must not read an empty ledger as "no dropouts".
func (l *listOptions) readCounties(ctx context.Context) (*counties, error) {
	cl, err := l.client()
	if err != nil {
		return nil, err
	}
	var opts []client.ListOption
	ns := ""
	if !l.allNamespaces {
		if ns, err = l.namespace(); err != nil {
			return nil, err
		}
		if err := l.checkNamespace(ctx, cl, ns); err != nil {
			return nil, err
		}
		opts = append(opts, client.InNamespace(ns))
	}
	var students v1.StudentList
	if err := cl.List(ctx, &students, opts...); err != nil {
		return nil, fmt.Errorf("listing Students: %w", err)
	}
	if len(students.Items) == 0 {
		if l.allNamespaces {
			return nil, l.l.Errorf("no Students in any namespace: import the registry first")
		}
		return nil, l.l.Errorf("no Students in namespace %q: is it the right county? (import the registry first: kubectl kongchuo import registry FILE -n %s)", ns, ns)
	}
	var cases v1.DropoutCaseList
	if err := cl.List(ctx, &cases, opts...); err != nil {
		return nil, fmt.Errorf("listing DropoutCases: %w", err)
	}
	var agreements v1.ResponsibilityAgreementList
	if err := cl.List(ctx, &agreements, opts...); err != nil {
		return nil, fmt.Errorf("listing ResponsibilityAgreements: %w", err)
	}
	c := &counties{students: map[string][]v1.Student{}, cases: map[string][]v1.DropoutCase{},
		agreements: map[string][]v1.ResponsibilityAgreement{}, all: l.allNamespaces}
	for _, s := range students.Items {
		c.students[s.Namespace] = append(c.students[s.Namespace], s)
	}
	for _, dc := range cases.Items {
		c.cases[dc.Namespace] = append(c.cases[dc.Namespace], dc)
	}
	for _, a := range agreements.Items {
		c.agreements[a.Namespace] = append(c.agreements[a.Namespace], a)
	}
	for n := range c.students {
		c.namespaces = append(c.namespaces, n)
	}
	sort.Strings(c.namespaces)
	return c, nil
}

// ledger builds one ledger over the counties: with -A, one table with a NAMESPACE column.
func (c *counties) ledger(kind string, loc *time.Location) (ledger.Table, error) {
	return c.combine(func(ns string) (ledger.Table, error) {
		return ledger.Build(kind, c.students[ns], c.cases[ns], loc)
	})
}

// combine builds a table per namespace and, with -A, joins them under a NAMESPACE column.
// The notes count over all namespaces when there is one; with several, each note is kept per
// namespace, prefixed by it.
func (c *counties) combine(build func(ns string) (ledger.Table, error)) (ledger.Table, error) {
	var out ledger.Table
	for i, ns := range c.namespaces {
		t, err := build(ns)
		if err != nil {
			return t, err
		}
		if !c.all {
			return t, nil
		}
		if i == 0 {
			out = ledger.Table{Title: t.Title, Header: append([]string{"NAMESPACE"}, t.Header...), Wide: t.Wide}
		}
		for _, r := range t.Rows {
			out.Rows = append(out.Rows, append([]string{ns}, r...))
		}
		for _, n := range t.Notes {
			n.Scope = ns
			out.Notes = append(out.Notes, n)
		}
	}
	return out, nil
}
