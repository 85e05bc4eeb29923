package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is the plugin's version, stamped at build time:
// go build -ldflags "-X kongchuo.io/kongchuo/internal/cli.Version=v0.3.0". Unstamped builds
// report the VCS revision Go recorded, or "dev".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" && info.Main.Version != "(devel)" {
			return info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

func newVersionCommand(o *Options) *cobra.Command {
	var clientOnly bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "显示插件和服务器的版本 (print the plugin's and the API server's versions)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprint(o.Out, o.l.Sprintf("kubectl-kongchuo %s (%s, %s)\n", version(), runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH))
			if clientOnly {
				return nil
			}
			dc, err := o.flags.ToDiscoveryClient()
			if err != nil {
				return fmt.Errorf("loading the kubeconfig: %w", err)
			}
			info, err := dc.ServerVersion()
			if err != nil {
				return fmt.Errorf("asking the API server its version (use --client for the plugin's only): %w", err)
			}
			fmt.Fprint(o.Out, o.l.Sprintf("server: %s\n", info.GitVersion))
			return nil
		},
	}
	cmd.Flags().BoolVar(&clientOnly, "client", false, "the plugin's version only; do not contact the API server")
	return cmd
}
