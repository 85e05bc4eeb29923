package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	authenticationv1 "k8s.io/api/authentication/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/ledger"
	"kongchuo.io/kongchuo/internal/policy"
	"kongchuo.io/kongchuo/internal/queue"
	"kongchuo.io/kongchuo/internal/terms"
)

type queueOptions struct {
	listOptions
	filter queue.Filter
	role   string
	line   string
	mine   bool
}

func roleNames() []string {
	return []string{"CountyGovernment", "CountyBureau", "CentralSchool", "Principal", "GradeLeader", "HomeroomTeacher",
		"SubjectTeacher", "TownshipCadre", "VillageCadre", "GroupLeader"}
}

func newQueueCommand(o *Options) *cobra.Command {
	q := &queueOptions{listOptions: listOptions{Options: o}}
	cmd := &cobra.Command{
		Use:   "queue",
		Short: "待办清单：每位责任人应办什么、何时到期，逾期在前 (work queues: what each person owes, overdue first)",
		Long: `列出每位责任人应办的事项和最迟办理日，逾期的排在最前（逾期天数多的在前）：
  - 案件的下一步工作（家访、劝学书、辍学报告书、复学通知书……），列给应办责任线上的每位责任人；
  - 班级漏报的考勤（零报告也要报），列给该班的班主任。
可按责任人、岗位、责任线、学校、乡镇、村筛选。--mine 只列出本人的事项：责任书的
spec.responsible.username 填写本人的 Kubernetes 用户名（kubectl auth whoami 显示的名字）。

List what each responsible person owes and by when, overdue first: the next action of each
open case, for every assignee on the line that owes it, and the missing roll calls of each
class, for its homeroom teacher. --mine lists your own: the agreements whose
spec.responsible.username is your Kubernetes user name (as kubectl auth whoami shows it).`,
		Example: `  kubectl kongchuo queue -n demo-county
  kubectl kongchuo queue -n demo-county --role HomeroomTeacher --school 5201210001
  kubectl kongchuo queue -n demo-county --line Government --township 520121100 -o wide
  kubectl kongchuo queue -n demo-county --mine`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return q.run(cmd.Context()) },
	}
	q.addFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&q.filter.Person, "person", "", "only this person's items (the name in the agreement)")
	f.StringVar(&q.role, "role", "", "only this role, for example HomeroomTeacher, Principal, TownshipCadre, CountyBureau")
	f.StringVar(&q.line, "line", "", "only this line: Education (学校线) or Government (政府线)")
	f.StringVar((*string)(&q.filter.School), "school", "", "only children of this school (学校标识码)")
	f.StringVar((*string)(&q.filter.Township), "township", "", "only children living in this township (乡镇代码)")
	f.StringVar((*string)(&q.filter.Village), "village", "", "only children living in this village (村代码)")
	f.BoolVar(&q.mine, "mine", false, "only the items of agreements whose spec.responsible.username is you")
	_ = cmd.RegisterFlagCompletionFunc("role", fixedCompletion(roleNames()...))
	_ = cmd.RegisterFlagCompletionFunc("line", fixedCompletion("Education", "Government"))
	return cmd
}

func (q *queueOptions) run(ctx context.Context) error {
	if err := q.checkOutput(q.output); err != nil {
		return err
	}
	if q.line != "" {
		line, ok := parseLine(q.line)
		if !ok {
			return q.l.Errorf("--line must be Education or Government")
		}
		q.filter.Line = line
	}
	q.filter.Role = v1.Role(q.role)
	county, err := q.readCounties(ctx)
	if err != nil {
		return err
	}
	var mine map[string]map[string]bool
	if q.mine {
		if mine, err = q.myAgreements(ctx, county); err != nil {
			return err
		}
	}
	today := policy.LocalDate(time.Now(), q.loc)
	t, err := county.combine(func(ns string) (ledger.Table, error) {
		f := q.filter
		if mine != nil {
			f.Agreements = mine[ns]
			if f.Agreements == nil {
				f.Agreements = map[string]bool{}
			}
		}
		return queue.Table(queue.Build(county.students[ns], county.cases[ns], county.agreements[ns], f, today)), nil
	})
	if err != nil {
		return err
	}
	return q.printTables(q.Out, q.output, []ledger.Table{t})
}

func parseLine(s string) (v1.Line, bool) {
	for _, l := range []v1.Line{v1.LineEducation, v1.LineGovernment} {
		if zh, _ := terms.Chinese(string(l)); s == string(l) || s == zh {
			return l, true
		}
	}
	return "", false
}

// myAgreements asks the API server who the user is (a SelfSubjectReview, as kubectl auth whoami
// does) and returns, by namespace, the agreements that name that user in spec.responsible.username.
func (q *queueOptions) myAgreements(ctx context.Context, county *counties) (map[string]map[string]bool, error) {
	cl, err := q.client()
	if err != nil {
		return nil, err
	}
	review := &authenticationv1.SelfSubjectReview{}
	if err := cl.Create(ctx, review); err != nil {
		return nil, q.l.Errorf("--mine asks the API server who you are: %w", err)
	}
	user := review.Status.UserInfo.Username
	mine := map[string]map[string]bool{}
	for _, ns := range county.namespaces {
		for _, a := range county.agreements[ns] {
			if a.Spec.Responsible.Username != "" && a.Spec.Responsible.Username == user {
				if mine[ns] == nil {
					mine[ns] = map[string]bool{}
				}
				mine[ns][a.Name] = true
			}
		}
	}
	if len(mine) == 0 {
		return nil, fmt.Errorf("%s", q.l.Sprintf("no agreement names you (%s) in spec.responsible.username: ask the county to add it (see docs/zh/使用手册.md)", user))
	}
	return mine, nil
}
