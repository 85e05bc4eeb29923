// Command etcd is the etcd server built from go.etcd.io/etcd/server/v3 so that envtest and
// 'make run' need no prebuilt download. etcdmain.Main keeps etcd's own flag set, which envtest
// inspects with --help.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
