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
	"kongchuo.io/kongchuo/internal/policy"
)

// listOptions are the flags of the commands that list: ledger and queue.
type listOptions struct {
	*Options
	output        string
	allNamespaces bool
	// asOf is the past day (YYYY-MM-DD) whose ledger to reproduce; "" for today.
	asOf string
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
台账列出孩子姓名、监护人及电话，仅供授权人员查看，请勿外传。-o xlsx 输出 Excel 文件，-o html
输出可打印的网页（请重定向到文件）。--as-of 日期 按记录重现过去某日的台账（见 docs/zh/使用手册.md：
考勤、案件阶段、措施和责任人交接可重现；学生的学籍、住址、监护人按今天的记录）。

Print the county's ledgers (all three without an argument). They show children's names,
guardians and phones: for authorised staff only. -o xlsx writes an Excel workbook, -o html a
printable page (redirect them to a file). --as-of DATE reproduces a past day's ledger from the
record (attendance, case stages, actions and hand-overs; a child's enrolment, residence and
guardians are today's).`,
		Example: `  kubectl kongchuo ledger confirmed -n demo-county
  kubectl kongchuo ledger roster -n demo-county -o xlsx > 花名册.xlsx
  kubectl kongchuo ledger suspected -A -o wide
  kubectl kongchuo ledger confirmed -n demo-county --as-of 2026-10-31 -o xlsx > 辍学台账-10月.xlsx
  kubectl kongchuo ledger confirmed -n demo-county --lang en -o csv > confirmed.csv`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: fixedCompletion(ledger.Kinds...),
		RunE:              func(cmd *cobra.Command, args []string) error { return l.runLedger(cmd.Context(), args) },
	}
	l.addFlags(cmd)
	cmd.Flags().StringVar(&l.asOf, "as-of", "", "reproduce the ledger of a past day (YYYY-MM-DD, county time) from the record")
	return cmd
}

func (l *listOptions) runLedger(ctx context.Context, args []string) error {
	kinds := ledger.Kinds
	if len(args) == 1 {
		if _, err := ledger.Build(args[0], ledger.Input{}); err != nil {
			return err
		}
		kinds = args
	}
	if err := l.checkOutput(l.output); err != nil {
		return err
	}
	asOf, err := l.asOfDay()
	if err != nil {
		return err
	}
	if oneTable(l.output) && len(kinds) != 1 {
		return l.l.Errorf("-o csv, -o xlsx and -o html print one ledger: name it (suspected, confirmed or roster)")
	}
	county, err := l.readCounties(ctx)
	if err != nil {
		return err
	}
	if asOf != nil {
		if err := l.readClassRecords(ctx, county); err != nil {
			return err
		}
	}
	var tables []ledger.Table
	for _, k := range kinds {
		t, err := county.ledger(k, l.loc, asOf)
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
	// classes are the class records (ClassAttendance), read only for --as-of.
	classes map[string][]v1.ClassAttendance
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

// ledger builds one ledger over the counties, of today or rewound to the end of asOf: with -A,
// one table with a NAMESPACE column.
func (c *counties) ledger(kind string, loc *time.Location, asOf *time.Time) (ledger.Table, error) {
	return c.combine(func(ns string) (ledger.Table, error) {
		in := ledger.Input{Students: c.students[ns], Cases: c.cases[ns], Names: ledger.NamesFrom(c.agreements[ns]), Loc: loc}
		if asOf != nil {
			in = ledger.AsOf(in, c.classes[ns], *asOf)
		}
		return ledger.Build(kind, in)
	})
}

// asOfDay parses --as-of; nil without it. A day after today has no record yet.
func (l *listOptions) asOfDay() (*time.Time, error) {
	if l.asOf == "" {
		return nil, nil
	}
	day, err := policy.ParseDate(v1.Date(l.asOf))
	if err != nil {
		return nil, l.l.Errorf("--as-of must be a date written YYYY-MM-DD, not %q", l.asOf)
	}
	if day.After(policy.LocalDate(time.Now(), l.loc)) {
		return nil, l.l.Errorf("--as-of %s is after today: the record holds only days past", l.asOf)
	}
	return &day, nil
}

// readClassRecords lists the class records of the counties read, for --as-of.
func (l *listOptions) readClassRecords(ctx context.Context, c *counties) error {
	cl, err := l.client()
	if err != nil {
		return err
	}
	c.classes = map[string][]v1.ClassAttendance{}
	for _, ns := range c.namespaces {
		var records v1.ClassAttendanceList
		if err := cl.List(ctx, &records, client.InNamespace(ns)); err != nil {
			return fmt.Errorf("listing ClassAttendance records: %w", err)
		}
		c.classes[ns] = records.Items
	}
	return nil
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
			out = ledger.Table{Title: t.Title, Header: append([]string{"NAMESPACE"}, t.Header...), Wide: t.Wide, Compound: t.Compound}
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
