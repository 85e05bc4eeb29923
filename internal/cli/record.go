package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/casework"
	"kongchuo.io/kongchuo/internal/registry"
)

type recordOptions struct {
	*Options
	date, by, line, outcome, deadline, note string
	fromFile                                string
	wait                                    time.Duration
}

func actionNames() []string {
	names := make([]string, len(registry.ActionTypes))
	for i, a := range registry.ActionTypes {
		names[i] = string(a)
	}
	return names
}

func newRecordCommand(o *Options) *cobra.Command {
	r := &recordOptions{Options: o}
	cmd := &cobra.Command{
		Use:   "record ACTION CASE",
		Short: "在案件中记录一次工作（家访、劝学书、复学通知书等） (append an action to a DropoutCase)",
		Long: `在辍学案件中记录一次工作。CASE 可以是案件名、学生对象名，或孩子的身份证件号/全国学籍号（找其未销号案件）。
ACTION：PhoneCall 电话联系、HomeVisit 家访劝返、PersuasionLetter 劝学书、DropoutReport 辍学报告书、
ReturnNotice 复学通知书、LegalReferral 依法控辍、SupportGranted 资助帮扶。

Append an action to a DropoutCase. CASE may be the case, the Student object, or the child's
resident ID or student number (its open case). Recording the same action twice records it once.`,
		Example: `  kubectl kongchuo record HomeVisit stu-0123456789ab --by 班主任 --line Education --outcome Refused -n demo-county
  kubectl kongchuo record ReturnNotice stu-0123456789ab --by 乡镇分管领导 --line Government --deadline 2026-12-10 -n demo-county
  kubectl kongchuo record --from-file 工作记录.csv -n demo-county`,
		Args: func(cmd *cobra.Command, args []string) error {
			if r.fromFile != "" {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(2)(cmd, args)
		},
		ValidArgsFunction: fixedCompletion(actionNames()...),
		RunE: func(cmd *cobra.Command, args []string) error {
			if r.fromFile != "" {
				return r.runFile(cmd, r.fromFile)
			}
			return r.run(cmd, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringVar(&r.date, "date", "", "date of the action, YYYY-MM-DD (default today in the county)")
	f.StringVar(&r.by, "by", "", "role or name of whoever acted")
	f.StringVar(&r.line, "line", "", "Education (学校线) or Government (政府线)")
	f.StringVar(&r.outcome, "outcome", "", "NoContact, Contacted, Refused, Promised or Returned")
	f.StringVar(&r.deadline, "deadline", "", "deadline a ReturnNotice gives, YYYY-MM-DD")
	f.StringVar(&r.note, "note", "", "note (no ID or phone numbers)")
	f.StringVar(&r.fromFile, "from-file", "", "record the actions of a file instead (see record-file)")
	f.DurationVar(&r.wait, "wait", 2*time.Minute, "with --from-file: how long to wait, in all, for the controller to open the cases")
	_ = cmd.RegisterFlagCompletionFunc("line", fixedCompletion("Education", "Government"))
	_ = cmd.RegisterFlagCompletionFunc("outcome", fixedCompletion("NoContact", "Contacted", "Refused", "Promised", "Returned"))
	return cmd
}

func newRecordFileCommand(o *Options) *cobra.Command {
	r := &recordOptions{Options: o}
	cmd := &cobra.Command{
		Use:   "record-file FILE",
		Short: "按文件记录多条工作，等待控制器立案 (record a file of actions, waiting for the cases to open)",
		Long: `按文件（CSV 或 .xlsx，列见 docs/import.md）记录多条工作；孩子的案件尚未立案时，最多等待 --wait。
重复导入同一文件不会重复记录。

Record a file of actions (CSV or .xlsx, columns in docs/import.md), waiting up to --wait for
the controller to open each child's case. Feeding the same file twice records nothing new.`,
		Example: "  kubectl kongchuo record-file 工作记录.csv -n demo-county --wait 2m",
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return r.runFile(cmd, args[0]) },
	}
	cmd.Flags().DurationVar(&r.wait, "wait", 2*time.Minute, "how long to wait, in all, for the controller to open the cases")
	return cmd
}

// action builds the action from the flags and checks it as the API server will.
func (r *recordOptions) action(actionArg string) (v1.CaseAction, error) {
	a := v1.CaseAction{Date: v1.Date(r.date), By: r.by, Deadline: v1.Date(r.deadline), Note: r.note}
	if a.Date == "" {
		a.Date = r.today()
	}
	var ok bool
	if a.Type, ok = registry.ParseActionType(actionArg); !ok {
		return a, r.l.Errorf("ACTION must be one of %s", strings.Join(actionNames(), ", "))
	}
	if a.Line, ok = registry.ParseLine(r.line); !ok {
		return a, r.l.Errorf("--line must be Education or Government")
	}
	if r.outcome != "" {
		if a.Outcome, ok = registry.ParseOutcome(r.outcome); !ok {
			return a, r.l.Errorf("--outcome must be NoContact, Contacted, Refused, Promised or Returned")
		}
	}
	if p := registry.ActionProblems(a); len(p) > 0 {
		return a, errors.New(strings.Join(p, "; "))
	}
	return a, nil
}

func (r *recordOptions) run(cmd *cobra.Command, actionArg, ref string) error {
	a, err := r.action(actionArg)
	if err != nil {
		return err
	}
	return r.onCase(cmd, func(rec *casework.Recorder) (string, bool, error) { return rec.Record(cmd.Context(), ref, a) },
		func(name string) string {
			return r.l.Sprintf("%s: already recorded on %s; nothing changed\n", r.describeAction(a), name)
		},
		func(name string) string { return r.l.Sprintf("%s recorded on %s\n", r.describeAction(a), name) })
}

// onCase connects, makes one change to a case, and prints what happened: already (nothing
// changed) or done.
func (o *Options) onCase(cmd *cobra.Command, change func(*casework.Recorder) (name string, already bool, err error),
	already, done func(name string) string) error {
	cl, ns, err := o.connect(cmd.Context())
	if err != nil {
		return err
	}
	name, was, err := change(&casework.Recorder{Client: cl, Namespace: ns})
	if err != nil {
		return err
	}
	if was {
		fmt.Fprint(o.Out, already(name))
	} else {
		fmt.Fprint(o.Out, done(name))
	}
	return nil
}

func (r *recordOptions) runFile(cmd *cobra.Command, path string) error {
	in, err := r.readInput(path)
	if err != nil {
		return err
	}
	cl, ns, err := r.connect(cmd.Context())
	if err != nil {
		return err
	}
	rec := &casework.Recorder{Client: cl, Namespace: ns}
	res, err := rec.RecordFile(cmd.Context(), in, r.wait, func(p casework.Progress) {
		if p.Already {
			fmt.Fprint(r.Out, r.l.Sprintf("line %d: %s: already recorded on %s\n", p.Line, r.l.term(string(p.Action.Type)), p.Case))
		} else {
			fmt.Fprint(r.Out, r.l.Sprintf("line %d: %s recorded on %s\n", p.Line, r.describeAction(p.Action), p.Case))
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(r.Out, r.l.Sprintf("%d rows: %d recorded, %d already recorded, %d failed", res.Rows, res.Recorded, res.Already, len(res.Failed)))
	r.printRowErrors(res.Failed)
	r.printWarnings(res.Warnings)
	if len(res.Failed) > 0 {
		return errRejected
	}
	return nil
}

// describeAction is one line about an action, without its note.
func (o *Options) describeAction(a v1.CaseAction) string {
	if o.l.lang == LangEnglish {
		return registry.DescribeAction(a)
	}
	s := fmt.Sprintf("%s（%s，%s，%s", o.l.term(string(a.Type)), a.Date, a.By, o.l.term(string(a.Line)))
	if a.Outcome != "" {
		s += "，结果 " + string(a.Outcome)
	}
	if a.Deadline != "" {
		s += "，期限 " + string(a.Deadline)
	}
	return s + "）"
}

type closeOptions struct {
	*Options
	by, reason, date string
}

func newCloseCommand(o *Options) *cobra.Command {
	c := &closeOptions{Options: o}
	cmd := &cobra.Command{
		Use:   "close CASE",
		Short: "经授权人员决定销号 (close a case by decision of an authorised person)",
		Long: `由经授权的人员决定将案件销号（例如核实已在外省就读）。理由至少 5 个字，不得含个人信息。
孩子返校并稳定、或有合法证明时，控制器会自动销号，不需要此命令。

Close a case by decision of an authorised person, with a reason (at least 5 characters, no
personal data). Cases of children who returned and stayed, or who have evidence, close by
themselves.`,
		Example: "  kubectl kongchuo close stu-0123456789ab-do-20261102 --by 县教育局 --reason 已转入外省学校就读，证明已核实 -n demo-county",
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return c.run(cmd, args[0]) },
	}
	cmd.Flags().StringVar(&c.by, "by", "", "the authorised person or role closing the case")
	cmd.Flags().StringVar(&c.reason, "reason", "", "why the case is closed (at least 5 characters, no personal data)")
	cmd.Flags().StringVar(&c.date, "date", "", "date of the decision, YYYY-MM-DD (default today in the county)")
	return cmd
}

func (c *closeOptions) run(cmd *cobra.Command, ref string) error {
	cl := v1.Closure{By: c.by, Reason: c.reason, Date: v1.Date(c.date)}
	if cl.Date == "" {
		cl.Date = c.today()
	}
	if p := registry.ClosureProblems(cl); len(p) > 0 {
		return errors.New(strings.Join(p, "; "))
	}
	return c.onCase(cmd, func(rec *casework.Recorder) (string, bool, error) { return rec.Close(cmd.Context(), ref, cl) },
		func(name string) string {
			return c.l.Sprintf("case %s was already closed with this decision; nothing changed\n", name)
		},
		func(name string) string {
			return c.l.Sprintf("case %s closed by decision of %s on %s\n", name, cl.By, cl.Date)
		})
}
