// Command installer writes dist/install.yaml: config/default built with kustomize's library and
// the manager image set, as `make build-installer IMG=…` asks. It edits no checked-in file.
package main

import (
	"flag"
	"fmt"
	"os"

	"kongchuo.io/kongchuo/internal/install"
)

func main() {
	image := flag.String("image", install.ManagerImage+":latest", "Manager image for the Deployment.")
	dir := flag.String("kustomization", "config/default", "Kustomization to build.")
	out := flag.String("o", "dist/install.yaml", "Where to write the manifest.")
	flag.Parse()
	if err := write(*dir, *image, *out); err != nil {
		fmt.Fprintln(os.Stderr, "installer:", err)
		os.Exit(1)
	}
}

func write(dir, image, out string) error {
	manifest, err := install.KustomizeWithImage(dir, image)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append([]byte(install.InstallerHeader(image)), manifest...), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	return nil
}
