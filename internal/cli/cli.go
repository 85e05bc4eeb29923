// Package cli is the kubectl kongchuo plugin: argument parsing and wiring. The work is done by
// internal/importer, internal/casework and internal/ledger.
//
// Output goes to the user's terminal. Results name rows by line number and children by their
// opaque object names; only the ledgers print children's names, because that is what they are
// for. Nothing is logged.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crlog "sigs.k8s.io/controller-runtime/pkg/log"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/casework"
	"kongchuo.io/kongchuo/internal/importer"
	"kongchuo.io/kongchuo/internal/ledger"
	"kongchuo.io/kongchuo/internal/registry"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitRejected = 1 // the command ran, but some rows or actions were rejected
	ExitError    = 2 // usage error or nothing could be done
)

const usage = `kubectl kongchuo: 控辍保学 (dropout control) for county staff.

Commands:
  import registry FILE.csv -n NS [--dry-run] [--workers 16]
        create or update Students from a registry extract (server-side apply)
  import attendance FILE.csv -n NS [--dry-run] [--workers 16]
        create AttendanceReports, one per class and school day (corrections supersede)
  record ACTION CASE --date D --by WHO --line Education|Government [--outcome O] [--deadline D] [--note N] -n NS
        append an action to a DropoutCase (CASE may also be a Student name or the child's ID number: its open case)
  record-file ACTIONS.csv -n NS [--wait 2m]      (also: record --from-file ACTIONS.csv)
        record a file of actions, waiting for each child's case to be opened
  close CASE --by WHO --reason R [--date D] -n NS
        close a case by decision of an authorised person
  ledger [suspected|confirmed|roster] -n NS [-o table|csv]
        print the ledgers (台账); without an argument, all three

Common flags: --kubeconfig FILE (or KUBECONFIG), --context NAME, -n/--namespace NS,
--time-zone (default Asia/Shanghai, for dates defaulting to today).
FILE may be - for standard input. Exit status: 0 done, 1 some rows rejected, 2 error.
The CSV columns are described in docs/import.md.
`

// common are the flags every command takes.
type common struct {
	kubeconfig string
	context    string
	namespace  string
	timeZone   string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.kubeconfig, "kubeconfig", "", "path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
	fs.StringVar(&c.context, "context", "", "kubeconfig context to use")
	fs.StringVar(&c.namespace, "namespace", "", "namespace (the county)")
	fs.StringVar(&c.namespace, "n", "", "namespace (shorthand)")
	fs.StringVar(&c.timeZone, "time-zone", "Asia/Shanghai", "time zone of local dates")
}

// Main runs the plugin with the arguments after the program name and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	crlog.SetLogger(logr.Discard()) // the plugin prints results; it does not log
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	var err error
	code := ExitOK
	switch args[0] {
	case "import":
		if len(args) < 2 || (args[1] != "registry" && args[1] != "attendance") {
			err = usageError("import registry FILE.csv or import attendance FILE.csv")
			break
		}
		code, err = runImport(ctx, args[1], args[2:], stdout)
	case "record":
		code, err = runRecord(ctx, args[1:], stdout)
	case "record-file":
		code, err = runRecordFile(ctx, args[1:], stdout)
	case "close":
		code, err = runClose(ctx, args[1:], stdout)
	case "ledger":
		code, err = runLedger(ctx, args[1:], stdout)
	default:
		err = usageError(fmt.Sprintf("unknown command %q", args[0]))
	}
	if err != nil {
		var ue usageErr
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "error: %s\nRun 'kubectl kongchuo help' for usage.\n", ue.msg)
		} else if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "error: %v\n", err)
		}
		return ExitError
	}
	return code
}

type usageErr struct{ msg string }

func (e usageErr) Error() string { return e.msg }

func usageError(msg string) error { return usageErr{msg} }

// parse parses flags that may come before, between or after the positional arguments, as
// kubectl users expect (kubectl kongchuo import registry f.csv -n demo).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError(err.Error())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stops at "--" (consumed) or at the first non-flag.
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// connect builds a client from the kubeconfig and settles the namespace.
func (c *common) connect() (client.Client, string, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = c.kubeconfig
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: c.context})
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, "", fmt.Errorf("loading the kubeconfig: %w", err)
	}
	ns := c.namespace
	if ns == "" {
		if ns, _, err = cc.Namespace(); err != nil {
			return nil, "", err
		}
	}
	cl, err := NewClient(cfg)
	return cl, ns, err
}

// NewClient makes the plugin's client: no client-side rate limit (the --workers bound and the
// server's priority and fairness limit the load), and the kongchuo kinds registered.
func NewClient(cfg *rest.Config) (client.Client, error) {
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = -1, 0
	cfg.UserAgent = "kubectl-kongchuo"
	scheme := runtime.NewScheme()
	if err := corev1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := v1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	return client.New(cfg, client.Options{Scheme: scheme})
}

func (c *common) location() (*time.Location, error) {
	loc, err := time.LoadLocation(c.timeZone)
	if err != nil {
		return nil, fmt.Errorf("--time-zone: %w", err)
	}
	return loc, nil
}

func openInput(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func runImport(ctx context.Context, what string, args []string, out io.Writer) (int, error) {
	fs := flag.NewFlagSet("import "+what, flag.ContinueOnError)
	var c common
	c.register(fs)
	dryRun := fs.Bool("dry-run", false, "validate on the server without storing anything")
	workers := fs.Int("workers", importer.DefaultWorkers, "concurrent writes")
	pos, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if len(pos) != 1 {
		return 0, usageError(fmt.Sprintf("import %s needs exactly one FILE.csv", what))
	}
	if *workers < 1 {
		return 0, usageError("--workers must be at least 1")
	}
	in, err := openInput(pos[0])
	if err != nil {
		return 0, err
	}
	defer in.Close()
	cl, ns, err := c.connect()
	if err != nil {
		return 0, err
	}
	im := &importer.Importer{Client: cl, Namespace: ns, Workers: *workers, DryRun: *dryRun}
	if what == "registry" {
		res, err := im.ImportRegistry(ctx, in)
		if err != nil {
			return 0, err
		}
		res.Print(out)
		if len(res.Rejected) > 0 {
			return ExitRejected, nil
		}
		return ExitOK, nil
	}
	res, err := im.ImportAttendance(ctx, in)
	if err != nil {
		return 0, err
	}
	res.Print(out)
	if len(res.Rejected) > 0 {
		return ExitRejected, nil
	}
	return ExitOK, nil
}

func today(loc *time.Location) v1.Date { return v1.Date(time.Now().In(loc).Format("2006-01-02")) }

func runRecord(ctx context.Context, args []string, out io.Writer) (int, error) {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	var c common
	c.register(fs)
	date := fs.String("date", "", "date of the action, YYYY-MM-DD (default today)")
	by := fs.String("by", "", "role or name of whoever acted")
	line := fs.String("line", "", "Education or Government")
	outcome := fs.String("outcome", "", "NoContact, Contacted, Refused, Promised or Returned")
	deadline := fs.String("deadline", "", "deadline given by a ReturnNotice, YYYY-MM-DD")
	note := fs.String("note", "", "note (no ID or phone numbers)")
	fromFile := fs.String("from-file", "", "record the actions of a CSV file instead (see record-file)")
	wait := fs.Duration("wait", 2*time.Minute, "with --from-file: how long to wait for cases to be opened")
	pos, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if *fromFile != "" {
		if len(pos) != 0 {
			return 0, usageError("record --from-file takes no other arguments")
		}
		return runRecordFile(ctx, append([]string{*fromFile, "--wait", wait.String()}, commonArgs(c)...), out)
	}
	if len(pos) != 2 {
		return 0, usageError("record needs ACTION and CASE, for example: record HomeVisit stu-0123456789ab-do-20261102 --by 班主任 --line Education")
	}
	loc, err := c.location()
	if err != nil {
		return 0, err
	}
	a := v1.CaseAction{Date: v1.Date(*date), By: *by, Deadline: v1.Date(*deadline), Note: *note}
	if a.Date == "" {
		a.Date = today(loc)
	}
	var ok bool
	if a.Type, ok = registry.ParseActionType(pos[0]); !ok {
		return 0, usageError("ACTION must be one of PhoneCall, HomeVisit, PersuasionLetter, DropoutReport, ReturnNotice, LegalReferral, SupportGranted")
	}
	if a.Line, ok = registry.ParseLine(*line); !ok {
		return 0, usageError("--line must be Education or Government")
	}
	if *outcome != "" {
		if a.Outcome, ok = registry.ParseOutcome(*outcome); !ok {
			return 0, usageError("--outcome must be NoContact, Contacted, Refused, Promised or Returned")
		}
	}
	if p := registry.ActionProblems(a); len(p) > 0 {
		return 0, usageError(strings.Join(p, "; "))
	}
	cl, ns, err := c.connect()
	if err != nil {
		return 0, err
	}
	r := &casework.Recorder{Client: cl, Namespace: ns}
	name, already, err := r.Record(ctx, pos[1], a)
	if err != nil {
		return 0, err
	}
	if already {
		fmt.Fprintf(out, "%s: already recorded on %s; nothing changed\n", registry.DescribeAction(a), name)
	} else {
		fmt.Fprintf(out, "%s recorded on %s\n", registry.DescribeAction(a), name)
	}
	return ExitOK, nil
}

func commonArgs(c common) []string {
	var a []string
	for _, kv := range [][2]string{{"kubeconfig", c.kubeconfig}, {"context", c.context}, {"namespace", c.namespace}, {"time-zone", c.timeZone}} {
		if kv[1] != "" {
			a = append(a, "--"+kv[0], kv[1])
		}
	}
	return a
}

func runRecordFile(ctx context.Context, args []string, out io.Writer) (int, error) {
	fs := flag.NewFlagSet("record-file", flag.ContinueOnError)
	var c common
	c.register(fs)
	wait := fs.Duration("wait", 2*time.Minute, "how long to wait, in all, for the controller to open the cases")
	pos, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if len(pos) != 1 {
		return 0, usageError("record-file needs exactly one ACTIONS.csv")
	}
	in, err := openInput(pos[0])
	if err != nil {
		return 0, err
	}
	defer in.Close()
	cl, ns, err := c.connect()
	if err != nil {
		return 0, err
	}
	r := &casework.Recorder{Client: cl, Namespace: ns}
	res, err := r.RecordFile(ctx, in, *wait, out)
	if err != nil {
		return 0, err
	}
	res.Print(out)
	if len(res.Failed) > 0 {
		return ExitRejected, nil
	}
	return ExitOK, nil
}

func runClose(ctx context.Context, args []string, out io.Writer) (int, error) {
	fs := flag.NewFlagSet("close", flag.ContinueOnError)
	var c common
	c.register(fs)
	by := fs.String("by", "", "the authorised person or role closing the case")
	reason := fs.String("reason", "", "why the case is closed (at least 5 characters, no personal data)")
	date := fs.String("date", "", "date of the decision, YYYY-MM-DD (default today)")
	pos, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if len(pos) != 1 {
		return 0, usageError("close needs exactly one CASE")
	}
	loc, err := c.location()
	if err != nil {
		return 0, err
	}
	cl := v1.Closure{By: *by, Reason: *reason, Date: v1.Date(*date)}
	if cl.Date == "" {
		cl.Date = today(loc)
	}
	if p := registry.ClosureProblems(cl); len(p) > 0 {
		return 0, usageError(strings.Join(p, "; "))
	}
	k, ns, err := c.connect()
	if err != nil {
		return 0, err
	}
	r := &casework.Recorder{Client: k, Namespace: ns}
	name, already, err := r.Close(ctx, pos[0], cl)
	if err != nil {
		return 0, err
	}
	if already {
		fmt.Fprintf(out, "case %s was already closed with this decision; nothing changed\n", name)
	} else {
		fmt.Fprintf(out, "case %s closed by decision of %s on %s\n", name, cl.By, cl.Date)
	}
	return ExitOK, nil
}

func runLedger(ctx context.Context, args []string, out io.Writer) (int, error) {
	fs := flag.NewFlagSet("ledger", flag.ContinueOnError)
	var c common
	c.register(fs)
	output := fs.String("o", "table", "output format: table or csv")
	fs.StringVar(output, "output", "table", "output format: table or csv")
	pos, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	kinds := ledger.Kinds
	switch {
	case len(pos) == 1:
		kinds = []string{pos[0]}
		if _, err := ledger.Build(pos[0], nil, nil, nil); err != nil {
			return 0, usageError(err.Error())
		}
	case len(pos) > 1:
		return 0, usageError("ledger takes at most one of suspected, confirmed, roster")
	}
	if *output != "table" && *output != "csv" {
		return 0, usageError("-o must be table or csv")
	}
	if *output == "csv" && len(kinds) != 1 {
		return 0, usageError("-o csv prints one ledger: name it (suspected, confirmed or roster)")
	}
	loc, err := c.location()
	if err != nil {
		return 0, err
	}
	cl, ns, err := c.connect()
	if err != nil {
		return 0, err
	}
	var students v1.StudentList
	if err := cl.List(ctx, &students, client.InNamespace(ns)); err != nil {
		return 0, fmt.Errorf("listing Students: %w", err)
	}
	var cases v1.DropoutCaseList
	if err := cl.List(ctx, &cases, client.InNamespace(ns)); err != nil {
		return 0, fmt.Errorf("listing DropoutCases: %w", err)
	}
	for i, k := range kinds {
		t, _ := ledger.Build(k, students.Items, cases.Items, loc)
		if *output == "csv" {
			err = t.WriteCSV(out)
		} else {
			if i > 0 {
				fmt.Fprintln(out)
			}
			err = t.WriteText(out)
		}
		if err != nil {
			return 0, err
		}
	}
	return ExitOK, nil
}
