package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/importer"
	"kongchuo.io/kongchuo/internal/policy"
	"kongchuo.io/kongchuo/internal/registry"
)

type importOptions struct {
	*Options
	dryRun  bool
	workers int
}

func newImportCommand(o *Options) *cobra.Command {
	opts := &importOptions{Options: o}
	cmd := &cobra.Command{
		Use:   "import",
		Short: "导入学籍或考勤 (import the student registry or attendance)",
		Long: `导入全国学籍系统导出的学籍文件，或学校的考勤文件。文件可以是 CSV（UTF-8、GB18030 或 GBK）或 Excel (.xlsx)。
列名可以用学籍系统导出的中文列名，也可以用英文列名（见 docs/import.md）；不认识的列会被忽略并给出警告。

Import a registry extract or an attendance file: CSV (UTF-8, GB18030 or GBK) or Excel (.xlsx),
with the registry export's Chinese column names or the English ones (docs/import.md).`,
		// Runnable, so that "import students" is an error rather than a help page.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q: use registry, household, poverty or attendance", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
	cmd.PersistentFlags().BoolVar(&opts.dryRun, "dry-run", false, "validate on the server without storing anything")
	cmd.PersistentFlags().IntVar(&opts.workers, "workers", importer.DefaultWorkers, "concurrent writes")
	cmd.AddCommand(&cobra.Command{
		Use:     "registry FILE",
		Short:   "按学籍文件新建或更新学生 (create or update Students from a registry extract, by server-side apply)",
		Example: "  kubectl kongchuo import registry 学籍.csv -n demo-county\n  kubectl kongchuo import registry 学籍.xlsx -n demo-county --dry-run",
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return opts.runRegistry(cmd, args[0]) },
	}, &cobra.Command{
		Use:     "household FILE",
		Short:   "与户籍数据比对：学籍中没有的适龄儿童建档（失学），户籍中没有的在籍学生标记待核实 (compare a household-registry extract)",
		Example: "  kubectl kongchuo import household 户籍.csv -n demo-county",
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return opts.runSource(cmd, v1.SourceHousehold, args[0]) },
	}, &cobra.Command{
		Use:     "poverty FILE",
		Short:   "与国扶（建档立卡）数据比对：学籍中没有的适龄儿童建档（失学），已有学生加记建档立卡 (compare a poverty-database extract)",
		Example: "  kubectl kongchuo import poverty 建档立卡.csv -n demo-county",
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return opts.runSource(cmd, v1.SourcePoverty, args[0]) },
	}, &cobra.Command{
		Use:     "attendance FILE",
		Short:   "导入班级考勤，每班每个上学日一份报告 (create AttendanceReports, one per class and school day)",
		Example: "  kubectl kongchuo import attendance 考勤.csv -n demo-county",
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return opts.runAttendance(cmd, args[0]) },
	})
	return cmd
}

func (o *importOptions) importer(cmd *cobra.Command) (*importer.Importer, error) {
	cl, ns, err := o.connect(cmd.Context())
	if err != nil {
		return nil, err
	}
	return &importer.Importer{Client: cl, Namespace: ns, Workers: o.workers, DryRun: o.dryRun}, nil
}

// readInput opens a file; "-" is standard input. The file is read before anything is sent to
// the server, so a missing file fails first.
func (o *Options) readInput(path string) (io.Reader, error) {
	if path == "-" {
		return o.In, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(data), nil
}

// runImport reads the file, connects and runs one import; do prints the result and says
// whether rows were rejected (exit status 1).
func (o *importOptions) runImport(cmd *cobra.Command, path string, do func(*importer.Importer, io.Reader) (rejected bool, err error)) error {
	if o.workers < 1 {
		return o.l.Errorf("--workers must be at least 1")
	}
	in, err := o.readInput(path)
	if err != nil {
		return err
	}
	im, err := o.importer(cmd)
	if err != nil {
		return err
	}
	rejected, err := do(im, in)
	if err == nil && rejected {
		err = errRejected
	}
	return err
}

func (o *importOptions) runRegistry(cmd *cobra.Command, path string) error {
	return o.runImport(cmd, path, func(im *importer.Importer, in io.Reader) (bool, error) {
		res, err := im.ImportRegistry(cmd.Context(), in)
		if err != nil {
			return false, err
		}
		o.printRegistryResult(res)
		return len(res.Rejected) > 0, nil
	})
}

func (o *importOptions) runSource(cmd *cobra.Command, source v1.RegistrySource, path string) error {
	return o.runImport(cmd, path, func(im *importer.Importer, in io.Reader) (bool, error) {
		res, err := im.ImportSource(cmd.Context(), source, in, policy.MustDate(o.today()))
		if err != nil {
			return false, err
		}
		o.printSourceResult(res)
		return len(res.Rejected) > 0, nil
	})
}

func (o *importOptions) runAttendance(cmd *cobra.Command, path string) error {
	return o.runImport(cmd, path, func(im *importer.Importer, in io.Reader) (bool, error) {
		res, err := im.ImportAttendance(cmd.Context(), in)
		if err != nil {
			return false, err
		}
		o.printAttendanceResult(res)
		return len(res.Rejected) > 0, nil
	})
}

func (o *Options) dryRunNote(dry bool) string {
	if dry {
		return o.l.Sprintf(" (dry run: nothing was written; the counts say what would happen)")
	}
	return ""
}

func (o *Options) printRegistryResult(r *importer.RegistryResult) {
	fmt.Fprintln(o.Out, o.l.Sprintf("%d rows: %d created, %d changed, %d unchanged, %d rejected",
		r.Rows, r.Created, r.Changed, r.Unchanged, len(r.Rejected))+o.dryRunNote(r.DryRun))
	o.printRowErrors(r.Rejected)
	o.printWarnings(r.Warnings)
}

func (o *Options) printAttendanceResult(r *importer.AttendanceResult) {
	fmt.Fprintln(o.Out, o.l.Sprintf("%d rows: %d reports created, %d corrected, %d unchanged; %d rows rejected",
		r.Rows, r.Created, r.Corrected, r.Unchanged, len(r.Rejected))+o.dryRunNote(r.DryRun))
	o.printRowErrors(r.Rejected)
	o.printWarnings(r.Warnings)
}

// printSourceResult prints the comparison per township (四源比对), then the rows refused.
func (o *Options) printSourceResult(r *importer.SourceResult) {
	fmt.Fprintln(o.Out, o.l.Sprintf("%d rows (%d not of school age, left out): %d Students created, %d changed, %d unchanged, %d rejected",
		r.Rows, r.NotSchoolAge, r.Created, r.Changed, r.Unchanged, len(r.Rejected))+o.dryRunNote(r.DryRun))
	w := tabwriter.NewWriter(o.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, o.l.Sprintf("TOWNSHIP\tLISTED\tIN BOTH\tNOT IN STUDENT REGISTRY (失学)\tNOT IN THIS SOURCE (to check)"))
	for _, t := range r.Townships {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\n", t.Township, t.Listed, t.Matched, t.OnlyInSource, t.OnlyInStudentRegistry)
	}
	w.Flush()
	o.printRowErrors(r.Rejected)
	o.printWarnings(r.Warnings)
}

func (o *Options) printRowErrors(errs []registry.RowError) {
	for _, e := range errs {
		fmt.Fprintln(o.Out, "  "+o.l.Sprintf("line %d: %s", e.Line, strings.Join(e.Reasons, "; ")))
	}
}

func (o *Options) printWarnings(warnings []registry.RowError) {
	if len(warnings) == 0 {
		return
	}
	fmt.Fprintln(o.Out, o.l.Sprintf("warnings:"))
	o.printRowErrors(warnings)
}
