// Package cli is the kubectl kongchuo plugin: cobra commands over k8s.io/cli-runtime's
// kubeconfig flags. The work is done by internal/importer, internal/casework, internal/ledger
// and internal/queue.
//
// Output goes to the user's terminal, in Chinese unless --lang en. Results name rows by line
// number and children by their opaque object names; only the ledgers and queues print
// children's names, because that is what they are for. Nothing is logged.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-logr/logr"
	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crlog "sigs.k8s.io/controller-runtime/pkg/log"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/kube"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitRejected = 1 // the command ran, but some rows or actions were rejected
	ExitError    = 2 // usage error or nothing could be done
)

// errRejected ends a command that ran but rejected some rows: exit status 1, no error line (the
// rows were listed).
var errRejected = errors.New("some rows were rejected")

// Options are the flags every command shares.
type Options struct {
	genericiooptions.IOStreams
	flags    *genericclioptions.ConfigFlags
	lang     string
	timeZone string
	l        *localizer
	loc      *time.Location
}

// Main runs the plugin with the arguments after the program name and returns the exit status.
func Main(args []string, streams genericiooptions.IOStreams) int {
	crlog.SetLogger(logr.Discard()) // the plugin prints results; it does not log
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	o := &Options{IOStreams: streams, l: mustLocalizer(LangChinese)}
	root := NewRootCommand(o)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errRejected):
		return ExitRejected
	}
	fmt.Fprint(streams.ErrOut, o.l.Sprintf("error: %v\n", err))
	return ExitError
}

func mustLocalizer(lang string) *localizer {
	l, err := newLocalizer(lang)
	if err != nil {
		panic(err)
	}
	return l
}

// NewRootCommand builds the command tree.
func NewRootCommand(o *Options) *cobra.Command {
	root := &cobra.Command{
		Use:   "kubectl-kongchuo",
		Short: "控辍保学：县级工作人员的 kubectl 插件 (dropout control for county staff)",
		Long: `kubectl kongchuo 是控辍保学的 kubectl 插件：导入学籍和考勤、记录劝返工作、查看三本台账和待办清单。
每个县是一个命名空间（-n）。输出默认中文，--lang en 输出英文。

kubectl kongchuo imports the student registry and attendance, records what people did on
dropout cases, and prints the ledgers (台账) and work queues. One namespace per county (-n).
Output is in Chinese; --lang en prints English.

Exit status: 0 done, 1 some rows rejected, 2 error.`,
		Annotations: map[string]string{
			cobra.CommandDisplayNameAnnotation: "kubectl kongchuo",
		},
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return o.complete()
		},
	}
	root.SetOut(o.Out)
	root.SetErr(o.ErrOut)
	root.SetIn(o.In)
	o.flags = genericclioptions.NewConfigFlags(true)
	o.flags.AddFlags(root.PersistentFlags())
	root.PersistentFlags().StringVar(&o.lang, "lang", LangChinese, "language of the output: zh (中文) or en")
	root.PersistentFlags().StringVar(&o.timeZone, "time-zone", "Asia/Shanghai", "the county's time zone: dates default to today there, and times are shown in it")
	// Define --help before cobra looks for the subcommand: otherwise "--help --lang en" on the
	// root reads "--lang" as the value of --help and "en" as a command.
	root.InitDefaultHelpFlag()
	registerNamespaceCompletion(root, o)
	root.AddCommand(newImportCommand(o), newRecordCommand(o), newRecordFileCommand(o), newCloseCommand(o),
		newLedgerCommand(o), newQueueCommand(o), newVersionCommand(o), newReportCommand(o))
	return root
}

func (o *Options) complete() error {
	l, err := newLocalizer(o.lang)
	if err != nil {
		return err
	}
	o.l = l
	if o.loc, err = time.LoadLocation(o.timeZone); err != nil {
		return fmt.Errorf("--time-zone: %w", err)
	}
	return nil
}

// restConfig is the kubeconfig's client configuration with the plugin's user agent and no
// client-side rate limit (the --workers bound and the server's priority and fairness limit the load).
func (o *Options) restConfig() (*rest.Config, error) {
	cfg, err := o.flags.ToRESTConfig()
	if err != nil {
		return nil, fmt.Errorf("loading the kubeconfig: %w", err)
	}
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = -1, 0
	cfg.UserAgent = "kubectl-kongchuo"
	return cfg, nil
}

func (o *Options) client() (client.Client, error) {
	cfg, err := o.restConfig()
	if err != nil {
		return nil, err
	}
	return client.New(cfg, client.Options{Scheme: kube.NewScheme()})
}

// namespace is -n, else the kubeconfig context's namespace.
func (o *Options) namespace() (string, error) {
	ns, _, err := o.flags.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return "", fmt.Errorf("loading the kubeconfig: %w", err)
	}
	if ns == "" {
		return "", o.l.Errorf("no namespace: give -n NAMESPACE (one per county)")
	}
	return ns, nil
}

// connect builds a client and settles the namespace, which must exist: a mistyped county is an
// error, never an empty ledger.
func (o *Options) connect(ctx context.Context) (client.Client, string, error) {
	cl, err := o.client()
	if err != nil {
		return nil, "", err
	}
	ns, err := o.namespace()
	if err != nil {
		return nil, "", err
	}
	return cl, ns, o.checkNamespace(ctx, cl, ns)
}

// checkNamespace fails when the namespace does not exist, naming the namespaces that hold
// Students (the counties the user may have meant). Without permission to read namespaces the
// check is left to the commands' own reads.
func (o *Options) checkNamespace(ctx context.Context, cl client.Client, ns string) error {
	err := cl.Get(ctx, client.ObjectKey{Name: ns}, &corev1.Namespace{})
	if !apierrors.IsNotFound(err) {
		return nil
	}
	msg := o.l.Sprintf("namespace %q does not exist", ns)
	if counties := countiesWithStudents(ctx, cl); len(counties) > 0 {
		msg += o.l.Sprintf("; counties (namespaces) with Students: %s", strings.Join(counties, ", "))
	}
	return errors.New(msg)
}

// countiesWithStudents lists the namespaces that have Students, as far as the user may see.
func countiesWithStudents(ctx context.Context, cl client.Client) []string {
	var list v1.StudentList
	seen := map[string]bool{}
	if err := cl.List(ctx, &list, client.Limit(500)); err != nil {
		return nil
	}
	for _, s := range list.Items {
		seen[s.Namespace] = true
	}
	var out []string
	for ns := range seen {
		out = append(out, ns)
	}
	sort.Strings(out)
	return out
}

// registerNamespaceCompletion completes -n with the cluster's namespaces.
func registerNamespaceCompletion(root *cobra.Command, o *Options) {
	_ = root.RegisterFlagCompletionFunc("namespace", func(cmd *cobra.Command, _ []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
		cl, err := o.client()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var list corev1.NamespaceList
		if err := cl.List(cmd.Context(), &list); err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var names []cobra.Completion
		for _, ns := range list.Items {
			names = append(names, ns.Name)
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
}

// fixedCompletion completes a positional argument from a fixed list.
func fixedCompletion(values ...string) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return slices.Clone(values), cobra.ShellCompDirectiveNoFileComp
	}
}

func (o *Options) today() v1.Date { return v1.Date(time.Now().In(o.loc).Format("2006-01-02")) }
